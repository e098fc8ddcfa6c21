import cliProgress from 'cli-progress';
import type { CliIo } from './context.ts';

export interface Progress {
  update(done: number, total: number): void;
  /** Names the step under way after the counted work (a long build's resolve, facts...), shown beside the bar. */
  stage(name: string): void;
  stop(): void;
}

/**
 * A progress bar on a terminal's stderr (cli-progress); nothing when stderr is a pipe or in --json
 * mode, so logs and machine output stay clean.
 */
export function progressBar(io: CliIo, label: string, enabled: boolean): Progress {
  if (!enabled || !io.stderr.isTTY) return { update() {}, stage() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} {stage}`, stream: io.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let current = '';
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0, { stage: current });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { stage: current });
    },
    stage(name) {
      current = name;
      if (started) bar.update({ stage: name });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
