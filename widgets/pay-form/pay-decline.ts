/**
 * What the pay form says after a decline, in its language: the reason from the decline code (the
 * catalogue's `decline_<code>`), led by "declined" or, for a plan's first instalment, "your plan is
 * not set up", and followed by what to do: the same method again after a gateway failure (the card
 * was not the problem), else another method.
 */
import type { Problem } from '../internal/api-client.js';
import type { Payment } from './pay-api.js';
import { isMessageKey, type MessageKey } from './pay-i18n.js';
import type { PayView } from './pay-view.js';

export type DeclinedProblem = Problem & { retrySameMethod?: boolean; payment?: Payment };

/** A decline's reason from its code; the server's own sentence when the code is not in the catalogue. */
export function declineReason(v: PayView, code: string | null | undefined, fallback: string): string {
  const key = `decline_${code ?? ''}`;
  return isMessageKey(key) ? v.t(key) : fallback;
}

/** `next`: what to do instead of the default (e.g. type the security code again, the card being kept). */
export function declineOutcome(v: PayView, problem: DeclinedProblem, plan: boolean, next?: MessageKey): { detail: string; retrySame: boolean } {
  const reason = declineReason(v, problem.payment?.declineCode, problem.detail);
  const lead = plan ? v.t('planDeclined', { reason }) : v.t('declined', { reason });
  const retrySame = Boolean(problem.retrySameMethod);
  return { detail: `${lead} ${v.t(next ?? (retrySame ? 'trySame' : 'tryAnother'))}`, retrySame };
}
