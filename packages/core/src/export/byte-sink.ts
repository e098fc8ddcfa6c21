import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Where exported bytes go: a file or an HTTP response. `write` resolves when the destination can
 * take more, which is what keeps memory bounded for any export size.
 */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
  /** True when `write` has written or copied the bytes by the time it resolves, so the caller may reuse them. */
  readonly consumesSynchronously?: boolean;
  /** Flushes and closes; resolves with the byte count and SHA-256 of everything written. */
  end(): Promise<{ bytes: number; sha256: string }>;
  /** Stops after a failure (closes without waiting). */
  abort(error: Error): void;
}

/**
 * A sink over any Node writable (an HTTP response, a file stream), hashing as it goes.
 *
 * @example
 * const sink = writableSink(response); await sink.write(bytes); await sink.end();
 */
export function writableSink(stream: Writable, closeStream = true): ByteSink {
  const hash: Hash = createHash('sha256');
  let bytes = 0;
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    async write(chunk) {
      if (failure) throw failure;
      hash.update(chunk);
      bytes += chunk.byteLength;
      if (!stream.write(chunk)) await drained(stream);
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      if (closeStream) {
        const finished = once(stream, 'finish');
        stream.end();
        await finished;
        // A file is only complete on disk (and safe to checksum or rename) once its fd is closed.
        if ('fd' in stream && !stream.closed) await once(stream, 'close');
      }
      return { bytes, sha256: hash.digest('hex') };
    },
    abort(error) {
      failure ??= error;
      stream.destroy();
    },
  };
}

/** Resolves when the stream wants more (or can take nothing more: closed or failed), leaving no listener behind. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/** Bytes per hand-over to the writer thread, and how many may be on their way at once. */
const HANDOVER_BYTES = 8 * 2 ** 20;
const HANDOVERS_IN_FLIGHT = 3;

/**
 * The writer thread of `fileSink`: hashes and writes each buffer it is handed, in order, and
 * hands the buffer back for reuse. Plain CommonJS evaluated as is, so that neither a TypeScript
 * loader nor a bundler has to know about a second entry file.
 */
const WRITER_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
parentPort.on('message', (message) => {
  try {
    if (message.type === 'write') {
      const bytes = new Uint8Array(message.buffer, 0, message.length);
      hash.update(bytes);
      for (let done = 0; done < message.length; ) done += writeSync(workerData.fd, bytes, done);
      parentPort.postMessage({ type: 'written', buffer: message.buffer }, [message.buffer]);
    } else {
      parentPort.postMessage({ type: 'ended', sha256: hash.digest('hex') });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: String(error && error.message) });
  }
});
`;

type WriterReply = { type: 'written'; buffer: ArrayBuffer } | { type: 'ended'; sha256: string } | { type: 'failed'; message: string };

/**
 * A sink writing a new file at `path` (fails if the folder does not exist). Hashing (SHA-256 runs
 * at about 1 GB/s) and the write calls happen on a writer thread, off the thread that builds the
 * batches: `write` only copies the bytes into a hand-over buffer, so the caller may reuse its own
 * at once (see arrow-columns.ts), which halves what the exporter allocates. At most
 * HANDOVERS_IN_FLIGHT buffers are on their way, so memory stays bounded.
 *
 * @example
 * const sink = fileSink('out/events.arrow'); await sink.write(bytes); await sink.end();
 */
export function fileSink(path: string): ByteSink {
  const fd = openSync(path, 'w');
  const writer = new Worker(WRITER_THREAD, { eval: true, workerData: { fd } });
  let open = true;
  let failure: Error | undefined;
  let bytes = 0;
  const spare: ArrayBuffer[] = [];
  let inFlight = 0;
  let waiting: (() => void) | undefined;
  let ended: ((sha256: string) => void) | undefined;
  const wake = () => {
    const resume = waiting;
    waiting = undefined;
    resume?.();
  };
  // The thread keeps the process alive only while it has work, so a sink that is dropped without
  // end() or abort() cannot hold a finished program open.
  writer.unref();
  writer.on('message', (reply: WriterReply) => {
    if (reply.type === 'written') {
      spare.push(reply.buffer);
      inFlight--;
      if (inFlight === 0 && !ended) writer.unref();
    } else if (reply.type === 'ended') ended?.(reply.sha256);
    else failure ??= new Error(`writing ${path}: ${reply.message}`);
    wake();
  });
  writer.on('error', (error) => {
    failure ??= error;
    wake();
  });
  // The descriptor is closed only once the writer thread is gone: a write still running there
  // must never land in another file that reused the number.
  const close = () => {
    if (!open) return;
    open = false;
    void writer.terminate().finally(() => closeSync(fd));
  };
  let current = new Uint8Array(HANDOVER_BYTES);
  let used = 0;
  const handOver = async () => {
    if (used === 0) return;
    writer.ref();
    writer.postMessage({ type: 'write', buffer: current.buffer, length: used }, [current.buffer as ArrayBuffer]);
    inFlight++;
    current = new Uint8Array(spare.pop() ?? new ArrayBuffer(HANDOVER_BYTES));
    used = 0;
    while (inFlight >= HANDOVERS_IN_FLIGHT && !failure) await new Promise<void>((resolve) => (waiting = resolve));
    if (failure) throw failure;
  };
  return {
    consumesSynchronously: true,
    async write(chunk) {
      if (failure) throw failure;
      for (let done = 0; done < chunk.byteLength; ) {
        const n = Math.min(HANDOVER_BYTES - used, chunk.byteLength - done);
        current.set(n === chunk.byteLength ? chunk : chunk.subarray(done, done + n), used);
        used += n;
        done += n;
        if (used === HANDOVER_BYTES) await handOver();
      }
      bytes += chunk.byteLength;
    },
    async end() {
      await handOver();
      const digest = new Promise<string>((resolve) => (ended = resolve));
      writer.ref();
      writer.postMessage({ type: 'end' });
      // The writer answers in order, so "ended" comes after every write; a failure wakes us instead.
      const sha256 = await Promise.race([digest, new Promise<never>((_, reject) => {
        const check = () => (failure ? reject(failure) : (waiting = check));
        check();
      })]);
      open = false;
      await writer.terminate();
      // A file is only complete on disk (and safe to checksum or rename) once its fd is closed.
      closeSync(fd);
      return { bytes, sha256 };
    },
    abort() {
      close();
    },
  };
}
