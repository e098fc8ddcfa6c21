import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The side effects a command may use, passed in so tests can capture them. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where secrets are read from (`users add --password-stdin`); absent in tests that pass none. */
  stdin?: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Where relative paths given by the user are resolved (npm run sets INIT_CWD to the caller's). */
  cwd: string;
}

/** Global options every command accepts. */
export interface GlobalOptions {
  db: string;
  json: boolean;
}

export interface CommandContext extends GlobalOptions {
  io: CliIo;
  repoRoot: string;
  /** Prints a line for people; silent in --json mode so stdout stays machine-readable. */
  say(line: string): void;
  /** Prints the one JSON document of a --json run. */
  emit(value: unknown): void;
}

/** A mistake in how the command was called: printed as one line with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on: printed as one line, no stack. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

let cachedRoot: string | undefined;

/** The monorepo root: the nearest package.json upward that declares workspaces. */
export function findRepoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  if (cachedRoot) return cachedRoot;
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).workspaces) return (cachedRoot = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new CliError('cannot find the helpdesk repository root (a package.json with workspaces)');
    dir = parent;
  }
}

export function defaultDbPath(repoRoot: string): string {
  return join(repoRoot, 'data', 'helpdesk.duckdb');
}

export function resolveUserPath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** A path as the user would type it: relative to where they are when it is below, else absolute. */
export function displayPath(ctx: { io: CliIo }, path: string): string {
  const rel = relative(ctx.io.cwd, path);
  return rel.startsWith('..') ? path : rel;
}
