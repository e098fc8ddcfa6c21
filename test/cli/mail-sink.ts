import type { Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server (smtp-server) on the loopback that keeps every message, parsed, with its envelope recipients. */
export interface MailSink {
  port: number;
  mails: { mail: ParsedMail; to: string[] }[];
  close(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const mails: MailSink['mails'] = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      simpleParser(stream, { keepCidLinks: true }).then((mail) => {
        mails.push({ mail, to });
        callback();
      }, callback);
    },
  });
  const server = (smtp as unknown as { server: Server }).server;
  const port = await new Promise<number>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { port, mails, close: () => new Promise<void>((resolve) => smtp.close(() => resolve())) };
}
