/**
 * The contact rules, enforced in the outbox for every debtor message whoever sends it (see
 * debtor-recipient.ts for what counts as one). In order: an opt-out cancels; no E-SIGN consent
 * cancels; outside 8 am–9 pm at the debtor's address the message is held until the window opens.
 * Every debtor message that does go out carries its opt-out (List-Unsubscribe + a footer line; a
 * "Reply STOP" line in texts).
 */
import { say } from '../../i18n/catalogue.js';
import { defineOutboxDecorator, defineOutboxPolicy, type OutboxRow } from '../platform/outbox.js';
import type { Trx } from '../platform/db.js';
import { isOptedOut } from './optouts.service.js';
import { activeConsent } from './consents.service.js';
import { debtorRecipientOf as lookUpRecipient, type DebtorRecipient } from './debtor-recipient.js';
import { zonesForAddress } from './us-time-zones.js';
import { isInsideWindow, nextWindowOpening } from './contact-window.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

/**
 * Debtor message categories that are neither notices nor receipts and so may go without E-SIGN
 * consent (opt-outs and the contact window still apply). List a category here only after a
 * compliance review. `pay.link` (issue 7): the personalised payment link is an invitation to the
 * debtor flow, where the consent is asked — not a document delivered instead of paper.
 */
export const ESIGN_EXEMPT_CATEGORIES = new Set<string>(['pay.link']);

/**
 * Debtor messages sent at a time the debtor chose (a receipt asked for with "Send it now" on the
 * confirmation): Regulation F does not presume such a time inconvenient, so the contact window does
 * not hold them. Consent and opt-outs still apply.
 */
export const DEBTOR_TIMED_CATEGORIES = new Set<string>(['pay.receipt.requested']);

/**
 * The outbox hands the same row object to every policy and decorator during one delivery attempt,
 * so the recipient is looked up once per attempt (and again on the next attempt, never stale).
 */
const recipients = new WeakMap<OutboxRow, Promise<DebtorRecipient>>();
function debtorRecipientOf(trx: Trx, row: OutboxRow): Promise<DebtorRecipient> {
  let found = recipients.get(row);
  if (!found) {
    found = lookUpRecipient(trx, row);
    recipients.set(row, found);
  }
  return found;
}

defineOutboxPolicy('compliance.opt_out', async (trx, row) => {
  const who = await debtorRecipientOf(trx, row);
  if (!who.debtor) return { action: 'send' };
  if (await isOptedOut(trx, row.channel, row.recipient)) {
    return { action: 'cancel', reason: `opted_out: the recipient opted out of ${row.channel === 'sms' ? 'text messages' : 'email'}` };
  }
  return { action: 'send' };
});

defineOutboxPolicy('compliance.esign_consent', async (trx, row) => {
  if (ESIGN_EXEMPT_CATEGORIES.has(row.category)) return { action: 'send' };
  const who = await debtorRecipientOf(trx, row);
  if (!who.debtor) return { action: 'send' };
  if (who.party && (await activeConsent(trx, who.party.id, row.channel))) return { action: 'send' };
  return { action: 'cancel', reason: `no_esign_consent: the debtor has not consented to electronic delivery by ${row.channel} (or withdrew it); send on paper` };
});

defineOutboxPolicy('compliance.contact_window', async (trx, row, now) => {
  if (DEBTOR_TIMED_CATEGORIES.has(row.category)) return { action: 'send' };
  const who = await debtorRecipientOf(trx, row);
  if (!who.debtor) return { action: 'send' };
  const zones = zonesForAddress(who.party?.state, who.party?.zip);
  if (isInsideWindow(now, zones)) return { action: 'send' };
  const opens = nextWindowOpening(now, zones);
  if (!opens) return { action: 'cancel', reason: `contact_window: no time inside 8 am–9 pm in ${zones.join(', ')}` };
  return { action: 'hold', until: opens };
});

defineOutboxDecorator('compliance.opt_out_line', async (deps, row) => {
  const who = await debtorRecipientOf(deps.db, row);
  if (!who.debtor) return null;
  const lang = who.party?.lang ?? 'en';
  // a text that already names STOP (in either language) needs no second line
  if (row.channel === 'sms') return /\b(reply|responda) stop\b/i.test(row.bodyText) ? null : { appendText: `\n${say(lang, 'notices', 'smsOptOut')}` };
  const token = signUnsubscribeToken(row.publicId, deps.config.secrets.jwtSecret);
  const url = `${deps.config.publicUrl.replace(/\/$/, '')}/api/v1/pay/unsubscribe?token=${encodeURIComponent(token)}`;
  return {
    headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    appendText: `\n\n--\n${say(lang, 'notices', 'emailOptOutText', { url })}`,
    appendHtml: `<hr><p style="font-size:12px">${say(lang, 'notices', 'emailOptOut', { url: url.replace(/&/g, '&amp;').replace(/"/g, '&quot;') })}</p>`,
  };
});
