import { customerView, Warehouse } from '@helpdesk/core';
import type { Command } from '../command.ts';
import { CliError, UsageError } from '../context.ts';

export const customerCommand: Command = {
  name: 'customer',
  summary: 'show one customer: identities with the reason each belongs, cases and interactions',
  usage: 'helpdesk customer <id|email|phone|contact id> [--db path] [--json]',
  options: {},
  allowPositionals: true,
  async run(ctx, _values, positionals) {
    if (positionals.length !== 1) throw new UsageError('give one customer id, email, phone number or contact id');
    const wh = await Warehouse.open(ctx.db, { readOnly: true });
    try {
      const view = await customerView(wh, positionals[0]);
      if (!view) throw new CliError(`no customer found for "${positionals[0]}" (run \`helpdesk resolve\` first if identities are new)`);
      if (ctx.json) {
        ctx.emit(view);
        return 0;
      }
      const c = view.customer;
      ctx.say(`${c.id}  ${c.display_name ?? '(no name)'}  ${c.primary_email ?? ''}  ${c.primary_phone ?? ''}`);
      ctx.say('identities:');
      for (const r of view.reasons) {
        const ids = view.identities.filter((i) => i.contact_id === r.contact_id).map((i) => `${i.kind} ${i.value}${i.verified ? ' (verified)' : ''}`);
        ctx.say(`  ${r.contact_id}: ${ids.join(', ')}`);
        for (const reason of r.reasons) ctx.say(`    - ${reason}`);
      }
      for (const hub of view.hubs) ctx.say(`  note: ${hub.note}`);
      ctx.say(`cases (${view.cases.length}):`);
      for (const k of view.cases) ctx.say(`  ${k.id}  ${k.status}  ${k.intent ?? '-'}  opened ${k.opened_at}  (${k.link_reason})`);
      ctx.say(`timeline (${view.interactions.length} interactions):`);
      for (const i of view.interactions) {
        ctx.say(`  ${i.created_at}  ${String(i.channel).padEnd(11)} ${String(i.direction).padEnd(8)} ${i.id}  case ${i.case_id ?? '-'}  ${i.status}${i.csat_score ? `  CSAT ${i.csat_score}` : ''}`);
      }
      return 0;
    } finally {
      wh.close();
    }
  },
};
