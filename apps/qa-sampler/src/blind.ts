/**
 * Blind review: the reviewer must not learn whose conversation it is. The agent's id and name
 * are replaced by a neutral label everywhere in the conversation, message bodies included
 * (agents sign with their name), and other reviewers' reviews are not shown.
 */
export interface TimelineEntry {
  interactionId: string;
  channel: string;
  occurredAt: string;
  type: string;
  authorRole: string | null;
  authorId: string | null;
  authorName: string | null;
  body: string | null;
}

export interface ConversationView {
  interactionId: string;
  channel: string;
  agentId: string | null;
  agentName: string | null;
  timeline: TimelineEntry[];
  otherReviews: { reviewerId: string; score: number | null }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The conversation as a blind reviewer sees it.
 *
 * @example
 * blindView(view, [{ id: 'a1', name: 'Anna Berg' }]); // "Hi, I'm Anna" -> "Hi, I'm [agent]"
 */
export function blindView(view: ConversationView, agents: readonly { id: string; name: string }[]): ConversationView {
  // Every agent on the timeline is hidden, not only the graded one: a transfer would give it away.
  const ids = new Set(agents.map((a) => a.id));
  const names = agents
    .flatMap((a) => [a.name, ...a.name.split(/\s+/)])
    .filter((n) => n.length >= 2)
    .sort((a, b) => b.length - a.length);
  const pattern = names.length ? new RegExp(`\\b(${names.map(escapeRegExp).join('|')})\\b`, 'giu') : null;
  const scrub = (text: string | null) => (text && pattern ? text.replace(pattern, '[agent]') : text);
  return {
    ...view,
    agentId: null,
    agentName: null,
    otherReviews: [],
    timeline: view.timeline.map((e) => ({
      ...e,
      authorId: e.authorId && ids.has(e.authorId) ? null : e.authorId,
      authorName: e.authorRole === 'agent' ? 'Agent' : scrub(e.authorName),
      body: scrub(e.body),
    })),
  };
}
