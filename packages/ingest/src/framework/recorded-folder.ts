import type { Adapter, PageRead, StreamSpec } from './adapter.ts';
import { listRecordedPages, readRecordedPage } from './recorded-pages.ts';

/**
 * A folder of recorded pages routed to an adapter's streams (a `--from-dir` run). Pages are read
 * lazily, one file at a time. When files sit in folders named after streams, a stream reads only
 * its folder; otherwise each stream looks at every file. Files no stream took are explained, never
 * dropped silently.
 *
 * @example
 * const folder = await RecordedFolder.open(dir, adapter.streams);
 * for (const stream of adapter.streams) for await (const page of folder.pagesOf(stream, null)) console.log(page.checkpoint);
 * console.log(await folder.unclaimed(adapter));
 */
export class RecordedFolder {
  private readonly claimed = new Set<string>();
  private readonly byFolder: boolean;

  private constructor(private readonly dir: string, private readonly files: string[], private readonly streams: StreamSpec[]) {
    this.byFolder = files.some((f) => streams.some((s) => f.startsWith(`${s.name}/`)));
  }

  static async open(dir: string, streams: StreamSpec[]): Promise<RecordedFolder> {
    return new RecordedFolder(dir, await listRecordedPages(dir), streams);
  }

  /** The stream a file that is not JSON belongs to: the one its folder is named after, else the first. */
  private ownerOfBadFile(file: string): StreamSpec {
    return this.streams.find((x) => file.startsWith(`${x.name}/`)) ?? this.streams[0];
  }

  /** Recorded pages of one stream in file-name order, resuming after the committed file (`state`). */
  async *pagesOf(stream: StreamSpec, state: string | null): AsyncIterable<PageRead> {
    const files = this.byFolder ? this.files.filter((f) => f.startsWith(`${stream.name}/`)) : this.files;
    const pending = files.filter((file) => {
      if (state !== null && file <= state) {
        this.claimed.add(file);
        return false;
      }
      return true;
    });
    // The next file is read from disk while this one is processed.
    let next = pending.length ? readRecordedPage(this.dir, pending[0]) : undefined;
    for (let k = 0; k < pending.length; k++) {
      const file = pending[k];
      const page = await next!;
      next = k + 1 < pending.length ? readRecordedPage(this.dir, pending[k + 1]) : undefined;
      next?.catch(() => undefined);
      if (page.error) {
        // A page file that is not JSON is quarantined once, with its text, by the stream that owns it.
        if (this.ownerOfBadFile(file) !== stream) continue;
        this.claimed.add(file);
        yield { records: [], checkpoint: file, quarantine: [{ nativeId: null, reason: `${file}: ${page.error}`, payload: page.text }] };
        continue;
      }
      const records = stream.recordsOfPage(page.body);
      if (records === undefined) continue;
      this.claimed.add(file);
      yield { records, checkpoint: file, source: { text: page.text, body: page.body } };
    }
  }

  /** Files no stream took and why (the adapter knows its non-record pages). */
  async unclaimed(adapter: Pick<Adapter, 'explainNonRecordPage'>): Promise<{ file: string; reason: string }[]> {
    const skipped: { file: string; reason: string }[] = [];
    const inStreamFolder = (f: string) => this.byFolder && this.streams.some((s) => f.startsWith(`${s.name}/`));
    for (const file of this.files.filter((f) => !this.claimed.has(f) && !inStreamFolder(f))) {
      const page = await readRecordedPage(this.dir, file);
      if (page.error) continue;
      skipped.push({ file, reason: adapter.explainNonRecordPage?.(page.body, file) ?? `${file}: no stream of this adapter recognises the page` });
    }
    return skipped;
  }
}
