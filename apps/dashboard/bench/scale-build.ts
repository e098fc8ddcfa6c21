// The scale bench's demo build, in a process of its own (so its memory is not the bench's, whose
// peak RSS is the server's), continuing an interrupted build of the same file. Prints a progress
// line on stderr every percent (rate, RSS, file size) and keeps a sidecar `<path>.build.json`
// with the wall seconds spent over every run, the peak RSS and whether it finished.
// `node --import tsx bench/scale-build.ts <path> <interactions> <seed>`
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { buildDemoWarehouse, DemoNotResumableError } from '@helpdesk/demo-data';

const [path, interactionsArg, seedArg] = process.argv.slice(2);
const interactions = Number(interactionsArg);
const sidecar = `${path}.build.json`;
const before = existsSync(sidecar) && existsSync(path) ? (JSON.parse(readFileSync(sidecar, 'utf8')) as { seconds: number; runs: number; peakRssMb: number }) : { seconds: 0, runs: 0, peakRssMb: 0 };
const runs = before.runs + 1;
const t0 = performance.now();
const elapsed = () => (performance.now() - t0) / 1000;
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const save = (done: boolean) =>
  writeFileSync(sidecar, JSON.stringify({ seconds: before.seconds + elapsed(), runs, peakRssMb: Math.max(before.peakRssMb, rssMb()), done }));
const fileMb = () => {
  let mb = 0;
  for (const f of [path, `${path}.wal`]) if (existsSync(f)) mb += statSync(f).size / 2 ** 20;
  return Math.round(mb);
};
let firstDone: number | null = null;
let lastShown = -1;
save(false);
const build = (resume: boolean) => buildDemoWarehouse(path, {
  seed: Number(seedArg), interactions, via: 'direct', resume,
  onStage: (stage) => {
    process.stderr.write(`scale build: ${stage} (${elapsed().toFixed(0)} s, peak RSS ${rssMb()} MB, file ${fileMb()} MB)\n`);
    save(false);
  },
  onProgress: (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === lastShown) return;
    lastShown = percent;
    firstDone ??= done;
    const rate = Math.round((done - firstDone) / Math.max(elapsed(), 1e-3));
    process.stderr.write(`scale build: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} interactions, ${rate.toLocaleString('en')}/s since this run's first report (${elapsed().toFixed(0)} s, peak RSS ${rssMb()} MB, file ${fileMb()} MB)\n`);
    save(false);
  },
});
try {
  await build(true);
} catch (error) {
  // A file this script started but that recorded no step yet (stopped in its first seconds) holds
  // nothing worth continuing: it is built afresh.
  if (!(error instanceof DemoNotResumableError)) throw error;
  process.stderr.write(`scale build: ${(error as Error).message}; building afresh\n`);
  await build(false);
}
save(true);
process.stderr.write(`scale build: done in ${elapsed().toFixed(0)} s this run, ${(before.seconds + elapsed()).toFixed(0)} s over ${runs} run(s); peak RSS ${rssMb()} MB, file ${fileMb()} MB\n`);
