import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { planSample, QaError, qaStores, targetNames, type SamplePlan, type Strategy } from '@helpdesk/qa-sampler';
import { pickedReviewers, qaPeople } from '$lib/server/qa-people';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

const day = z.iso.date();
// Bounds before any work: a sample is read by people (thousands at most), over a year at most.
const count = z.coerce.number().int().min(1).max(2_000);
const SampleParams = z.object({
  strategy: z.enum(['random', 'stratified', 'targeted']).default('stratified'),
  by: z.enum(['agent', 'agent-week', 'channel', 'team']).default('agent'),
  quota: count.default(5),
  size: count.default(50),
  targets: z.array(z.enum(targetNames)).default([]),
  from: day.optional(),
  to: day.optional(),
  seed: z.coerce.number().int().min(0).max(2 ** 31).default(1),
  /** Size each agent's quota from a target margin of error (IQS points, 95 %): stratified per agent only. */
  margin: z.coerce.number().min(0.5).max(50).optional(),
  /** Exclusions: conversations shorter than this are too short to grade. */
  minHandleSeconds: z.coerce.number().int().min(0).max(86_400).optional(),
  /** Agents on leave: none of their conversations in the range are sampled. */
  onLeave: z.array(z.string().min(1).max(200)).max(1000).default([]),
  includeReviewed: z.enum(['on']).optional(),
}).refine((p) => !p.from || !p.to || (p.from <= p.to && Date.parse(p.to) - Date.parse(p.from) <= 365 * 86_400_000), {
  message: 'from must not be after to, and a sample spans at most 366 days', path: ['to'],
});
type SampleParams = z.infer<typeof SampleParams>;

function parse(source: URLSearchParams | FormData) {
  const lists = new Set(['targets', 'onLeave']);
  const raw = Object.fromEntries([...source.keys()].map((k) => [k, lists.has(k) ? source.getAll(k) : source.get(k) || undefined]));
  return SampleParams.safeParse(raw);
}

function strategyOf(p: SampleParams): Strategy {
  if (p.strategy === 'random') return { kind: 'random', size: p.size };
  if (p.strategy === 'targeted') return { kind: 'targeted', targets: p.targets.length ? p.targets : [...targetNames], size: p.size };
  return { kind: 'stratified', by: p.by, quota: p.quota };
}

/** The plan a form asks for: strategy, range, margin of error and exclusions. */
function planOf(p: SampleParams): SamplePlan {
  const range = p.from && p.to ? { from: p.from, to: p.to } : undefined;
  // Leave covers the whole range asked for (or all time when none is given).
  const leave = { from: p.from ? `${p.from}T00:00:00.000Z` : '0000-01-01T00:00:00.000Z', to: p.to ? `${p.to}T23:59:59.999Z` : '9999-12-31T23:59:59.999Z' };
  return {
    strategy: strategyOf(p), seed: p.seed, range, margin: p.margin, minHandleSeconds: p.minHandleSeconds,
    agentsOnLeave: p.onLeave.map((agentId) => ({ agentId, ...leave })), includeReviewed: p.includeReviewed === 'on',
  };
}

/** Preview a sample and why each conversation was picked, before storing and assigning it. */
export const load: PageServerLoad = async ({ url }) => {
  const wh = await requireWarehouse();
  const base = { targetNames: [...targetNames], ...(await qaPeople(wh)) };
  const parsed = parse(url.searchParams);
  if (!parsed.success) return { ...base, params: SampleParams.parse({}), problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), preview: null };
  const p = parsed.data;
  if (!url.searchParams.has('strategy')) return { ...base, params: p, problem: null, preview: null };
  try {
    const { range, result } = await planSample(wh, planOf(p));
    const reasons = new Map<string, number>();
    for (const x of result.excluded) {
      const key = x.reason.replace(/\(.*\)$/, '').trim();
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    return { ...base, params: p, problem: null, preview: { range, ...result, excluded: result.excluded.length, excludedBy: [...reasons].map(([reason, n]) => ({ reason, n })) } };
  } catch (reason) {
    if (reason instanceof QaError) return { ...base, params: p, problem: reason.message, preview: null };
    throw reason;
  }
};

export const actions: Actions = {
  store: async ({ request }) => {
    const form = await request.formData();
    const parsed = parse(form);
    if (!parsed.success) return fail(400, { message: parsed.error.issues[0]?.message ?? 'bad sample parameters' });
    const reviewers = pickedReviewers(form);
    const p = parsed.data;
    const wh = await requireWarehouse();
    let sampleId: string;
    try {
      const { range, bounds, result } = await planSample(wh, planOf(p));
      const qa = qaStores(wh);
      // Checked before storing, so a sample is never left half assigned.
      if (reviewers.length) await qa.scorecards.forInteractions(result.items.map((i) => i.interactionId));
      const plan = planOf(p);
      sampleId = await qa.samples.save({
        strategy: p.strategy, seed: p.seed, range: bounds, result,
        params: { ...plan.strategy, range, margin: plan.margin ?? null, minHandleSeconds: plan.minHandleSeconds ?? null, onLeave: p.onLeave, includeReviewed: plan.includeReviewed },
      });
      if (reviewers.length && result.items.length) await qa.assignments.assignSample(sampleId, { reviewers, seed: p.seed, blind: form.get('blind') === 'on' });
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
    redirect(303, reviewers.length ? `/qa/assignments?reviewer=${encodeURIComponent(reviewers[0])}` : `/qa/sampling?stored=${encodeURIComponent(sampleId)}`);
  },
};
