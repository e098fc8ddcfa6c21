import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Adapter, PageRead, StreamSpec } from '../../framework/adapter.ts';
import { fileFingerprint, readTableFile, resumeIndex, type TableRow } from '../csv/table-file.ts';
import { normalizeThread } from './normalize.ts';
import { TwcsThread } from './schemas.ts';
import { threadsOf } from './threads.ts';

export const TwcsOptions = z.object({ file: z.string({ error: 'name the file with --file' }).min(1, 'name the file with --file') });
export type TwcsOptions = z.infer<typeof TwcsOptions>;

/** Some copies write tweet ids as floats (`3.0`, pandas); ids are integers. */
const tweetId = (v: string | undefined) => (v ?? '').trim().replace(/\.0+$/, '');

/**
 * Pages of threads: the whole file is read first (a reply can come before its parent in the
 * file), threads are rebuilt from the reply graph, then committed a page at a time with resume
 * checkpoints like the other file sources.
 */
async function* threadPages(path: string, state: string | null): AsyncIterable<PageRead> {
  const fingerprint = fileFingerprint(path);
  const skip = resumeIndex(state, fingerprint);
  const quarantine: NonNullable<PageRead['quarantine']> = [];
  const rows: TableRow[] = [];
  for await (const item of readTableFile(path, { format: 'csv' })) {
    if ('values' in item) rows.push(item);
    else quarantine.push({ nativeId: `line:${item.line}`, reason: item.reason, payload: item.text });
  }
  const tweets = rows.map((r) => ({ ...r.values, tweet_id: tweetId(r.values.tweet_id), in_response_to_tweet_id: tweetId(r.values.in_response_to_tweet_id), _line: r.line }));
  const ids = new Set(tweets.map((t) => t.tweet_id));
  const threads = [...threadsOf(tweets).entries()];
  const PAGE = 500;
  for (let start = 0; start < threads.length || (start === 0 && quarantine.length); start += PAGE) {
    const end = Math.min(threads.length, start + PAGE);
    const page: PageRead = { records: [], checkpoint: `${fingerprint}#${end}` };
    if (start === 0 && skip === 0 && quarantine.length) page.quarantine = quarantine.splice(0);
    if (end > skip) {
      page.records = threads.slice(Math.max(start, skip), end).map(([root, list]) => {
        const r = list.find((t) => t.tweet_id === root);
        return { root, partial: !!r?.in_response_to_tweet_id && !ids.has(r.in_response_to_tweet_id), tweets: list };
      });
    }
    if (page.records.length || page.quarantine) yield page;
    if (threads.length === 0) break;
  }
}

const threads: StreamSpec<TwcsOptions, TwcsThread> = {
  name: 'threads', cursorFormat: 'file-position', primaryKey: 'root', writeDisposition: 'merge', lookBackSeconds: 0,
  schema: TwcsThread, versionOrder: 'content',
  nativeId: (t) => t.root,
  version: (t) => createHash('sha1').update(JSON.stringify(t.tweets.map((x) => [x.tweet_id, x.text, x.created_at]))).digest('hex'),
  normalize: (t) => normalizeThread(t),
  read: ({ options, state }) => threadPages(options.file, state),
  recordsOfPage: () => undefined,
};

/**
 * Social threads in the Twitter customer-support format (TWCS): `helpdesk ingest twcs --file PATH`.
 * One interaction per reply thread, brand versus customer from `inbound`.
 *
 * @example
 * await runIngest({ warehouse, adapter: twcsAdapter, options: { file: 'twcs.csv' } });
 */
export const twcsAdapter: Adapter<TwcsOptions> = {
  name: 'twcs',
  options: TwcsOptions as unknown as z.ZodType<TwcsOptions>,
  optionMeta: { file: { kind: 'path', required: true, flag: 'file', description: 'the tweets CSV (tweet_id, author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id)' } },
  streams: [threads] as StreamSpec<TwcsOptions>[],
};
