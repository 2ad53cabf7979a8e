/** Shared steps of the debtor-payment tests: pick payable accounts, open sessions, add methods, pay. */
import { toDateOnly } from '../../api/platform/db.js';
import type { TestApi } from './harness.js';
import { now } from '../../api/platform/clock.js';

/** A test card's expiry year: a few years after the app's today, whatever the date (a fixed year expires). */
export const cardExpYear = () => now().getUTCFullYear() + 4;

export interface PayableAccount {
  id: number;
  publicId: string;
  agencyAccountNumber: string;
  ssnLast4: string;
  dob: string;
  zip: string;
  balanceCents: number;
  clientId: number;
}

/** Active, accepted accounts with a responsible party (DOB and ZIP known) and a balance of at least $100. */
export async function payableAccounts(api: TestApi, n: number): Promise<PayableAccount[]> {
  const rows = (await api.db('accounts')
    .join('account_parties as p', 'p.account_id', 'accounts.id')
    .where({ 'accounts.status': 'active', 'accounts.review_status': 'accepted', 'p.role': 'responsible' })
    .where('accounts.balance_cents', '>=', 10000)
    .orderBy('accounts.id')
    .limit(n)
    .select('accounts.id', 'accounts.public_id', 'accounts.agency_account_number', 'accounts.balance_cents', 'accounts.client_id', 'p.dob', 'p.zip', 'p.ssn_last4')) as {
    id: number; publicId: string; agencyAccountNumber: string; balanceCents: number | string; clientId: number; dob: unknown; zip: string; ssnLast4: string;
  }[];
  if (rows.length < n) throw new Error(`only ${rows.length} payable accounts in the seed`);
  return rows.map((r) => ({ ...r, balanceCents: Number(r.balanceCents), dob: toDateOnly(r.dob)! }));
}

export async function linkSession(api: TestApi, agencyToken: string, accountPublicId: string): Promise<string> {
  const link = await api.request(`/agency/accounts/${accountPublicId}/payment-links`, { token: agencyToken, body: {} });
  if (link.status !== 201) throw new Error(`link: ${link.status} ${link.text}`);
  const session = await api.request('/pay/session/link', { body: { linkToken: link.body.token } });
  if (session.status !== 201) throw new Error(`session: ${session.status} ${session.text}`);
  return session.body.token as string;
}

export const CARDS = {
  visa: '4242 4242 4242 4242',
  amex: '378282246310005',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
  processingError: '4000000000000119',
  /** fails its first charge only (a gateway hiccup), then approves */
  processingErrorOnce: '4000000000000309',
};

export async function addCard(api: TestApi, debtor: string, number = CARDS.visa, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number, expMonth: 12, expYear: cardExpYear(), cvc: number.startsWith('37') ? '1234' : '123', ...extra } });
  if (res.status !== 201) throw new Error(`card: ${res.status} ${res.text}`);
  return res.body.id as string;
}

/** Preview, then pay with the agreement signed. Returns the payment response. */
export async function pay(api: TestApi, debtor: string, body: { amountCents: number; paymentMethodId: string; scheduledFor?: string; email?: string }, key?: string) {
  const preview = await api.request('/pay/payments/preview', { token: debtor, body });
  if (preview.status !== 200) return preview;
  return api.request('/pay/payments', {
    token: debtor,
    body: { ...body, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } },
    headers: key ? { 'Idempotency-Key': key } : {},
  });
}

/** The debtor consents to electronic delivery (E-SIGN, issue 9): without it the outbox sends nothing. */
export async function giveConsent(api: TestApi, debtor: string, to: { email?: string; phone?: string } = {}): Promise<void> {
  const esign = await api.request('/pay/esign', { token: debtor });
  if (esign.status !== 200) throw new Error(`esign: ${esign.status} ${esign.text}`);
  const res = await api.request('/pay/esign/consent', {
    token: debtor,
    body: { statementVersion: esign.body.statement.version, agree: true, channels: { email: true, sms: true }, email: to.email ?? 'consent@mail.example', phone: to.phone ?? '5035550100' },
  });
  if (res.status !== 201) throw new Error(`consent: ${res.status} ${res.text}`);
}

/** A delivery time inside the 8 am–9 pm window in every US time zone: tomorrow 20:00 UTC. */
export function inContactWindow(): Date {
  const d = new Date(Date.now() + 86_400_000);
  d.setUTCHours(20, 0, 0, 0);
  return d;
}
