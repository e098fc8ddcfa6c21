import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { IngestError } from '../../framework/errors.ts';

/** One data row of a CSV or JSONL file: its values by column, and the line it started on. */
export interface TableRow {
  line: number;
  values: Record<string, string>;
}

/** A line that could not be read as a row, kept with the reason and its raw text. */
export interface BadRow {
  line: number;
  reason: string;
  text: string;
}

export interface TableFileOptions {
  format: 'csv' | 'jsonl';
  /** CSV field delimiter (default `,`). */
  delimiter?: string;
}

/**
 * Reads a CSV (first line = header) or JSONL file row by row. We use csv-parse (the parser of the
 * node-csv project) rather than a hand-written splitter: quoted fields with commas and newlines,
 * BOMs and CRLF are its daily business. A row with the wrong number of fields or broken quoting
 * comes back as a `BadRow` with the reason, never silently skipped or shifted.
 *
 * @example
 * for await (const r of readTableFile('calls.csv', { format: 'csv' })) if ('values' in r) console.log(r.values.call_id);
 */
export async function* readTableFile(path: string, options: TableFileOptions): AsyncIterable<TableRow | BadRow> {
  try {
    statSync(path);
  } catch {
    throw new IngestError(`--file ${path}: no such file`, 'options');
  }
  if (options.format === 'jsonl') {
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        yield { line, reason: `line ${line}: not valid JSON (${(error as Error).message})`, text };
        continue;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        yield { line, reason: `line ${line}: a JSONL row must be an object`, text };
        continue;
      }
      // Values become strings so that CSV and JSONL rows go through the same typed mapping.
      const values = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)]));
      yield { line, values };
    }
    return;
  }
  const skipped: BadRow[] = [];
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      delimiter: options.delimiter ?? ',',
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err, raw) => {
        const line = Number((err as unknown as { lines?: number } | undefined)?.lines ?? 0);
        skipped.push({ line, reason: `line ${line}: ${err?.message ?? 'unreadable CSV'}`, text: raw ?? '' });
        return undefined;
      },
    }),
  );
  let header: string[] | undefined;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    while (skipped.length) yield skipped.shift()!;
    const { record, info, raw } = item;
    if (!header) {
      header = dedupeHeader(record);
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, reason: `line ${info.lines}: ${record.length} fields where the header has ${header.length}`, text: raw.replace(/\r?\n$/, '') };
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = record[i]));
    yield { line: info.lines, values };
  }
  while (skipped.length) yield skipped.shift()!;
}

/** Repeated header names (the Italian help-desk log has `Variant` twice) get `_2`, `_3` suffixes. */
function dedupeHeader(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw) => {
    const name = raw.trim();
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}_${n}`;
  });
}

/**
 * The identity of a file's content for resume checkpoints: name, size and modification time. A
 * checkpoint of another version of the file is ignored (the ledger still merges unchanged rows).
 */
export function fileFingerprint(path: string): string {
  const st = statSync(path);
  return `${basename(path)}:${st.size}:${Math.floor(st.mtimeMs)}`;
}

/** Splits `<fingerprint>#<n>` and returns n when the fingerprint is this file's, else 0. */
export function resumeIndex(state: string | null, fingerprint: string): number {
  if (!state) return 0;
  const at = state.lastIndexOf('#');
  return at > 0 && state.slice(0, at) === fingerprint ? Number(state.slice(at + 1)) || 0 : 0;
}
