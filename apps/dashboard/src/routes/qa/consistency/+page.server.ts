import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { dataExtent } from '@helpdesk/metrics';
import {
  checksAgainstReviews, consistencyResults, consistencyRules, consistencySummary, QaError, qaStores, runPolicyChecks, seededShuffler,
} from '@helpdesk/qa-sampler';
import { holds } from '$lib/server/auth/guard';
import { pickedReviewers, qaPeople } from '$lib/server/qa-people';
import { requireWarehouse } from '$lib/server/warehouse';
import type { Actions, PageServerLoad } from './$types';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const Params = z.object({
  from: day.optional(),
  to: day.optional(),
  check: z.enum(consistencyRules.map((r) => r.id) as [string, ...string[]]).optional(),
  channel: z.string().max(40).optional(),
  agent: z.string().max(200).optional(),
});

/** The UTC days asked for, or the last 30 days of data; as [start, end) instants. */
async function rangeOf(p: { from?: string; to?: string }) {
  const wh = await requireWarehouse();
  const extent = await dataExtent(wh);
  const to = p.to ?? extent.last ?? new Date().toISOString().slice(0, 10);
  const from = p.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString();
  return { from, to, range: { start: `${from}T00:00:00.000Z`, end, asOf: end } };
}

/**
 * Consistency checks over every conversation of the range: per check, channel and agent, their
 * agreement with reviewers' scorecard categories, the cross-channel policy flag, and a drill-down
 * to the conversations a check failed (which whoever assigns work can draw as a sample).
 */
export const load: PageServerLoad = async ({ url, locals }) => {
  const parsed = Params.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  const p = parsed.success ? parsed.data : {};
  const problem = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const wh = await requireWarehouse();
  const { from, to, range } = await rangeOf(p);
  const [byChannel, byAgent, againstReviews, policies] = await Promise.all([
    consistencySummary(wh, range, 'channel'),
    consistencySummary(wh, range, 'agent'),
    checksAgainstReviews(wh, range),
    runPolicyChecks(wh, range),
  ]);
  const agents = Object.fromEntries((await wh.all<{ id: string; name: string }>('SELECT id, name FROM agents')).map((a) => [a.id, a.name]));
  const drill = p.check ? await consistencyResults(wh, range, { checkId: p.check, channel: p.channel, agentId: p.agent, limit: 200 }) : null;
  const canSample = holds(locals, 'qa.assign');
  return {
    problem, from, to, check: p.check ?? null, channel: p.channel ?? null, agent: p.agent ?? null,
    rules: consistencyRules.map((r) => ({ id: r.id, description: r.description, channels: [...r.channels], category: r.category })),
    byChannel, byAgent, againstReviews, agents, drill,
    policies: policies.map((x) => ({ id: x.rule.id, description: x.rule.description, intent: x.rule.intent, channels: x.channels })),
    reviewers: canSample ? (await qaPeople(wh)).reviewers : null,
  };
};

const SampleForm = z.object({
  from: day, to: day,
  check: z.enum(consistencyRules.map((r) => r.id) as [string, ...string[]]),
  channel: z.string().max(40).optional(),
  agent: z.string().max(200).optional(),
  size: z.coerce.number().int().min(1).max(200).default(10),
  seed: z.coerce.number().int().min(0).max(2 ** 31).default(1),
});

export const actions: Actions = {
  /** Targeted sampling from a check: a seeded draw of the conversations it failed, stored as a sample and optionally assigned. */
  sample: async ({ request }) => {
    const form = await request.formData();
    const parsed = SampleForm.safeParse(Object.fromEntries([...form.entries()].filter(([k, v]) => v !== '' && k !== 'reviewer')));
    if (!parsed.success) return fail(400, { message: parsed.error.issues.map((i) => i.message).join('; ') });
    const p = parsed.data;
    const wh = await requireWarehouse();
    const { range } = await rangeOf(p);
    const failed = await consistencyResults(wh, range, { checkId: p.check, channel: p.channel, agentId: p.agent, limit: 1000 });
    if (failed.length === 0) return fail(400, { message: 'no conversation failed this check in the range' });
    const rule = consistencyRules.find((r) => r.id === p.check)!;
    const picked = seededShuffler(p.seed).shuffle([...failed].sort((a, b) => a.interactionId.localeCompare(b.interactionId))).slice(0, p.size);
    const qa = qaStores(wh);
    const reviewers = pickedReviewers(form);
    let sampleId: string;
    try {
      if (reviewers.length) await qa.scorecards.forInteractions(picked.map((r) => r.interactionId));
      sampleId = await qa.samples.save({
        strategy: 'consistency', seed: p.seed, params: { check: p.check, channel: p.channel ?? null, agent: p.agent ?? null, size: p.size },
        range: { start: range.start, end: range.end },
        result: {
          items: picked.map((r) => ({ interactionId: r.interactionId, agentId: r.agentId, channel: r.channel, reason: `failed ${rule.id}${r.evidence && rule.kind === 'none-public' ? ` (${r.evidence})` : ''}` })),
          eligible: failed.length, excluded: [], shortfalls: [],
        },
      });
      if (reviewers.length) await qa.assignments.assignSample(sampleId, { reviewers, seed: p.seed });
    } catch (reason) {
      if (reason instanceof QaError) return fail(400, { message: reason.message });
      throw reason;
    }
    if (reviewers.length) redirect(303, '/qa/assignments');
    return { message: `Stored sample ${sampleId}: ${picked.length} of the ${failed.length} conversations that failed ${rule.id}. Calibrate on it or assign it to reviewers.` };
  },
};
