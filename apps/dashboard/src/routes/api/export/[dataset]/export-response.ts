import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import { takeWorkSlot } from '$lib/server/work-slots';
import type { Warehouse } from '@helpdesk/core';
import { checkPeriod, datasetOptions as checkDatasetOptions, ExportError, exportDataset, exportTargetName, getDataset, parseExportFilters, streamDataset } from '@helpdesk/core/export';

const contentTypes = {
  arrows: 'application/vnd.apache.arrow.stream',
  arrow: 'application/vnd.apache.arrow.file',
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
} as const;
export type HttpFormat = keyof typeof contentTypes;

/**
 * Dataset options a URL may set (`?tz=Europe/Berlin`). Options naming files on the server
 * (`ruleset`, `current`) are not among them: a URL must not choose which server file is read.
 */
const urlOptions = ['tz', 'business_hours', 'seed', 'scale'] as const;

export interface ExportRequest {
  warehouse: Warehouse;
  dataset: string;
  searchParams: URLSearchParams;
  /** HMAC key for `pii=hash` (the server's HELPDESK_EXPORT_KEY). */
  key?: string;
  /** Whether the caller may receive PII as stored (`pii=include`): the route decides, from sign-in. */
  mayIncludePii: boolean;
  /** Logs a failure after the response has started (the download is cut short). */
  log?: (message: string) => void;
  /** Who asks (the signed-in user's id): at most `HEAVY_WORK_PER_USER` of their exports and simulations run at once. */
  user?: string;
  /** The request's signal: a client that goes away interrupts its export's query. */
  signal?: AbortSignal;
}

/**
 * The export endpoint's logic without SvelteKit's request plumbing, so it is testable with a plain
 * warehouse: validates the query, then streams Arrow IPC straight into the response batch by
 * batch, or runs one COPY for Parquet/CSV into a private temp folder that is removed once the file
 * has been sent (or the download abandoned). Bad input is a 400 with one readable line.
 *
 * @example
 * const response = await exportResponse({ warehouse, dataset: 'events', searchParams: new URLSearchParams('format=arrows&channel=chat'), mayIncludePii: false });
 */
export async function exportResponse(request: ExportRequest): Promise<Response> {
  const { warehouse, dataset, searchParams } = request;
  const format = (searchParams.get('format') ?? 'arrows') as HttpFormat;
  if (!Object.hasOwn(contentTypes, format)) error(400, { message: `format must be one of ${Object.keys(contentTypes).join(', ')}` });
  const pii = searchParams.get('pii') ?? 'redact';
  if (pii !== 'redact' && pii !== 'hash' && pii !== 'include') error(400, { message: 'pii must be redact, hash or include' });
  if (pii === 'include' && !request.mayIncludePii) {
    error(403, { message: 'Exports with PII included need the export.pii permission (or the CLI: `helpdesk export --pii include`).' });
  }
  const csvValues = searchParams.get('csv') ?? 'guard';
  if (csvValues !== 'guard' && csvValues !== 'exact') error(400, { message: 'csv must be guard (the default: formula-like cells get a leading quote) or exact' });
  const channels = searchParams.get('channel')?.split(',').filter(Boolean);
  const datasetOptions = Object.fromEntries(urlOptions.flatMap((name) => (searchParams.has(name) ? [[name, searchParams.get(name)!]] : [])));
  let filters;
  try {
    // Checked here, before a 200 goes out: a streamed body can only be cut short, not turned into a 400.
    checkDatasetOptions(getDataset(dataset), datasetOptions);
    filters = parseExportFilters({
      ...(searchParams.get('from') ? { from: searchParams.get('from') } : {}),
      ...(searchParams.get('to') ? { to: searchParams.get('to') } : {}),
      ...(channels?.length ? { channels } : {}),
    });
    checkPeriod(getDataset(dataset), filters);
  } catch (reason) {
    if (reason instanceof ExportError) error(400, { message: reason.message });
    throw reason;
  }
  const headers = {
    'content-type': contentTypes[format],
    'content-disposition': `attachment; filename="${exportTargetName(dataset, format === 'arrows' ? 'arrow-stream' : format)}"`,
    'cache-control': 'no-store',
  };
  const key = request.key || undefined;

  const release = takeWorkSlot(request.user);
  if (format === 'arrows' || format === 'arrow') {
    const out = new PassThrough();
    // A client that goes away ends the stream, which stops the writer at its next batch.
    request.signal?.addEventListener('abort', () => out.destroy(), { once: true });
    // The export runs while the response is read; a failure mid-way cuts the download short.
    streamDataset(warehouse, { dataset, filters, pii, key, datasetOptions, format: format === 'arrow' ? 'file' : 'stream' }, out)
      .catch((reason) => {
        request.log?.(`export ${dataset}: ${(reason as Error).message}`);
        out.destroy(reason as Error);
      })
      .finally(release);
    return new Response(Readable.toWeb(out) as ReadableStream, { headers });
  }

  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-http-export-'));
  const cleanup = () => {
    release();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const manifest = await exportDataset(warehouse, { dataset, format, outDir: dir, filters, pii, key, datasetOptions, csvValues, signal: request.signal });
    const file = createReadStream(join(dir, manifest.files[0].path));
    file.on('close', cleanup);
    return new Response(Readable.toWeb(file) as ReadableStream, {
      headers: { ...headers, 'x-export-rows': String(manifest.rowCount), 'x-export-sha256': manifest.files[0].sha256 },
    });
  } catch (reason) {
    cleanup();
    if (reason instanceof ExportError) error(400, { message: reason.message });
    throw reason;
  }
}
