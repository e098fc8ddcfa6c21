import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * SHA-256 of a file, read as a stream (an export can be larger than memory).
 *
 * @example
 * await fileSha256('out/cases.parquet') // '3f2a...'
 */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir`, as paths relative to `base` with forward slashes, sorted. */
export function listFiles(dir: string, base: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [relative(base, dir).split(sep).join('/')];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(path, base));
    else found.push(relative(base, path).split(sep).join('/'));
  }
  return found.sort();
}

/** A path as a SQL string literal (COPY takes no bound parameter for its target). */
export function sqlPathLiteral(path: string): string {
  if (path.includes('\0')) throw new Error('a path cannot contain a NUL byte');
  return `'${path.replace(/'/g, "''")}'`;
}
