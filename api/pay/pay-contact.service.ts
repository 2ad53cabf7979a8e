/**
 * The optional contact-review step: the debtor may give a new email or mobile number. It is added
 * to the responsible party (the old ones stay, so nothing the agency relied on is lost), recorded
 * in activity and the audit trail, and an inbox task asks the agency to confirm it.
 */
import type { Trx } from '../platform/db.js';
import type { RequestMeta } from '../platform/http/context.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { openTask } from '../inbox/tasks.service.js';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId, maskEmail, maskPhone } from './pay-access.service.js';

export interface ContactUpdate { email?: string | undefined; mobile?: string | undefined }

export async function updateDebtorContact(trx: Trx, session: DebtorSession, input: ContactUpdate, meta: RequestMeta, now: Date) {
  const account = await debtorAccountId(trx, session.accountId);
  const party = (await trx('account_parties').where({ accountId: account.id, role: 'responsible' }).first('id', 'emails', 'phones')) as { id: number; emails: string | null; phones: string | null } | undefined;
  if (!party) return { emails: [], phones: [] };
  const emails = party.emails ? (JSON.parse(party.emails) as string[]) : [];
  const phones = party.phones ? (JSON.parse(party.phones) as { type: string; number: string }[]) : [];
  const before = { emails: [...emails], phones: phones.map((p) => ({ ...p })) };
  const email = input.email?.toLowerCase();
  const mobile = input.mobile?.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  const changed: string[] = [];
  if (email && !emails.includes(email)) {
    emails.unshift(email);
    changed.push(`email ${maskEmail(email)}`);
  }
  if (mobile && !phones.some((p) => p.number === mobile)) {
    phones.unshift({ type: 'mobile', number: mobile });
    changed.push(`mobile ${maskPhone(mobile)}`);
    await trx('account_phones').insert({ accountId: account.id, phone: mobile }).onConflict(['phone', 'account_id']).ignore();
  }
  if (changed.length) {
    await trx('account_parties').where({ id: party.id }).update({ emails: JSON.stringify(emails), phones: JSON.stringify(phones) });
    const actor = { type: 'debtor' as const, id: session.sessionId };
    await trx('activity').insert({
      publicId: newId('act'), accountId: account.id, type: 'note', visibility: 'client', body: `The debtor added contact details online: ${changed.join(', ')}.`,
      actorUserId: null, actorName: 'Debtor (online)', occurredAt: now,
    });
    await writeAudit(trx, { actor, action: 'debtor.contact_updated', target: { type: 'account', id: session.accountId }, ip: meta.ip, requestId: meta.requestId, before, after: { emails, phones } });
    await appendEvent(trx, { type: 'account.contact_updated', clientId: account.clientId, accountId: account.id, visibility: 'client', payload: { account: session.accountId, by: 'debtor' }, actor });
    await openTask(trx, { clientId: account.clientId, accountId: account.id, kind: 'contact_update', title: 'Debtor added contact details online', detail: changed.join(', '), sourceType: 'account', sourceId: session.accountId });
  }
  return { emails: emails.map(maskEmail), phones: phones.map((p) => ({ type: p.type, number: maskPhone(p.number) })) };
}
