import { Warehouse } from '@helpdesk/core';
import { listQuarantine } from '@helpdesk/ingest';
import { intOption, type Command } from '../command.ts';

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'list records that failed validation during ingest, with the reason',
  usage: 'helpdesk quarantine [--source NAME] [--limit N] [--db path] [--json]',
  options: {
    source: { type: 'string', description: 'only records of this source', valueName: 'NAME' },
    limit: { type: 'string', description: 'at most N records (default 50)', valueName: 'N' },
  },
  async run(ctx, values) {
    const wh = await Warehouse.open(ctx.db, { readOnly: true });
    try {
      const rows = await listQuarantine(wh, { source: typeof values.source === 'string' ? values.source : undefined, limit: intOption(values, 'limit', 50, 1) });
      if (ctx.json) ctx.emit(rows);
      else if (rows.length === 0) ctx.say('nothing in quarantine');
      else for (const q of rows) ctx.say(`${q.quarantined_at}  ${q.source}/${q.stream} ${q.native_id ?? '(no id)'}: ${q.reason}`);
      return 0;
    } finally {
      wh.close();
    }
  },
};
