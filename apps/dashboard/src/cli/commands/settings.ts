import { existsSync, writeFileSync } from 'node:fs';
import { Warehouse } from '@helpdesk/core';
import { SettingsError, readSettings, readSettingsFile, resolveTarget, saveSettings, setPath, settingsHistory, type Settings } from '@helpdesk/metrics';
import type { Command } from '../command.ts';
import { CliError, UsageError, displayPath, resolveUserPath, type CommandContext } from '../context.ts';

/**
 * `helpdesk settings show|set|import|export|history`: the operating model (targets, SLA policies,
 * calendars, costs, thresholds) stored as versions in the warehouse. Every change is a new version
 * and an audit log entry; `helpdesk metrics --config FILE` still overrides it for one run.
 */
export const settingsCommand: Command = {
  name: 'settings',
  summary: 'targets, SLA policies, calendars, costs and thresholds: show, set, import, export',
  usage: [
    'helpdesk settings show [--json]',
    '       helpdesk settings set PATH=VALUE [PATH=VALUE ...] [--by EMAIL]   e.g. slaPolicies.urgent.firstReplySeconds=1800',
    '                                                              targets.first_response_time.channels.chat.target=90',
    '       helpdesk settings import FILE [--by EMAIL]   (JSON or YAML: a settings document, or the output of export --json)',
    '       helpdesk settings export [--out FILE] [--json]',
    '       helpdesk settings history [--json]',
  ].join('\n'),
  allowPositionals: true,
  options: {
    out: { type: 'string', description: 'export: write the document to this file instead of stdout', valueName: 'FILE' },
    by: { type: 'string', description: 'who makes the change, for the version history and the audit log (default: cli)', valueName: 'EMAIL' },
  },
  async run(ctx, values, positionals) {
    const [action, ...args] = positionals;
    const by = typeof values.by === 'string' ? values.by : 'cli';
    switch (action) {
      case 'show':
        noArgs(args);
        return withWarehouse(ctx, async (wh) => {
          const stored = await readSettings(wh);
          if (ctx.json) ctx.emit(envelope(stored));
          else show(ctx, stored.version, stored.savedAt, stored.savedBy, stored.settings);
          return 0;
        });
      case 'export':
        noArgs(args);
        return withWarehouse(ctx, async (wh) => {
          const doc = envelope(await readSettings(wh));
          const text = JSON.stringify(doc, null, 2) + '\n';
          if (typeof values.out === 'string') {
            const path = resolveUserPath(ctx.io, values.out);
            writeFileSync(path, text);
            if (ctx.json) ctx.emit({ settingsVersion: doc.settingsVersion, out: path });
            else ctx.say(`wrote settings version ${doc.settingsVersion} to ${displayPath(ctx, path)}`);
          } else if (ctx.json) ctx.emit(doc);
          else ctx.io.stdout.write(text);
          return 0;
        });
      case 'import': {
        if (args.length !== 1) throw new UsageError('settings import needs one FILE');
        const path = resolveUserPath(ctx.io, args[0]);
        return withWarehouse(ctx, async (wh) => report(ctx, await saveSettings(wh, readSettingsFile(path), { by, source: 'import' })));
      }
      case 'set': {
        if (args.length === 0) throw new UsageError('settings set needs PATH=VALUE, e.g. shortAbandonSeconds=10');
        return withWarehouse(ctx, async (wh) => {
          let doc: unknown = (await readSettings(wh)).settings;
          for (const arg of args) {
            const at = arg.indexOf('=');
            if (at <= 0) throw new UsageError(`"${arg}" is not PATH=VALUE`);
            doc = setPath(doc, arg.slice(0, at), arg.slice(at + 1));
          }
          return report(ctx, await saveSettings(wh, doc, { by, source: 'cli' }));
        });
      }
      case 'history':
        noArgs(args);
        return withWarehouse(ctx, async (wh) => {
          const rows = await settingsHistory(wh);
          if (ctx.json) ctx.emit(rows);
          else if (rows.length === 0) ctx.say('no settings saved yet: the defaults apply (version 0)');
          else for (const r of rows) ctx.say(`v${r.version}  ${r.created_at}  ${r.changed_by ?? '-'} (${r.source})  ${r.summary}`);
          return 0;
        });
      case undefined:
        throw new UsageError('say what to do: show, set, import, export or history');
      default:
        throw new UsageError(`unknown action "${action}"; use show, set, import, export or history`);
    }
  },
};

function noArgs(args: string[]): void {
  if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
}

function envelope(stored: { version: number; savedAt: string | null; savedBy: string | null; settings: Settings }) {
  return { settingsVersion: stored.version, savedAt: stored.savedAt, savedBy: stored.savedBy, settings: stored.settings };
}

function report(ctx: CommandContext, result: { version: number; changes: { path: string; from: unknown; to: unknown }[] }): number {
  if (ctx.json) ctx.emit(result);
  else if (result.changes.length === 0) ctx.say(`no change: settings version ${result.version} stays in force`);
  else {
    ctx.say(`saved settings version ${result.version}:`);
    for (const c of result.changes) ctx.say(`  ${c.path}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
  }
  return 0;
}

function show(ctx: CommandContext, version: number, savedAt: string | null, savedBy: string | null, s: Settings): void {
  ctx.say(version === 0 ? 'settings version 0 (the defaults; nothing saved yet)' : `settings version ${version}, saved ${savedAt} by ${savedBy ?? '-'}`);
  ctx.say(`\nthresholds: short abandon < ${s.shortAbandonSeconds} s, service level ${s.serviceLevelSeconds} s, repeat window ${s.repeatWindowSeconds / 3600} h, self-service window ${s.selfServiceWindowSeconds / 3600} h, callback SLA ${s.callbackSlaSeconds / 3600} h`);
  ctx.say(`costs (${s.costs.currency}): agent hour ${JSON.stringify(s.costs.agentHour)}, handle minutes ${JSON.stringify(s.costs.handleMinutes)}, bot conversation ${s.costs.botConversation}`);
  ctx.say('\nSLA policies (the first that matches applies):');
  for (const p of s.slaPolicies) {
    const scope = [p.channels?.length ? `channels ${p.channels.join(',')}` : '', p.priorities?.length ? `priority ${p.priorities.join(',')}` : '', p.tiers?.length ? `tier ${p.tiers.join(',')}` : ''].filter(Boolean).join('; ') || 'everything';
    ctx.say(`  ${p.id.padEnd(16)} ${scope}: first reply ${p.firstReplySeconds ?? '-'} s, resolution ${p.resolutionSeconds ?? '-'} s${p.businessHours ? ', business hours' : ''}`);
  }
  ctx.say(`\ncalendars: ${s.calendars.length ? s.calendars.map((c) => `${c.id} (${c.timeZone}${c.holidays ? `, holidays ${c.holidays.country}${c.holidays.state ? `-${c.holidays.state}` : ''}` : ''})`).join(', ') : "none (each team: Mon-Fri 09:00-17:00 in the team's zone)"}`);
  ctx.say('\ntargets (default; per channel):');
  for (const id of Object.keys(s.targets)) {
    const t = s.targets[id];
    const perChannel = Object.keys(t.channels).map((ch) => `${ch} ${resolveTarget(s.targets, id, { channel: ch })?.target}`);
    const scoped = Object.keys(t.teams).length + Object.keys(t.queues).length;
    ctx.say(`  ${id.padEnd(28)} ${t.target ?? '-'} (amber ${t.amber})${perChannel.length ? `; ${perChannel.join(', ')}` : ''}${scoped ? `; ${scoped} team/queue targets` : ''}`);
  }
}

async function withWarehouse(ctx: CommandContext, fn: (wh: Warehouse) => Promise<number>): Promise<number> {
  if (!existsSync(ctx.db)) throw new CliError(`no warehouse at ${displayPath(ctx, ctx.db)}; build one with \`helpdesk demo\` or pass --db`);
  const wh = await Warehouse.open(ctx.db);
  try {
    return await fn(wh);
  } catch (error) {
    if (error instanceof SettingsError || (error as Error).name === 'SettingsError') throw new CliError((error as Error).message);
    throw error;
  } finally {
    wh.close();
  }
}
