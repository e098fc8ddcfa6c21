import { writeFileSync } from 'node:fs';
import { Warehouse } from '@helpdesk/core';
import type { Command } from '../command.ts';
import { CliError, UsageError, displayPath, resolveUserPath } from '../context.ts';
import { withWarehouse } from './users.ts';
import { buildPack, PackError, packKinds, type PackKind } from '../../lib/server/reports/pack.ts';
import { renderPack } from '../../lib/server/reports/render.ts';
import { sendPack } from '../../lib/server/reports/send.ts';

/**
 * `helpdesk report weekly|daily|launch --out FILE [--from --to] [--email a,b]`: a review pack as a
 * standalone HTML file (the same pack the server emails on its schedules), and optionally sent by
 * email through the SMTP settings of the environment.
 */
export const reportCommand: Command = {
  name: 'report',
  summary: 'review packs (daily triage, weekly KPI review, 30-day launch review) as HTML or email',
  usage: 'helpdesk report weekly|daily|launch --out FILE [--from YYYY-MM-DD --to YYYY-MM-DD] [--tz ZONE] [--email a@x,b@y]',
  allowPositionals: true,
  options: {
    out: { type: 'string', description: 'write the pack as a standalone HTML file here', valueName: 'FILE' },
    from: { type: 'string', description: 'first local day (default: the pack\'s length ending at the latest day with data)', valueName: 'DAY' },
    to: { type: 'string', description: 'last local day, inclusive', valueName: 'DAY' },
    tz: { type: 'string', description: 'reporting time zone (IANA), default UTC', valueName: 'ZONE' },
    email: { type: 'string', description: 'also send it to these addresses (SMTP from HELPDESK_SMTP_* in the environment)', valueName: 'LIST' },
  },
  async run(ctx, values, positionals) {
    const [kind, ...rest] = positionals;
    if (!kind || !(packKinds as readonly string[]).includes(kind)) throw new UsageError(`say which pack: ${packKinds.join(', ')}`);
    if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
    const out = values.out as string | undefined;
    const recipients = typeof values.email === 'string' ? values.email.split(',').map((s) => s.trim()).filter(Boolean) : [];
    if (!out && recipients.length === 0) throw new UsageError('give --out FILE, --email LIST or both');
    const options = { kind: kind as PackKind, from: values.from as string | undefined, to: values.to as string | undefined, tz: values.tz as string | undefined };
    return withWarehouse(ctx, async (wh: Warehouse) => {
      try {
        const pack = await buildPack(wh, options);
        let path: string | null = null;
        if (out) {
          path = resolveUserPath(ctx.io, out);
          writeFileSync(path, renderPack(pack, 'file').html);
        }
        const deliveries = recipients.length ? await sendPack(wh, { ...options, recipients, env: ctx.io.env }) : [];
        if (ctx.json) ctx.emit({ kind: pack.kind, from: pack.from, to: pack.to, tz: pack.tz, out: path, channels: pack.channels, deliveries });
        else {
          if (path) ctx.say(`${pack.title} ${pack.from} – ${pack.to} written to ${displayPath(ctx, path)}`);
          for (const d of deliveries) ctx.say(`emailed to ${d.target}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`);
        }
        const failed = deliveries.find((d) => d.status !== 'sent');
        if (failed) throw new CliError(`the email was not sent: ${failed.lastError}`);
        return 0;
      } catch (error) {
        if (error instanceof PackError) throw new UsageError(error.message);
        if (error instanceof Error && /time zone/i.test(error.message)) throw new UsageError(error.message);
        throw error;
      }
    });
  },
};
