import type { Channel, Warehouse } from '@helpdesk/core';
import { intOption, type Command } from '../command.ts';
import { CliError, UsageError, type CommandContext } from '../context.ts';
import { withWarehouse } from './users.ts';
import { runAlerts } from '../../lib/server/alerts/deliver.ts';
import {
  AlertInputError, addDestination, addRule, listDeliveries, listDestinations, listFirings, listRules, removeDestination, removeRule, ruleKinds, type AlertRule,
} from '../../lib/server/alerts/store.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * `helpdesk alerts list|add|remove|run|history` and `alerts destination add|remove`: threshold
 * alert rules kept in the warehouse, the same ones the Alerts screen manages and the server
 * evaluates on its schedule and after every sync.
 */
export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'alert rules on KPIs, SLA risk, syncs, quarantine and pipeline stages: list, add, remove, run, history',
  usage: [
    'helpdesk alerts list',
    '       helpdesk alerts add --name N --kind kpi --kpi abandonment_rate --channel phone --above 8% [--window 120] [--cooldown 60]',
    '       helpdesk alerts add --name N --kind kpi --kpi csat --channel chat --target',
    '       helpdesk alerts add --name N --kind sla [--channel C] --above 0 --window 30  (open items within 30 min of an SLA breach)',
    '       helpdesk alerts add --name N --kind sync [--source S] --above 90          (minutes since the last good sync)',
    '       helpdesk alerts add --name N --kind quarantine --above 20 [--window 60]   (records quarantined in the window)',
    '       helpdesk alerts add --name N --kind pipeline --above 0 [--window 60]      (pipeline stages failed in the window)',
    '       helpdesk alerts remove <rule id or name>',
    '       helpdesk alerts run [--at ISO-INSTANT] [--no-deliver]',
    '       helpdesk alerts history',
    '       helpdesk alerts destination add --webhook URL | --email ADDRESS',
    '       helpdesk alerts destination remove <id or target>',
  ].join('\n'),
  allowPositionals: true,
  options: {
    name: { type: 'string', description: 'the rule\'s name, as messages show it', valueName: 'N' },
    kind: { type: 'string', description: `what the rule watches: ${ruleKinds.join(', ')}`, valueName: 'K' },
    kpi: { type: 'string', description: 'the KPI of a kpi rule (see `helpdesk metrics --list`)', valueName: 'ID' },
    channel: { type: 'string', description: 'only this channel', valueName: 'C' },
    team: { type: 'string', description: 'only this team id', valueName: 'T' },
    queue: { type: 'string', description: 'only this queue id', valueName: 'Q' },
    source: { type: 'string', description: 'sync/quarantine/pipeline rules: only this source', valueName: 'S' },
    above: { type: 'string', description: 'fire when the value is above this (rates as 0.08 or 8%)', valueName: 'X' },
    below: { type: 'string', description: 'fire when the value is below this', valueName: 'X' },
    target: { type: 'boolean', description: 'fire when a KPI is on the wrong side of its target' },
    window: { type: 'string', description: 'rolling window in minutes (default 120)', valueName: 'MIN' },
    cooldown: { type: 'string', description: 'minutes before the same rule may notify again (default 60)', valueName: 'MIN' },
    at: { type: 'string', description: 'run: evaluate as of this instant instead of now', valueName: 'ISO' },
    'no-deliver': { type: 'boolean', description: 'run: record firings but send nothing' },
    webhook: { type: 'string', description: 'destination add: a webhook URL', valueName: 'URL' },
    email: { type: 'string', description: 'destination add: an email recipient', valueName: 'ADDRESS' },
  },
  async run(ctx, values, positionals) {
    const [action, ...rest] = positionals;
    const needArgs = (n: number, what: string) => {
      if (rest.length !== n) throw new UsageError(what);
    };
    switch (action) {
      case 'list':
        needArgs(0, 'alerts list takes no argument');
        return open(ctx, async (wh) => {
          const rules = await listRules(wh);
          if (ctx.json) ctx.emit({ rules, destinations: await listDestinations(wh) });
          else if (rules.length === 0) ctx.say('no alert rules; add one with `helpdesk alerts add`');
          else for (const r of rules) ctx.say(describe(r));
          return 0;
        });
      case 'add':
        needArgs(0, 'alerts add takes options only');
        return open(ctx, async (wh) => {
          const rule = await addRule(wh, ruleInput(values), 'cli');
          if (ctx.json) ctx.emit(rule);
          else ctx.say(`added ${describe(rule)}`);
          return 0;
        });
      case 'remove':
        needArgs(1, 'alerts remove needs one rule id or name');
        return open(ctx, async (wh) => {
          const rule = await removeRule(wh, rest[0]);
          if (ctx.json) ctx.emit(rule);
          else ctx.say(`removed ${rule.id} (${rule.name})`);
          return 0;
        });
      case 'run':
        needArgs(0, 'alerts run takes options only');
        return open(ctx, async (wh) => {
          const at = values.at as string | undefined;
          const now = at === undefined ? new Date() : new Date(at);
          if (Number.isNaN(now.getTime())) throw new UsageError(`--at must be an ISO-8601 instant, got "${at}"`);
          const result = await runAlerts(wh, { trigger: 'manual', now, deliver: !values['no-deliver'], env: ctx.io.env });
          const { deliveries } = result;
          if (ctx.json) ctx.emit({ evaluated: result.evaluated, fired: result.fired, resolved: result.resolved, deliveries });
          else {
            ctx.say(`evaluated ${result.evaluated} rule${result.evaluated === 1 ? '' : 's'}: ${result.fired.length} fired, ${result.resolved.length} resolved`);
            for (const e of result.events) ctx.say(`  ${e.event === 'fired' ? 'FIRED   ' : 'RESOLVED'} ${e.rule}: ${e.message}${e.link ? `  ${e.link}` : ''}`);
            for (const d of deliveries) ctx.say(`  ${d.kind} ${d.target}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`);
          }
          return 0;
        });
      case 'history':
        needArgs(0, 'alerts history takes no argument');
        return open(ctx, async (wh) => {
          const firings = await listFirings(wh, 200);
          if (ctx.json) ctx.emit({ firings, deliveries: await listDeliveries(wh, 100) });
          else for (const f of firings) ctx.say(`${f.occurredAt.slice(0, 16)}  ${f.event.padEnd(8)} ${f.rule}: ${f.message}`);
          return 0;
        });
      case 'destination':
        return destination(ctx, values, rest);
      case undefined:
        throw new UsageError('say what to do: list, add, remove, run, history or destination');
      default:
        throw new UsageError(`unknown action "${action}"; use list, add, remove, run, history or destination`);
    }
  },
};

async function destination(ctx: CommandContext, values: Values, rest: string[]): Promise<number> {
  const [verb, ...args] = rest;
  if (verb === 'add') {
    const webhook = values.webhook as string | undefined;
    const email = values.email as string | undefined;
    if (!!webhook === !!email) throw new UsageError('destination add needs exactly one of --webhook URL or --email ADDRESS');
    return open(ctx, async (wh) => {
      const d = await addDestination(wh, webhook ? { kind: 'webhook', target: webhook } : { kind: 'email', target: email! });
      if (ctx.json) ctx.emit(d);
      else ctx.say(`added ${d.kind} destination ${d.id}: ${d.target}`);
      return 0;
    });
  }
  if (verb === 'remove' && args.length === 1) {
    return open(ctx, async (wh) => {
      const d = await removeDestination(wh, args[0]);
      if (ctx.json) ctx.emit(d);
      else ctx.say(`removed ${d.kind} destination ${d.target}`);
      return 0;
    });
  }
  throw new UsageError('use `alerts destination add --webhook URL|--email ADDRESS` or `alerts destination remove <id>`');
}

/** A number as typed: 0.08, 8% (= 0.08), 1_000. */
function numberOption(name: string, raw: string): number {
  const text = raw.trim().replace(/_/g, '');
  const percent = text.endsWith('%');
  const n = Number(percent ? text.slice(0, -1) : text);
  if (text === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (or a percentage like 8%), got "${raw}"`);
  return percent ? n / 100 : n;
}

function ruleInput(values: Values) {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const above = str('above');
  const below = str('below');
  if ([above !== undefined, below !== undefined, values.target === true].filter(Boolean).length > 1) throw new UsageError('give only one of --above, --below or --target');
  const kind = str('kind') ?? (str('kpi') ? 'kpi' : undefined);
  if (!kind) throw new UsageError(`alerts add needs --kind (${ruleKinds.join(', ')})`);
  return {
    name: str('name') ?? '',
    kind: kind as AlertRule['kind'],
    kpi: str('kpi'), channel: str('channel') as Channel | undefined, team: str('team'), queue: str('queue'), source: str('source'),
    comparator: values.target === true ? ('target' as const) : below !== undefined ? ('below' as const) : ('above' as const),
    threshold: above !== undefined ? numberOption('above', above) : below !== undefined ? numberOption('below', below) : undefined,
    windowMinutes: intOption(values, 'window', 120, 5),
    cooldownMinutes: intOption(values, 'cooldown', 60, 0),
  };
}

function describe(r: AlertRule): string {
  const scope = [r.channel, r.team && `team ${r.team}`, r.queue && `queue ${r.queue}`, r.source && `source ${r.source}`].filter(Boolean).join(', ');
  const what = r.kind === 'kpi' ? `${r.kpi}${r.comparator === 'target' ? ' off target' : ` ${r.comparator} ${r.threshold}`}` : `${r.kind} ${r.comparator} ${r.threshold}`;
  return `${r.id}  ${r.name}: ${what}${scope ? ` (${scope})` : ''}, window ${r.windowMinutes} min, cooldown ${r.cooldownMinutes} min, ${r.state}`;
}

async function open(ctx: CommandContext, fn: (wh: Warehouse) => Promise<number>): Promise<number> {
  try {
    return await withWarehouse(ctx, fn);
  } catch (error) {
    if (error instanceof AlertInputError) throw new CliError(error.message);
    throw error;
  }
}
