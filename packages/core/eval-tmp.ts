import { evaluateIdentity } from '/work/main/packages/core/src/identity/evaluate.ts';
import { loadMatcherConfig } from '/work/main/packages/core/src/identity/config.ts';
const [cfg, ...rest] = process.argv.slice(2);
const config = loadMatcherConfig(cfg);
const opts = JSON.parse(rest[0]);
const r = await evaluateIdentity({ ...opts, config });
console.log(JSON.stringify({ records: r.records, entities: r.entities, clusters: r.clusters, pw: r.pairwise, b3: r.bcubed, s: r.seconds, stats: r.stats, prior: r.model.prior }, null, 1));
for (const c of r.model.comparisons) console.log(c.name, c.levels.map((l, i) => `${l}: m=${c.m[i].toFixed(3)} u=${c.u[i].toExponential(2)}`).join(' | '));
console.log(r.stages.map(s=>`${s.name} ${s.seconds.toFixed(2)}`).join('; '));
