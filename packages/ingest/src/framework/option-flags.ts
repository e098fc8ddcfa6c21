import type { Adapter, OptionKind, OptionMeta } from './adapter.ts';
import { IngestError } from './errors.ts';

/** One `helpdesk ingest` flag and the adapter options it sets. */
export interface SourceFlag {
  /** Without `--`. */
  flag: string;
  kind: OptionKind;
  /** The value's name in help and usage (`URL`, `FIELD`). */
  valueName: string;
  /** Every adapter option the flag sets: a shared flag (`--url`) sets one option per adapter. */
  sets: { source: string; option: string; meta: OptionMeta }[];
}

const defaultValueName: Record<OptionKind, string> = { text: 'VALUE', url: 'URL', path: 'PATH', boolean: 'true|false' };

/**
 * The flags the adapters declare, merged by name in declaration order. A secret with a flag, or a
 * flag two adapters declare with different kinds, is a declaration error said at once.
 *
 * @example
 * sourceFlags([servicenowAdapter, twcsAdapter]).map((f) => f.flag) // ['file', 'time-zone']
 */
export function sourceFlags(adapters: readonly Pick<Adapter, 'name' | 'optionMeta'>[]): SourceFlag[] {
  const byFlag = new Map<string, SourceFlag>();
  for (const adapter of adapters) {
    for (const [option, meta] of Object.entries(adapter.optionMeta)) {
      if (!meta.flag) continue;
      if (meta.secret) throw new IngestError(`${adapter.name} option ${option} is secret: it cannot have a flag (tokens never come from the command line)`, 'options');
      const known = byFlag.get(meta.flag);
      if (known && known.kind !== meta.kind) {
        throw new IngestError(`--${meta.flag} is a ${known.kind} for ${known.sets[0].source} but a ${meta.kind} for ${adapter.name}`, 'options');
      }
      const entry = known ?? { flag: meta.flag, kind: meta.kind, valueName: meta.valueName ?? defaultValueName[meta.kind], sets: [] };
      entry.sets.push({ source: adapter.name, option, meta });
      byFlag.set(meta.flag, entry);
    }
  }
  return [...byFlag.values()];
}

/**
 * An adapter's options from parsed command-line values: each given flag of `flags` becomes the
 * option it sets for this adapter (a `path` resolved by `resolvePath`). Values of other names are
 * not source flags and are left alone; a source flag this adapter does not declare is refused,
 * never ignored.
 *
 * @example
 * flagOptions(twilioAdapter, { 'account-sid': 'AC...', since: '2026-01-01' }, sourceFlags(Object.values(adapters)), (p) => p)
 * // { accountSid: 'AC...' }
 */
export function flagOptions(
  adapter: Pick<Adapter, 'name' | 'optionMeta'>,
  values: Record<string, unknown>,
  flags: readonly SourceFlag[],
  resolvePath: (path: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const value = values[flag.flag];
    if (typeof value !== 'string') continue;
    const target = flag.sets.find((s) => s.source === adapter.name);
    if (!target) {
      const owners = flag.sets.map((s) => s.source).join(', ');
      throw new IngestError(`--${flag.flag} is not an option of ${adapter.name} (it is one of ${owners})`, 'options');
    }
    out[target.option] = flag.kind === 'path' ? resolvePath(value) : value;
  }
  return out;
}
