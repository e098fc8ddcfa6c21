import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
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

/**
 * A sink writing a new file at `path` (fails if the folder does not exist). Writes are synchronous:
 * into the page cache they take about a millisecond per batch, and a written batch's buffers can
 * then be reused for the next one (see arrow-columns.ts), which halves what the exporter allocates.
 *
 * @example
 * const sink = fileSink('out/events.arrow'); await sink.write(bytes); await sink.end();
 */
export function fileSink(path: string): ByteSink {
  const hash: Hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let bytes = 0;
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    consumesSynchronously: true,
    async write(chunk) {
      hash.update(chunk);
      for (let done = 0; done < chunk.byteLength; ) done += writeSync(fd, chunk, done);
      bytes += chunk.byteLength;
    },
    async end() {
      close();
      return { bytes, sha256: hash.digest('hex') };
    },
    abort() {
      close();
    },
  };
}
