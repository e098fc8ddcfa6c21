import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Vendor records of one stream, written out as pages while the world is generated and read back
 * page by page when the adapter runs: a million-interaction world holds millions of vendor
 * records, more than fit in memory next to DuckDB. Each page is one JSON file
 * (`<dir>/<stream>/000001.json`, the records under `key`), deleted once read back.
 *
 * @example
 * const spool = new PageSpool(dir, 'tickets', 'tickets', 1000);
 * spool.write(ticket);
 * for (const records of spool.pages()) ...
 */
export class PageSpool {
  private buffer: unknown[] = [];
  private files = 0;
  private count = 0;

  constructor(private readonly dir: string, readonly stream: string, private readonly key: string, private readonly pageSize: number) {
    mkdirSync(join(dir, stream), { recursive: true });
  }

  get records(): number {
    return this.count;
  }

  write(record: unknown): void {
    this.buffer.push(record);
    this.count++;
    if (this.buffer.length >= this.pageSize) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    this.files++;
    writeFileSync(this.file(this.files), JSON.stringify({ [this.key]: this.buffer }));
    this.buffer = [];
  }

  private file(n: number): string {
    return join(this.dir, this.stream, `${String(n).padStart(6, '0')}.json`);
  }

  /** The pages in order (call once, after the last write); each file is deleted once read. */
  *pages(): Iterable<unknown[]> {
    this.flush();
    for (let n = 1; n <= this.files; n++) {
      const page = JSON.parse(readFileSync(this.file(n), 'utf8')) as Record<string, unknown[]>;
      rmSync(this.file(n));
      yield page[this.key];
    }
  }
}
