import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import {
  ExportError, exportDataset, exportTargetName, getDataset, parseFilters, registerBuiltinDatasets, streamDataset,
} from '@helpdesk/core/export';
import { requireWarehouse } from '$lib/server/warehouse';
import type { RequestHandler } from './$types';

const contentTypes = {
  arrows: 'application/vnd.apache.arrow.stream',
  arrow: 'application/vnd.apache.arrow.file',
  parquet: 'application/vnd.apache.parquet',
  csv: 'text/csv; charset=utf-8',
} as const;
type HttpFormat = keyof typeof contentTypes;

/**
 * `GET /api/export/<dataset>?format=arrows|arrow|parquet|csv&from=&to=&channel=chat,email&pii=redact|hash`
 * streams a dataset for notebooks (`pyarrow.ipc.open_stream(urlopen(url))`) and the Exports screen.
 * Arrow is written straight into the response batch by batch; Parquet and CSV are one DuckDB COPY
 * into a private temporary folder that is removed once the file has been sent (or the download is
 * abandoned). Full PII is not served over HTTP until sign-in can say who may see it.
 */
export const GET: RequestHandler = async ({ params, url }) => {
  registerBuiltinDatasets();
  const format = (url.searchParams.get('format') ?? 'arrows') as HttpFormat;
  if (!(format in contentTypes)) error(400, { message: `format must be one of ${Object.keys(contentTypes).join(', ')}` });
  const pii = url.searchParams.get('pii') ?? 'redact';
  if (pii === 'include') error(403, { message: 'Exports with PII included are available from the CLI only (`helpdesk export --pii include`).' });
  if (pii !== 'redact' && pii !== 'hash') error(400, { message: 'pii must be redact or hash' });
  const channels = url.searchParams.get('channel')?.split(',').filter(Boolean);
  let filters;
  try {
    getDataset(params.dataset);
    filters = parseFilters({
      ...(url.searchParams.get('from') ? { from: url.searchParams.get('from') } : {}),
      ...(url.searchParams.get('to') ? { to: url.searchParams.get('to') } : {}),
      ...(channels?.length ? { channels } : {}),
    });
  } catch (reason) {
    if (reason instanceof ExportError) error(400, { message: reason.message });
    throw reason;
  }
  const warehouse = await requireWarehouse();
  const key = env.HELPDESK_EXPORT_KEY || undefined;
  const headers = {
    'content-type': contentTypes[format],
    'content-disposition': `attachment; filename="${exportTargetName(params.dataset, format === 'arrows' ? 'arrow-stream' : format)}"`,
    'cache-control': 'no-store',
  };

  if (format === 'arrows' || format === 'arrow') {
    const out = new PassThrough();
    // The export runs while the response is read; a failure mid-way cuts the download short.
    streamDataset(warehouse, { dataset: params.dataset, filters, pii, key, format: format === 'arrow' ? 'file' : 'stream' }, out).catch((reason) => {
      console.error(`export ${params.dataset}: ${(reason as Error).message}`);
      out.destroy(reason as Error);
    });
    return new Response(Readable.toWeb(out) as ReadableStream, { headers });
  }

  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-http-export-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const manifest = await exportDataset(warehouse, { dataset: params.dataset, format, outDir: dir, filters, pii, key });
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
};
