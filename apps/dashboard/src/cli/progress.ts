import cliProgress from 'cli-progress';
import type { CliIo } from './context.ts';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar on a terminal's stderr (cli-progress); nothing when stderr is a pipe or in --json
 * mode, so logs and machine output stay clean.
 */
export function progressBar(io: CliIo, label: string, enabled: boolean): Progress {
  if (!enabled || !io.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: io.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
