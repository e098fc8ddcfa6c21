import * as Plot from '@observablehq/plot';
import { Resvg } from '@resvg/resvg-js';
import { parseHTML } from 'linkedom';
import { formatKpi } from '../../kpi-format.ts';
import type { ReviewPack } from './pack.ts';

/**
 * A review pack as HTML: a standalone file (charts inlined as PNG data URLs) or an email body
 * (charts as attachments referenced by cid, which mail clients show and do not block as remote
 * images). Charts are drawn with Observable Plot on the server (linkedom supplies the DOM) and
 * rasterised by resvg, because most mail clients do not render inline SVG.
 * Every KPI cell carries its raw value in data-kpi / data-channel / data-value, so a script (and
 * the tests) can read the numbers without parsing formatted text.
 */
export interface RenderedPack {
  html: string;
  charts: { cid: string; filename: string; png: Buffer }[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function chartSvg(pack: ReviewPack): string | null {
  if (pack.trend.length === 0) return null;
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const data = pack.trend.map((d) => ({ ...d, date: new Date(`${d.day}T00:00:00Z`) }));
  const single = new Set(pack.trend.map((d) => d.day)).size === 1;
  const svg = Plot.plot({
    document: document as unknown as Document, width: 720, height: 260, marginLeft: 50, style: { fontFamily: 'DejaVu Sans, sans-serif', fontSize: '11px', background: 'white' },
    color: { legend: false, scheme: 'tableau10' }, y: { grid: true, label: 'interactions' }, x: { label: null },
    marks: single
      ? [Plot.barY(data, { x: 'channel', y: 'volume', fill: 'channel' }), Plot.ruleY([0])]
      : [Plot.lineY(data, { x: 'date', y: 'volume', stroke: 'channel', strokeWidth: 2 }), Plot.text(data, Plot.selectLast({ x: 'date', y: 'volume', z: 'channel', text: 'channel', dx: 4, textAnchor: 'start', fill: 'channel' })), Plot.ruleY([0])],
    marginRight: single ? 20 : 80,
  }) as unknown as { outerHTML: string; setAttribute(n: string, v: string): void };
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  return svg.outerHTML;
}

/** The SVG rasterised (fonts from the system: resvg reads them itself, nothing is downloaded). */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'width', value: 1440 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render().asPng();
}

const change = (value: number | null, previous: number | null, unit: string) => {
  if (value === null || previous === null) return '—';
  const d = value - previous;
  if (unit === 'ratio') return `${d >= 0 ? '+' : ''}${(d * 100).toFixed(1)} pt`;
  return `${d >= 0 ? '+' : '−'}${formatKpi(unit, Math.abs(d))}`;
};

const statusColour: Record<string, string> = { green: '#1a7f37', amber: '#9a6700', red: '#cf222e', none: '#57606a' };

export function renderPack(pack: ReviewPack, mode: 'file' | 'email'): RenderedPack {
  const svg = chartSvg(pack);
  const charts = svg ? [{ cid: 'volume-trend@helpdesk', filename: 'volume-trend.png', png: svgToPng(svg) }] : [];
  const src = (c: (typeof charts)[number]) => (mode === 'file' ? `data:image/png;base64,${c.png.toString('base64')}` : `cid:${c.cid}`);

  const channelTables = pack.channels
    .map(
      (c) => `<h3>${esc(c.channel)}</h3>
<table class="kpis"><thead><tr><th>KPI</th><th>${esc(pack.from)} – ${esc(pack.to)}</th><th>target</th><th>previous (${esc(pack.previous.from)} – ${esc(pack.previous.to)})</th><th>change</th></tr></thead><tbody>
${c.kpis
  .map(
    (k) => `<tr><td>${esc(k.name)}</td><td data-channel="${esc(c.channel)}" data-kpi="${esc(k.id)}" data-value="${k.value ?? ''}" style="color:${statusColour[k.status]};font-weight:600">${formatKpi(k.unit, k.value)}</td><td>${k.target === null ? '—' : formatKpi(k.unit, k.target)}</td><td data-previous="${k.previous ?? ''}">${formatKpi(k.unit, k.previous)}</td><td>${change(k.value, k.previous, k.unit)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`,
    )
    .join('\n');

  const list = <T,>(rows: T[], empty: string, cell: (r: T) => string) => (rows.length ? `<ul>${rows.map((r) => `<li>${cell(r)}</li>`).join('')}</ul>` : `<p>${empty}</p>`);
  const pct = (v: number | null) => formatKpi('ratio', v);

  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(pack.title)} · ${esc(pack.from)} – ${esc(pack.to)}</title>
<style>body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:760px;margin:1rem auto;color:#1f2328;padding:0 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;font-size:14px}
th{background:#f6f8fa}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.5rem}h3{font-size:1rem;text-transform:capitalize}.muted{color:#57606a;font-size:13px}img{max-width:100%}</style></head>
<body data-pack="${pack.kind}" data-from="${pack.from}" data-to="${pack.to}" data-tz="${esc(pack.tz)}">
<h1>${esc(pack.title)}: ${esc(pack.from)} – ${esc(pack.to)}</h1>
<p class="muted">Time zone ${esc(pack.tz)} · compared with ${esc(pack.previous.from)} – ${esc(pack.previous.to)} · KPI definitions ${esc(pack.registryVersion)} · made ${esc(pack.generatedAt.slice(0, 16).replace('T', ' '))} UTC</p>
${charts.map((c) => `<p><img src="${src(c)}" alt="Interactions per day and channel, ${esc(pack.from)} to ${esc(pack.to)}" width="720"></p>`).join('\n')}
<h2>Primary KPIs per channel, against target and the previous period</h2>
${channelTables || '<p>No interactions in this range.</p>'}
<h2>Fast but failing</h2>
<p class="muted">Agents in the top quarter for speed and the bottom quarter for quality (the balanced report).</p>
${list(pack.fastButFailing, 'Nobody is fast but failing in this range.', (r) => `${esc(r.name)}: ${r.volume ?? 0} interactions, speed index ${r.speedIndex?.toFixed(2) ?? '—'}, quality index ${r.qualityIndex?.toFixed(2) ?? '—'}`)}
<h2>Top repeat-contact intents</h2>
${list(pack.repeatIntents, 'No intent has repeat contacts in this range.', (r) => `<span data-intent="${esc(r.intent)}">${esc(r.intent)}</span>: ${pct(r.repeatContactRate)} of ${r.volume} come back`)}
<h2>QA highlights</h2>
<p>${pack.qa.reviews} reviews in the QA program.</p>
${pack.qa.best.length ? `<p>Highest IQS: ${pack.qa.best.map((r) => `${esc(r.name)} ${r.iqs.toFixed(1)} (${r.reviews} reviews)`).join(', ')}.</p><p>Lowest IQS: ${pack.qa.worst.map((r) => `${esc(r.name)} ${r.iqs.toFixed(1)} (${r.reviews} reviews)`).join(', ')}.</p>` : '<p>Too few reviews to rank agents.</p>'}
<h2>Sync health</h2>
${list(pack.syncs, 'No sync has run (data loaded by other means).', (s) => `${esc(s.source)}: last run ${esc(s.status)}${s.finishedAt ? ` at ${esc(s.finishedAt.slice(0, 16).replace('T', ' '))} UTC` : ''}${s.error ? ` (${esc(s.error.slice(0, 200))})` : ''}`)}
<p>${pack.quarantined} record${pack.quarantined === 1 ? '' : 's'} in quarantine.</p>
<h2>Alerts</h2>
${list(pack.alerts, 'No alert fired.', (a) => `${esc(a.occurredAt.slice(0, 16).replace('T', ' '))} ${a.event === 'fired' ? 'FIRED' : 'resolved'}: ${esc(a.rule)} · ${esc(a.message)}`)}
</body></html>
`;
  return { html, charts };
}

/** The plain-text part of the email: the same KPI numbers, one line each. */
export function packText(pack: ReviewPack): string {
  const lines = [`${pack.title}: ${pack.from} – ${pack.to} (${pack.tz})`, ''];
  for (const c of pack.channels) {
    lines.push(c.channel);
    for (const k of c.kpis) lines.push(`  ${k.name}: ${formatKpi(k.unit, k.value)} (target ${k.target === null ? '—' : formatKpi(k.unit, k.target)}, previous ${formatKpi(k.unit, k.previous)})`);
  }
  return lines.join('\n');
}
