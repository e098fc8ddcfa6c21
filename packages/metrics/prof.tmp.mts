import { Warehouse } from '@helpdesk/core';
import { scorecard } from './src/index.ts';
const wh = await Warehouse.open(process.argv[2]);
const base = { from: '2024-01-01', to: '2024-03-31', by: ['day', 'channel'] as any, tz: 'UTC' };
for (const kpis of [['volume'], ['backlog'], ['concurrency'], ['first_response_time'], ['fcr','csat','reopen_rate'], ['sla_achievement'], ['cost_per_resolution'], undefined]) {
  for (let r = 0; r < 2; r++) {
    const t = performance.now();
    await scorecard(wh, { ...base, kpis });
    if (r) console.log((kpis ?? ['ALL']).join(','), ((performance.now() - t) / 1000).toFixed(3));
  }
}
wh.close();
