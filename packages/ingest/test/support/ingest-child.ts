// Runs one ingest in its own process, so a test can SIGKILL it at a random moment.
// usage: node --import tsx ingest-child.ts <vendor> <db> <baseUrl>
import { Warehouse } from '@helpdesk/core';
import { adapterByName, runIngest } from '../../src/index.ts';
import { credentialsOf } from './credentials.ts';

const [vendor, db, baseUrl] = process.argv.slice(2);
const wh = await Warehouse.open(db);
// One line per committed batch, so the parent can kill at a chosen point of progress.
const result = await runIngest({
  warehouse: wh, adapter: adapterByName(vendor), options: { baseUrl, ...credentialsOf(vendor) }, batchSize: 50,
  onProgress: (stream, s) => process.stdout.write(`committed ${stream} ${s.inserted + s.updated}\n`),
});
wh.close();
process.exit(result.status === 'succeeded' ? 0 : 1);
