import type { Command } from '../command.ts';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use, so one command's heavy imports never slow down or break another. */
  load: () => Promise<Command>;
}

/** Every `helpdesk` command, in the order --help lists them. Later issues append here. */
export const commands: CommandEntry[] = [
  { name: 'demo', summary: 'build the seeded demo warehouse', load: async () => (await import('./demo.ts')).demoCommand },
  { name: 'serve', summary: 'serve the web app on http://localhost:3000', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'info', summary: 'show the warehouse: schema version, row counts, time span', load: async () => (await import('./info.ts')).infoCommand },
];
