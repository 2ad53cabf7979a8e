/** Shared set-up for the compliance tests: a debtor party with known addresses, consent, outbox rows. */
import type { TestApi } from './harness.js';
import { enqueueEmail, enqueueSms } from '../../api/platform/outbox.js';
import { recordConsent } from '../../api/compliance/consents.service.js';
import { CURRENT_ESIGN_VERSION } from '../../api/compliance/esign-statement.js';

export interface Debtor {
  accountId: number;
  accountPublicId: string;
  clientId: number;
  partyId: number;
  email: string;
  phone: string;
}

/**
 * Gives the responsible party of the n-th accepted account of a client a known email, phone and
 * address, so a test owns its debtor (no two tests share an address).
 */
export async function makeDebtor(api: TestApi, n: number, address: { state: string | null; zip: string | null }, clientCode = 'CPL'): Promise<Debtor> {
  const acct = (await api.db('accounts')
    .join('clients', 'clients.id', 'accounts.client_id')
    .where('clients.code', clientCode).where('accounts.review_status', 'accepted')
    // accounts with nothing paid first: no ledger rows of the seed's to mix with the test's own
    .orderByRaw('CASE WHEN accounts.paid_to_date_cents = 0 THEN 0 ELSE 1 END').orderBy('accounts.id').offset(n).first('accounts.id', 'accounts.public_id', 'accounts.client_id')) as { id: number; publicId: string; clientId: number };
  const party = (await api.db('account_parties').where({ accountId: acct.id, role: 'responsible' }).first('id')) as { id: number };
  const email = `debtor${acct.id}.${api.dialect}@mail.example`;
  const phone = `541555${String(1000 + acct.id).slice(-4)}`;
  await api.db('account_parties').where({ id: party.id }).update({
    emails: JSON.stringify([email]), phones: JSON.stringify([{ type: 'mobile', number: phone }]), state: address.state, zip: address.zip,
  });
  await api.db('account_phones').where({ accountId: acct.id }).delete();
  await api.db('account_phones').insert({ accountId: acct.id, phone });
  return { accountId: acct.id, accountPublicId: acct.publicId, clientId: acct.clientId, partyId: party.id, email, phone };
}

export const debtorMeta = { actor: { type: 'debtor' as const, id: 'test' }, ip: '203.0.113.9', requestId: 'req-test', userAgent: 'vitest' };

export async function consent(api: TestApi, d: Debtor, channels = { email: true, sms: true }, now = new Date()) {
  return api.db.transaction((trx) =>
    recordConsent(trx, { accountId: d.accountId, partyId: d.partyId, statementVersion: CURRENT_ESIGN_VERSION, agree: true, channels, emailAddress: d.email, phone: d.phone }, debtorMeta, now),
  );
}

export const emailTo = (api: TestApi, d: Debtor, subject: string, at: Date, extra: { partyId?: number | null } = {}) =>
  api.db.transaction((trx) =>
    enqueueEmail(trx, { to: d.email, subject, text: `Notice: ${subject}`, html: `<p>${subject}</p>`, category: 'notice', accountId: d.accountId, partyId: extra.partyId === null ? undefined : d.partyId, notBefore: at }),
  );

export const smsTo = (api: TestApi, d: Debtor, text: string, at: Date) =>
  api.db.transaction((trx) => enqueueSms(trx, { to: `+1${d.phone}`, text, category: 'notice', accountId: d.accountId, partyId: d.partyId, notBefore: at }));

export async function outboxRow(api: TestApi, publicId: string) {
  return (await api.db('outbox').where({ publicId }).first()) as { status: string; cancelReason: string | null; notBefore: unknown; attempts: number };
}
