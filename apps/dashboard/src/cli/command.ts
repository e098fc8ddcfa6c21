import type { ParseArgsConfig } from 'node:util';
import { UsageError, type CommandContext } from './context.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

/**
 * One CLI command: its options are data (turned into node:util parseArgs config and into --help),
 * its work a function of the parsed values. Returns the process exit code.
 */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** More help, printed after the options (per-source options of `ingest`). */
  details?: string;
  allowPositionals?: boolean;
  run(ctx: CommandContext, values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

/** Reads an integer option, with a clear message for anything that is not one. */
export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const text = String(raw).replace(/_/g, '');
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return Number(text);
}
