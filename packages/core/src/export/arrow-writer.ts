import { duckdb } from './duckdb-bindings.ts';
import { AsyncByteQueue, makeData, RecordBatch, RecordBatchFileWriter, RecordBatchStreamWriter, Schema, Struct } from 'apache-arrow';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import type { Warehouse } from '../database.ts';
import { columnBuilder, type ColumnBuilder } from './arrow-columns.ts';
import type { ByteSink } from './byte-sink.ts';
import { ExportError } from './dataset-registry.ts';

export type ArrowFormat = 'file' | 'stream';

export interface ArrowWriteOptions {
  /** IPC file (random access, footer) or stream (for pipes and HTTP). */
  format: ArrowFormat;
  /** Rows per record batch (default 65,536): bigger batches mean less overhead, more memory. */
  batchRows?: number;
  /** Run on this connection (one holding the dataset's temp tables) instead of a pooled one. */
  connection?: DuckDBConnection;
  /**
   * Disjoint queries whose rows together are `sql`'s (see split-export.ts), each streamed on its
   * own pooled connection at the same time; record batches take chunks from whichever stream has
   * one ready. Ignored with `connection`: a connection streams one result at a time, and temp
   * tables live on that connection only.
   */
  parts?: readonly string[];
  /** Called after each batch with the rows written so far. */
  onProgress?: (rows: number) => void;
}

export interface ArrowWriteResult {
  rows: number;
  batches: number;
  bytes: number;
  sha256: string;
  schema: Schema;
}

/** Collects what the Arrow writer emits so we can hand it to the sink with backpressure. */
class CollectingQueue extends AsyncByteQueue {
  pending: Uint8Array[] = [];
  override write(value: unknown): void {
    this.pending.push(value as Uint8Array);
  }
  take(): Uint8Array[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }
}

/** What all the streams of one export buffer ahead of us, together (see writeArrow). */
const STREAMING_BUFFER_MB = 32;

/**
 * Runs `sql` and writes its result as Arrow IPC to `sink`, one record batch at a time: DuckDB
 * chunks are copied column by column into Arrow buffers (see arrow-columns.ts) and each batch is
 * written before the next is built, so memory stays bounded whatever the row count. With `parts`,
 * those queries are streamed concurrently instead of `sql`, one fetch outstanding per stream.
 *
 * @example
 * const result = await writeArrow(wh, 'SELECT * FROM cases', fileSink('cases.arrow'), { format: 'file' });
 * result.rows // number of rows written
 */
export async function writeArrow(wh: Warehouse, sql: string, sink: ByteSink, options: ArrowWriteOptions): Promise<ArrowWriteResult> {
  const batchRows = options.batchRows ?? 65_536;
  // DuckDB chunks hold at most 2,048 rows; a batch must fit at least one.
  if (!Number.isInteger(batchRows) || batchRows < 2048) {
    const error = new ExportError('batchRows must be a whole number of at least 2048');
    // The sink may hold a file and a writer thread open.
    sink.abort(error);
    throw error;
  }
  const queries = !options.connection && options.parts && options.parts.length > 0 ? options.parts : [sql];
  const queue = new CollectingQueue();
  const writer = options.format === 'file' ? new RecordBatchFileWriter() : new RecordBatchStreamWriter();
  writer.reset(queue as never);
  let rows = 0;
  let batches = 0;
  try {
    const schema = await withConnections(wh, queries.length, options.connection, async (connections) => {
      const results = await startStreams(wh, connections, queries);
      const names = results[0].columnNames();
      for (const other of results) {
        if (other.columnNames().join('\u0000') !== names.join('\u0000')) throw new ExportError('the parts of a split export must have the same columns');
      }
      const builders: ColumnBuilder[] = results[0].columnTypes().map((type, i) => columnBuilder(names[i], type, batchRows, sink.consumesSynchronously === true));
      const schema = new Schema(builders.map((b) => b.field));
      let batchLength = 0;
      const flush = async () => {
        const children = builders.map((b) => b.finish());
        const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batchLength, nullCount: 0, children }));
        writer.write(batch);
        for (const bytes of queue.take()) await sink.write(bytes);
        rows += batchLength;
        batches++;
        batchLength = 0;
        options.onProgress?.(rows);
      };
      // Each fetch is a round trip through libuv's thread pool; asking a stream for its next chunk
      // before copying the one it gave overlaps that wait with our work (the chunk we hold stays
      // valid: DuckDB hands each fetched chunk over to us). One fetch is outstanding per stream,
      // so DuckDB buffers at most its streaming buffer per stream ahead of us.
      const inFlight: (Promise<Arrival> | undefined)[] = results.map((result, stream) => fetchNext(result, stream));
      let open = results.length;
      try {
        while (open > 0) {
          const { stream, chunk } = await Promise.race(inFlight.filter((p) => p !== undefined));
          const count = chunk?.rowCount ?? 0;
          if (!chunk || count === 0) {
            inFlight[stream] = undefined;
            open--;
            continue;
          }
          inFlight[stream] = fetchNext(results[stream], stream);
          if (batchLength + count > batchRows) await flush();
          for (let c = 0; c < builders.length; c++) builders[c].append(duckdb.data_chunk_get_vector(chunk.chunk, c), count);
          batchLength += count;
        }
      } finally {
        if (open > 0) {
          // A failed write leaves streams running: stop them, and hand no connection back to the
          // pool while a fetch on it is still in flight.
          for (const connection of connections) connection.interrupt();
          await Promise.allSettled(inFlight);
        }
      }
      // An empty result still gets its schema (and one empty batch) so readers see the columns.
      if (batchLength > 0 || batches === 0) await flush();
      return schema;
    });
    writer.finish();
    for (const bytes of queue.take()) await sink.write(bytes);
    const { bytes, sha256 } = await sink.end();
    return { rows, batches, bytes, sha256, schema };
  } catch (error) {
    sink.abort(error as Error);
    throw error;
  }
}

interface Arrival {
  stream: number;
  chunk: DuckDBDataChunk | null;
}

function fetchNext(result: DuckDBResult, stream: number): Promise<Arrival> {
  const arrival = result.fetchChunk().then((chunk) => ({ stream, chunk }));
  // When a write fails we stop awaiting fetches; a rejection then is not news.
  arrival.catch(() => undefined);
  return arrival;
}

/** `count` connections: the given one (count is then 1), else pooled ones, returned when `work` ends. */
async function withConnections<T>(wh: Warehouse, count: number, given: DuckDBConnection | undefined, work: (connections: DuckDBConnection[]) => Promise<T>): Promise<T> {
  if (given) return work([given]);
  const held: DuckDBConnection[] = [];
  // Nested, so each pooled connection is handed back however `work` ends.
  const hold = async (): Promise<T> => {
    if (held.length === count) return work(held);
    return wh.withConnection(async (connection) => {
      held.push(connection);
      return hold();
    });
  };
  return hold();
}

/** Starts one streaming query per connection, all planned without insertion order. */
async function startStreams(wh: Warehouse, connections: DuckDBConnection[], queries: readonly string[]): Promise<DuckDBResult[]> {
  // Let DuckDB's threads run ahead of us by a few batches instead of ~1 MB (the default), so
  // the query and our column copying overlap; memory stays bounded by these buffers.
  const bufferMb = Math.max(4, Math.floor(STREAMING_BUFFER_MB / queries.length));
  for (const connection of connections) await connection.run(`SET streaming_buffer_size = '${bufferMb}MB'`);
  // Row order is unspecified (query.ts), so DuckDB need not keep it: its threads then all feed
  // the stream instead of waiting on each other (1.76M -> 2.76M rows/s streaming the events
  // table here). The setting is global and read when a query is planned, so it is restored as
  // soon as ours are (from another connection: any statement on one of these would end its
  // stream), so other sessions' queries keep their order.
  const [{ keep }] = await wh.all<{ keep: boolean }>("SELECT current_setting('preserve_insertion_order') AS keep");
  await connections[0].run('SET preserve_insertion_order = false');
  try {
    // Started together: a part's first chunk can wait on a hash table it builds first.
    return await Promise.all(queries.map((query, i) => connections[i].stream(query)));
  } finally {
    if (keep) await wh.run('SET preserve_insertion_order = true');
  }
}
