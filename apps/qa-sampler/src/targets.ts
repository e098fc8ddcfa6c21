/**
 * Targeted sampling picks conversations that show a signal worth a reviewer's time. The signals
 * themselves are computed in SQL by `candidate-query.ts`; this module names them and words the
 * reason each sampled conversation records.
 */
export const targetNames = [
  'low-csat',
  'reopened',
  'long-handle-time',
  'failed-bot-handoff',
  'repeat-contact',
  'escalated',
  'negative-sentiment-shift',
  'duration-outlier',
] as const;
export type TargetName = (typeof targetNames)[number];

/** The facts about one conversation that targeting and the reasons read. */
export interface CandidateSignals {
  csatScore: number | null;
  reopenCount: number;
  handleSeconds: number | null;
  /** The channel's 90th percentile of handle time, for "long handle time". */
  handleP90: number | null;
  /** Tukey fences of the channel's handle time: Q1 - 1.5 IQR and Q3 + 1.5 IQR. */
  handleFenceLow: number | null;
  handleFenceHigh: number | null;
  failedBotHandoff: boolean;
  repeatContact: boolean;
  escalated: boolean;
  /** AFINN sentiment of the customer's last message minus their first; null without two messages. */
  sentimentShift: number | null;
}

/** A shift of at least this many AFINN points downwards counts as "negative sentiment shift". */
export const negativeShiftThreshold = -2;

/**
 * The reason text for each target the conversation meets, in `targets` order.
 *
 * @example
 * matchTargets(signals, ['low-csat', 'reopened']); // ['low CSAT (1/5)', 'reopened 2 times']
 */
export function matchTargets(s: CandidateSignals, targets: readonly TargetName[]): string[] {
  const reasons: string[] = [];
  const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
  for (const target of targets) {
    switch (target) {
      case 'low-csat':
        if (s.csatScore !== null && s.csatScore <= 2) reasons.push(`low CSAT (${s.csatScore}/5)`);
        break;
      case 'reopened':
        if (s.reopenCount > 0) reasons.push(`reopened ${s.reopenCount} time${s.reopenCount === 1 ? '' : 's'}`);
        break;
      case 'long-handle-time':
        if (s.handleSeconds !== null && s.handleP90 !== null && s.handleSeconds > s.handleP90) {
          reasons.push(`long handle time (${minutes(s.handleSeconds)}, channel p90 ${minutes(s.handleP90)})`);
        }
        break;
      case 'failed-bot-handoff':
        if (s.failedBotHandoff) reasons.push('failed bot hand-off');
        break;
      case 'repeat-contact':
        if (s.repeatContact) reasons.push('repeat contact within 7 days');
        break;
      case 'escalated':
        if (s.escalated) reasons.push('escalated');
        break;
      case 'negative-sentiment-shift':
        if (s.sentimentShift !== null && s.sentimentShift <= negativeShiftThreshold) reasons.push(`negative sentiment shift (${s.sentimentShift})`);
        break;
      case 'duration-outlier':
        if (s.handleSeconds !== null && s.handleFenceHigh !== null && s.handleSeconds > s.handleFenceHigh) {
          reasons.push(`duration outlier (${minutes(s.handleSeconds)}, above ${minutes(s.handleFenceHigh)})`);
        } else if (s.handleSeconds !== null && s.handleFenceLow !== null && s.handleSeconds < s.handleFenceLow) {
          reasons.push(`duration outlier (${minutes(s.handleSeconds)}, below ${minutes(s.handleFenceLow)})`);
        }
        break;
    }
  }
  return reasons;
}
