import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { planSample, QaError, QaStore, targetNames, type Strategy } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

const day = z.iso.date();
const count = z.coerce.number().int().min(1).max(100_000);
const SampleParams = z.object({
  strategy: z.enum(['random', 'stratified', 'targeted']).default('stratified'),
  by: z.enum(['agent', 'agent-week', 'channel', 'team']).default('agent'),
  quota: count.default(5),
  size: count.default(50),
  targets: z.array(z.enum(targetNames)).default([]),
  from: day.optional(),
  to: day.optional(),
  seed: z.coerce.number().int().min(0).max(2 ** 31).default(1),
});
type SampleParams = z.infer<typeof SampleParams>;

function parse(source: URLSearchParams | FormData) {
  const raw = Object.fromEntries([...source.keys()].map((k) => [k, k === 'targets' ? source.getAll(k) : source.get(k) || undefined]));
  return SampleParams.safeParse(raw);
}

function strategyOf(p: SampleParams): Strategy {
  if (p.strategy === 'random') return { kind: 'random', size: p.size };
  if (p.strategy === 'targeted') return { kind: 'targeted', targets: p.targets.length ? p.targets : [...targetNames], size: p.size };
  return { kind: 'stratified', by: p.by, quota: p.quota };
}

/** Preview a sample and why each conversation was picked, before storing and assigning it. */
export const load: PageServerLoad = async ({ url }) => {
  const parsed = parse(url.searchParams);
  if (!parsed.success) return { params: SampleParams.parse({}), problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), preview: null, targetNames: [...targetNames] };
  const p = parsed.data;
  if (!url.searchParams.has('strategy')) return { params: p, problem: null, preview: null, targetNames: [...targetNames] };
  try {
    const { range, result } = await planSample(await requireWarehouse(), { strategy: strategyOf(p), seed: p.seed, range: p.from && p.to ? { from: p.from, to: p.to } : undefined });
    return { params: p, problem: null, preview: { range, ...result, excluded: result.excluded.length }, targetNames: [...targetNames] };
  } catch (reason) {
    if (reason instanceof QaError) return { params: p, problem: reason.message, preview: null, targetNames: [...targetNames] };
    throw reason;
  }
};

export const actions: Actions = {
  store: async ({ request }) => {
    const form = await request.formData();
    const parsed = parse(form);
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? 'bad sample parameters' });
    const reviewers = String(form.get('reviewers') ?? '').split(',').map((r) => r.trim()).filter(Boolean);
    const p = parsed.data;
    const wh = await requireWarehouse();
    let sampleId: string;
    try {
      const { range, bounds, result } = await planSample(wh, { strategy: strategyOf(p), seed: p.seed, range: p.from && p.to ? { from: p.from, to: p.to } : undefined });
      const qa = new QaStore(wh);
      // Checked before storing, so a sample is never left half assigned.
      if (reviewers.length) await qa.scorecardsFor(result.items.map((i) => i.interactionId));
      sampleId = await qa.saveSample({ strategy: p.strategy, seed: p.seed, params: { ...strategyOf(p), range }, range: bounds, result });
      if (reviewers.length && result.items.length) await qa.assignSample(sampleId, { reviewers, seed: p.seed, blind: form.get('blind') === 'on' });
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
    redirect(303, reviewers.length ? `/qa/assignments?reviewer=${encodeURIComponent(reviewers[0])}` : `/qa/sampling?stored=${encodeURIComponent(sampleId)}`);
  },
};
