import type { PageRead } from '../../framework/adapter.ts';
import { fileFingerprint, readTableFile, resumeIndex, type TableFileOptions, type TableRow } from './table-file.ts';

export interface FilePagesOptions extends TableFileOptions {
  path: string;
  /** The committed cursor of the stream (`<fingerprint>#<records done>`), or null. */
  state: string | null;
  /** Records per page; each page is committed with its checkpoint. */
  pageSize?: number;
  /**
   * Rows to records. Without it each row is one record; with it rows sharing a key become one
   * record (an incident's event rows, a ticket's activities), in the order the key first appears.
   */
  groupBy?: (row: TableRow) => string;
  /** Builds the record from its rows (one row when not grouped). */
  toRecord: (rows: TableRow[], key: string) => unknown;
}

/**
 * Pages of records from a CSV/JSONL file, for file adapters: rows that cannot be read are
 * quarantined with their line and reason (on the first page, so a resumed run does not repeat
 * them), and each page carries a checkpoint so a killed import resumes after the last committed
 * page of the same file. Grouping holds the file's rows in memory (the size it takes: README,
 * "Benchmark"), because an export need not keep one key's rows together.
 *
 * @example
 * const pages = filePages({ path: 'calls.csv', format: 'csv', state: null, toRecord: (rows) => rows[0].values });
 */
export async function* filePages(o: FilePagesOptions): AsyncIterable<PageRead> {
  const fingerprint = fileFingerprint(o.path);
  const skip = resumeIndex(o.state, fingerprint);
  const pageSize = o.pageSize ?? 500;
  const quarantine: NonNullable<PageRead['quarantine']> = [];
  const groups = new Map<string, TableRow[]>();
  let ungrouped: TableRow[] = [];
  let done = 0;
  // Rows that could not be read travel with a page that also carries records (a page is flushed only
  // when the next good row arrives, so trailing bad rows ride with the last one): a page committed
  // by an earlier, killed run carried them then, so a resumed run does not quarantine them twice.
  const flushUngrouped = function* (): Generator<PageRead> {
    const records = ungrouped.map((r) => o.toRecord([r], String(r.line)));
    const start = done;
    ungrouped = [];
    done += records.length;
    const bad = quarantine.splice(0);
    if (done <= skip && done > 0) return;
    const page: PageRead = { records: records.slice(Math.max(0, skip - start)), checkpoint: `${fingerprint}#${done}` };
    if (bad.length) page.quarantine = bad;
    if (page.records.length || page.quarantine) yield page;
  };
  for await (const item of readTableFile(o.path, o)) {
    if (!('values' in item)) {
      quarantine.push({ nativeId: `line:${item.line}`, reason: item.reason, payload: item.text });
      continue;
    }
    if (o.groupBy) {
      const key = o.groupBy(item);
      const list = groups.get(key);
      if (list) list.push(item);
      else groups.set(key, [item]);
    } else {
      if (ungrouped.length >= pageSize) yield* flushUngrouped();
      ungrouped.push(item);
    }
  }
  if (!o.groupBy) {
    if (ungrouped.length || quarantine.length) yield* flushUngrouped();
    return;
  }
  const entries = [...groups.entries()];
  for (let start = 0; start < entries.length || (start === 0 && quarantine.length); start += pageSize) {
    const end = Math.min(entries.length, start + pageSize);
    const page: PageRead = { records: [], checkpoint: `${fingerprint}#${end}` };
    if (start === 0 && skip === 0 && quarantine.length) page.quarantine = quarantine.splice(0);
    if (end > skip) page.records = entries.slice(Math.max(start, skip), end).map(([key, rows]) => o.toRecord(rows, key));
    if (page.records.length || page.quarantine) yield page;
    if (entries.length === 0) break;
  }
}
