// `npm run bench -- <suite> [--json] [suite options]`: runs one benchmark suite in a fresh child
// process (so its peak RSS is its own) and prints its figures, or with --json exactly one object
// {suite, machine, figures, ratios}. Suites live beside their code as <workspace>/bench/<suite>.bench.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;

function suites() {
  const found = {};
  for (const ws of workspaces) {
    const dir = join(root, ws, 'bench');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const match = /^(.+)\.bench\.ts$/.exec(file);
      if (match) found[match[1]] = join(dir, file);
    }
  }
  return found;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const suiteName = args.find((a) => !a.startsWith('--'));
const rest = args.filter((a) => a !== '--json' && a !== suiteName);
const available = suites();
if (!suiteName || !available[suiteName]) {
  console.error(
    `usage: npm run bench -- <suite> [--json]\n${suiteName ? `unknown suite "${suiteName}". ` : ''}suites: ${Object.keys(available).sort().join(', ')}`,
  );
  process.exit(2);
}

const child = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'scripts', 'bench-child.mjs'), available[suiteName], ...rest],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: process.env.TZ ?? 'UTC' } },
);
const marker = child.stdout.split('\n').find((line) => line.startsWith('@@bench '));
if (child.status !== 0 || !marker) {
  process.stderr.write(child.stdout);
  console.error(`bench ${suiteName}: failed (exit ${child.status})`);
  process.exit(1);
}
if (!json) process.stdout.write(child.stdout.split('\n').filter((l) => !l.startsWith('@@bench ')).join('\n'));
const result = JSON.parse(marker.slice('@@bench '.length));
const cpus = os.cpus();
const report = {
  suite: suiteName,
  machine: {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()}-${os.arch()}`,
  },
  figures: result.figures,
  ratios: result.ratios,
};
if (json) {
  process.stdout.write(JSON.stringify(report) + '\n');
} else {
  console.log(`\nbench ${suiteName} on ${report.machine.cpus} x ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, Node ${report.machine.node}`);
  for (const [k, v] of Object.entries(report.figures)) console.log(`  ${k.padEnd(32)} ${fmt(v)}`);
  for (const [k, v] of Object.entries(report.ratios)) console.log(`  ${('ratio ' + k).padEnd(32)} ${fmt(v)}`);
}

function fmt(v) {
  return typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(3)) : String(v);
}
