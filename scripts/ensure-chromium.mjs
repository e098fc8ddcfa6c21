// Makes sure the system Chromium that the browser tests drive is present. Playwright's own browser
// download cannot work on our machines, so we use Debian's package: installed here when we are
// root on Debian, otherwise we stop and say how.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function ensureChromium(log = console.log) {
  if (existsSync(chromiumPath)) return chromiumPath;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      `Chromium is missing at ${chromiumPath}. Install Debian's package (sudo apt-get update && sudo apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH to a Chromium binary, then run npm test again.',
    );
  }
  log(`Chromium is missing at ${chromiumPath}: installing Debian's chromium package (about a minute)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed with exit code ${result.status}`);
  }
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`);
  log(execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).trim());
  return chromiumPath;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
