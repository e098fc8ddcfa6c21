import { numberArg } from '@helpdesk/demo-data/bench/demo';
import { demoParity } from '../src/cli/demo-parity.ts';

/**
 * `npm run bench -- demo-parity [--interactions N] [--seed N]`: builds the same seed `--via direct`
 * and `--via adapters` (default one million interactions) and compares every KPI per channel
 * (src/cli/demo-parity.ts). Figures: kpisCompared, equal, explained, unexplained (the goal is 0),
 * and the seconds of each build and of the comparison. Each difference goes to stderr.
 */
export default async function run(args: string[]): Promise<{ figures: Record<string, number>; ratios: Record<string, number> }> {
  const interactions = numberArg(args, '--interactions', 1_000_000);
  const seed = numberArg(args, '--seed', 42);
  const started = performance.now();
  const report = await demoParity({
    seed,
    interactions,
    onStage: (stage) => process.stderr.write(`demo-parity: ${stage} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`),
  });
  for (const r of report.rows.filter((x) => x.verdict !== 'equal')) {
    process.stderr.write(`demo-parity: ${r.verdict} ${r.kpi}/${r.channel}: direct ${r.direct}, adapters ${r.adapters}\n`);
  }
  return {
    figures: {
      interactions,
      kpisCompared: report.kpisCompared,
      equal: report.equal,
      explained: report.explained,
      unexplained: report.unexplained,
      directSeconds: report.seconds.direct,
      adaptersSeconds: report.seconds.adapters,
      compareSeconds: report.seconds.compare,
    },
    ratios: {},
  };
}

