import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { IngestError } from './errors.ts';

/** One recorded API response on disk: its parsed body, or why it could not be parsed. */
export interface RecordedPage {
  /** Path relative to the folder, with `/`; pages are replayed in this order. */
  file: string;
  body?: unknown;
  error?: string;
  /** The file's text as read (raw records are cut out of it when they land). */
  text: string;
}

/**
 * Lists a folder of recorded API responses (one JSON file per page, as the vendor returned it),
 * recursively, in path order. Files are read one at a time later (`readRecordedPage`), so a folder
 * of gigabytes never sits in memory.
 *
 * @example
 * const files = await listRecordedPages('exports/zendesk');  // ['tickets/000001.json', ...]
 */
export async function listRecordedPages(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => relative(dir, join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split('\\').join('/'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    throw new IngestError(`--from-dir ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (error as Error).message}`, 'from_dir');
  }
}

/** Reads and parses one recorded page; a file that is not JSON comes back with its error and text. */
export async function readRecordedPage(dir: string, file: string): Promise<RecordedPage> {
  const text = await readFile(join(dir, file), 'utf8');
  try {
    return { file, body: JSON.parse(text), text };
  } catch (error) {
    return { file, error: `not valid JSON (${(error as Error).message})`, text };
  }
}

