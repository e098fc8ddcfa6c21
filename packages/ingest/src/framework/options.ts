import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { OptionMeta } from './adapter.ts';
import { IngestError } from './errors.ts';

/**
 * A zod error as one readable line: `path: message; path: message`. Secret options are named but
 * their values never appear (zod messages do not echo values for the checks we use).
 *
 * @example
 * describeZodError(schema.safeParse({ id: 'x' }).error!) // "id: Invalid input: expected number, received string"
 */
export function describeZodError(error: z.ZodError, meta: Record<string, OptionMeta> = {}): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.join('.') || '(record)';
      const env = meta[String(issue.path[0])]?.env;
      return `${path}: ${issue.message}${env ? ` (set ${env})` : ''}`;
    })
    .join('; ');
}

/**
 * Connection options from environment variables (named in each adapter's option metadata), then
 * a JSON config file's `<adapter>` section, then explicit flags, later ones winning.
 *
 * @example
 * const raw = connectionOptions(zendeskAdapter.optionMeta, 'zendesk', process.env, { baseUrl: 'http://127.0.0.1:4010' });
 */
export function connectionOptions(
  meta: Record<string, OptionMeta>,
  adapterName: string,
  env: NodeJS.ProcessEnv,
  flags: Record<string, string | undefined>,
  configFile?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, m] of Object.entries(meta)) if (m.env && env[m.env]) out[key] = env[m.env]!;
  if (configFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (error) {
      throw new IngestError(`config file ${configFile}: ${(error as Error).message.split('\n')[0]}`, 'options');
    }
    const section = (parsed as Record<string, unknown>)?.[adapterName];
    if (section && typeof section === 'object') {
      for (const [k, v] of Object.entries(section)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
    }
  }
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) out[k] = v;
  return out;
}

/** Options as they may be shown: secrets replaced by `***`. */
export function redactOptions(options: Record<string, unknown>, meta: Record<string, OptionMeta>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([k, v]) => [k, meta[k]?.secret ? '***' : v]));
}
