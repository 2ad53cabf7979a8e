/**
 * F-PAY 3 and 7: settlement and plan offers, the signed agreement with its schedule, instalments
 * charged by the job runner (paid / pending / declined, retries), cancellation, reminders and expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { addCard, CARDS, giveConsent, inContactWindow, linkSession, payableAccounts, type PayableAccount } from './pay-helpers.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import '../../api/jobs-registry.js';
import { toDateOnly } from '../../api/platform/db.js';
import { nextWindowOpening } from '../../api/compliance/contact-window.js';
import { ALL_US_ZONES } from '../../api/compliance/us-time-zones.js';
import { atInstant } from './test-clock.js';
import { longDate } from '../../i18n/catalogue.js';

const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

describe.each(DIALECTS)('offers and plans (%s)', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 60, config: { smtpUrl: smtp.url } });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 8);
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });
  const deps = () => ({ db: api.db, config: api.config });
  const account = (id: number) => api.db('accounts').where({ id }).first();

  async function accept(debtor: string, offerId: string, paymentMethodId: string, extra: Record<string, unknown> = {}) {
    const preview = await api.request(`/pay/offers/${offerId}/preview`, { token: debtor, body: { paymentMethodId, ...extra } });
    expect(preview.status).toBe(200);
    const res = await api.request(`/pay/offers/${offerId}/accept`, {
      token: debtor, headers: { 'Idempotency-Key': `accept-${offerId}` },
      body: { paymentMethodId, ...extra, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } },
    });
    return { preview, res };
  }

  it('a settlement offer: the debtor sees it, pays the share today, and the account is settled', async () => {
    const a = accounts[0]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'settlement', percent: 60, payBy: isoDay(10) } });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ id: ID('offer'), kind: 'settlement', percent: 60, amount: { amountCents: Math.ceil(a.balanceCents * 0.6) }, status: 'open' });
    expect((await api.request(`/agency/accounts/${a.publicId}/offers`, { token: await api.login('demo.client'), body: { kind: 'settlement', percent: 60, payBy: isoDay(10) } })).status).toBe(403);
    const debtor = await linkSession(api, agency, a.publicId);
    const mine = await api.request('/pay/account', { token: debtor });
    expect(mine.body.offers.map((o: { id: string }) => o.id)).toEqual([offer.body.id]);
    const card = await addCard(api, debtor);
    const { preview, res } = await accept(debtor, offer.body.id, card);
    expect(preview.body.agreement.text).toContain('is settled in full');
    expect(res.status).toBe(201);
    expect(res.body.payments).toEqual([expect.objectContaining({ kind: 'settlement', status: 'succeeded', amount: { amountCents: offer.body.amount.amountCents, currency: 'USD' } })]);
    expect(await account(a.id)).toMatchObject({ status: 'settled', balanceCents: 0 });
    expect(await api.db('activity').where({ accountId: a.id, type: 'settlement' }).first()).toBeTruthy();
    // the ledger: the payment, then the write-off of the rest, ending at zero
    const ledger = await api.db('transactions').where({ accountId: a.id }).orderBy('id').select('kind', 'amount_cents', 'balance_after_cents');
    expect(ledger.map((t: { kind: string }) => t.kind)).toEqual(['payment', 'write_off']);
    expect(Number(ledger[1].balanceAfterCents)).toBe(0);
    expect(Number(ledger[0].amountCents) + Number(ledger[1].amountCents)).toBe(a.balanceCents);
    expect((await api.db('offers').where({ publicId: offer.body.id }).first()).status).toBe('accepted');
    // accepting twice is refused (a replay of the same key returns the first answer)
    const again = await api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, headers: { 'Idempotency-Key': `accept-${offer.body.id}` }, body: { paymentMethodId: card, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(Number((await api.db('payments').where({ accountId: a.id }).count({ n: '*' }).first())!.n)).toBe(1);
  });

  it('when skipping offers is not allowed, a one-time payment of another amount is refused', async () => {
    const a = accounts[1]!;
    await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: isoDay(14) } });
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { allowSkipOffer: false } });
    const debtor = await linkSession(api, agency, a.publicId);
    const card = await addCard(api, debtor);
    const res = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1000, paymentMethodId: card } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('offer_required');
    expect((await api.request('/pay/account', { token: debtor })).body.options.allowSkipOffer).toBe(false);
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { allowSkipOffer: true } });
    expect((await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1000, paymentMethodId: card } })).status).toBe(200);
  });

  it('a plan: agreement copy with the schedule by email, first instalment today, the next by the job runner, then cancelled', async () => {
    const a = accounts[2]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: isoDay(14) } });
    const debtor = await linkSession(api, agency, a.publicId);
    await giveConsent(api, debtor, { email: 'plan@mail.example' });
    const card = await addCard(api, debtor);
    const { preview, res } = await accept(debtor, offer.body.id, card, { email: 'plan@mail.example' });
    expect(preview.body.schedule).toHaveLength(3);
    expect(preview.body.schedule.reduce((s: number, c: { amountCents: number }) => s + c.amountCents, 0)).toBe(a.balanceCents);
    expect(res.status).toBe(201);
    expect(res.body.planId).toEqual(ID('plan'));
    expect(res.body.payments.map((p: { status: string }) => p.status)).toEqual(['succeeded', 'scheduled', 'scheduled']);
    const before = smtp.messages.length;
    await atInstant(inContactWindow(), () => deliverOutbox(deps()));
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    const copy = mails.find((m) => m.subject?.startsWith('Your payment plan agreement'))!;
    expect(copy.text).toContain('Schedule:');
    expect(copy.text).toContain(longDate(preview.body.schedule[2].date, 'en')); // the agreement's long date, as the debtor read it
    expect(copy.text).toContain('Pat Debtor');
    expect(mails.some((m) => m.subject?.startsWith('Payment receipt'))).toBe(true);

    let plan = await api.request(`/pay/plans/${res.body.planId}`, { token: debtor });
    expect(plan.body.schedule.map((p: { planStatus: string }) => p.planStatus)).toEqual(['paid', 'pending', 'pending']);
    // a month later the worker charges the second instalment, once, even when it ticks twice
    const due = new Date(Date.parse(`${preview.body.schedule[1].date}T12:00:00Z`));
    await atInstant(due, () => runWorkerOnce(deps()));
    await atInstant(due, () => runWorkerOnce(deps()));
    plan = await api.request(`/pay/plans/${res.body.planId}`, { token: debtor });
    expect(plan.body.schedule.map((p: { planStatus: string }) => p.planStatus)).toEqual(['paid', 'paid', 'pending']);
    expect(Number((await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', `plan:${res.body.planId}:%`).count({ n: '*' }).first())!.n)).toBe(2);
    expect(Number((await account(a.id)).balanceCents)).toBe(preview.body.schedule[2].amountCents);
    // the debtor cancels: the last instalment stops, a notice goes out
    const cancelled = await api.request(`/pay/plans/${res.body.planId}/cancel`, { token: debtor, body: {} });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.schedule.map((p: { planStatus: string }) => p.planStatus)).toEqual(['paid', 'paid', 'cancelled']);
    expect(await api.db('outbox').where({ category: 'pay.plan_cancelled', accountId: a.id }).first()).toBeTruthy();
    await atInstant(new Date(Date.parse(`${preview.body.schedule[2].date}T12:00:00Z`)), () => runWorkerOnce(deps()));
    expect(Number((await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', `plan:${res.body.planId}:%`).count({ n: '*' }).first())!.n)).toBe(2);
    expect((await api.request(`/pay/plans/${res.body.planId}/cancel`, { token: debtor, body: {} })).status).toBe(409);
    const other = await linkSession(api, agency, accounts[3]!.publicId);
    expect((await api.request(`/pay/plans/${res.body.planId}`, { token: other })).status).toBe(404);
  });

  it('a declined instalment is retried by the configured rule, then marked declined with a notice', async () => {
    const a = accounts[3]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 2, frequency: 'weekly', expiresOn: isoDay(14) } });
    const debtor = await linkSession(api, agency, a.publicId);
    const card = await addCard(api, debtor, CARDS.insufficient);
    // the first payment tomorrow: charged by the job runner, not in front of the debtor
    const { res } = await accept(debtor, offer.body.id, card, { email: 'retry@mail.example', startDate: isoDay(1) });
    expect(res.status).toBe(201);
    const first = res.body.payments[0];
    expect(first).toMatchObject({ status: 'scheduled', scheduledFor: isoDay(1) });
    await atInstant(new Date(Date.now() + 1 * DAY), () => runWorkerOnce(deps()));
    // declined → retried in 3 days (retryEveryDays), twice (declineRetries), then declined for good
    let row = await api.db('payments').where({ publicId: first.id }).first();
    expect(row).toMatchObject({ status: 'scheduled', attempts: 1, declineCode: 'insufficient_funds' });
    expect(toDateOnly(row.scheduledFor)).toBe(isoDay(4));
    await atInstant(new Date(Date.now() + 4 * DAY), () => runWorkerOnce(deps()));
    row = await api.db('payments').where({ publicId: first.id }).first();
    expect(row).toMatchObject({ status: 'scheduled', attempts: 2 });
    await atInstant(new Date(Date.now() + 7 * DAY), () => runWorkerOnce(deps()));
    row = await api.db('payments').where({ publicId: first.id }).first();
    expect(row).toMatchObject({ status: 'declined', attempts: 3, declineCode: 'insufficient_funds' });
    const keys = await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', `plan:${res.body.planId}:1%`).select('idempotency_key');
    expect(keys.map((k: { idempotencyKey: string }) => k.idempotencyKey).sort()).toEqual([`plan:${res.body.planId}:1`, `plan:${res.body.planId}:1#r1`, `plan:${res.body.planId}:1#r2`]);
    expect(Number((await api.db('outbox').where({ accountId: a.id, category: 'pay.declined' }).count({ n: '*' }).first())!.n)).toBe(3);
    const plan = await api.request(`/pay/plans/${res.body.planId}`, { token: debtor });
    expect(plan.body.schedule[0].planStatus).toBe('declined');
    expect(Number((await account(a.id)).balanceCents)).toBeGreaterThan(0);
  });

  it('a settlement retried after declines and a gateway failure: the key is new per attempt, one success, the same token may be tried again', async () => {
    const a = accounts[6]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'settlement', percent: 70, payBy: isoDay(10) } });
    const debtor = await linkSession(api, agency, a.publicId);
    let lastBody: Record<string, unknown> = {};
    const attempt = async (method: string, key: string) => {
      const preview = await api.request(`/pay/offers/${offer.body.id}/preview`, { token: debtor, body: { paymentMethodId: method } });
      expect(preview.status, preview.text).toBe(200);
      lastBody = { paymentMethodId: method, email: 'settle@mail.example', agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } };
      return api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, headers: { 'Idempotency-Key': key }, body: lastBody });
    };
    // declined twice: each time a 402 that says why, and the offer is open again
    const declined = await addCard(api, debtor, CARDS.declined);
    for (const key of ['try-1', 'try-2']) {
      const res = await attempt(declined, key);
      expect(res.status).toBe(402);
      expect(res.body).toMatchObject({ code: 'payment_declined', retrySameMethod: false, payment: { status: 'declined', declineCode: 'card_declined' }, offer: { status: 'open' } });
    }
    // a gateway failure is not the card's fault: the same method, tried again, goes through
    const hiccup = await addCard(api, debtor, CARDS.processingErrorOnce);
    const failed = await attempt(hiccup, 'try-3');
    expect(failed.status).toBe(402);
    expect(failed.body).toMatchObject({ retrySameMethod: true, payment: { status: 'failed', declineCode: 'processing_error' } });
    const paid = await attempt(hiccup, 'try-4');
    expect(paid.status).toBe(201);
    expect(paid.body.payments).toEqual([expect.objectContaining({ status: 'succeeded', kind: 'settlement' })]);
    // the same request again is the stored answer; a new attempt finds the offer taken
    const replay = await api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, headers: { 'Idempotency-Key': 'try-4' }, body: lastBody });
    expect(replay.status).toBe(201);
    expect(replay.body.payments[0].id).toBe(paid.body.payments[0].id);
    const again = await api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, headers: { 'Idempotency-Key': 'try-5' }, body: lastBody });
    expect(again.status).toBeGreaterThanOrEqual(404);
    expect(again.status).toBeLessThan(500);
    const rows = await api.db('payments').where({ accountId: a.id }).orderBy('id').select('status', 'charge_key');
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['declined', 'declined', 'failed', 'succeeded']);
    expect(new Set(rows.map((r: { chargeKey: string }) => r.chargeKey)).size).toBe(4);
    // the agreement copy goes out only for the agreement that was paid
    const copies = await api.db('outbox').where({ accountId: a.id, category: 'pay.agreement' }).orderBy('id').select('status');
    expect(copies.map((c: { status: string }) => c.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'pending']);
    expect(await account(a.id)).toMatchObject({ status: 'settled', balanceCents: 0 });
  });

  it('a plan whose first payment declines is reported at once (no silent retry) and taken again with another card', async () => {
    const a = accounts[7]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: isoDay(14) } });
    expect(offer.status).toBe(201);
    const debtor = await linkSession(api, agency, a.publicId);
    const bad = await addCard(api, debtor, CARDS.insufficient);
    const { res } = await accept(debtor, offer.body.id, bad, { email: 'firstdecline@mail.example' });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'payment_declined', detail: 'The payment was declined: the account has insufficient funds.', payment: { status: 'declined', instalmentNumber: 1 }, offer: { status: 'open' } });
    expect(res.body.payments.map((p: { status: string }) => p.status)).toEqual(['declined', 'cancelled', 'cancelled']);
    const failedPlan = await api.request(`/pay/plans/${res.body.planId}`, { token: debtor });
    expect(failedPlan.body).toMatchObject({ status: 'cancelled' });
    // nothing is retried later, and no "declined" or agreement mail goes out for it
    await atInstant(new Date(Date.now() + 4 * DAY), () => runWorkerOnce(deps()));
    expect(Number((await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', `plan:${res.body.planId}:%`).count({ n: '*' }).first())!.n)).toBe(1);
    expect(await api.db('outbox').where({ accountId: a.id }).whereIn('category', ['pay.declined', 'pay.agreement']).whereNot({ status: 'cancelled' }).first()).toBeUndefined();
    // another card: the same offer, a new plan, the first payment made
    const good = await addCard(api, debtor);
    const preview = await api.request(`/pay/offers/${offer.body.id}/preview`, { token: debtor, body: { paymentMethodId: good } });
    const second = await api.request(`/pay/offers/${offer.body.id}/accept`, {
      token: debtor, headers: { 'Idempotency-Key': 'plan-second' }, body: { paymentMethodId: good, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } },
    });
    expect(second.status).toBe(201);
    expect(second.body.planId).not.toBe(res.body.planId);
    expect(second.body.payments.map((p: { status: string }) => p.status)).toEqual(['succeeded', 'scheduled', 'scheduled']);
  });

  it('up to three reminders before an offer expires, one expiry notice after', async () => {
    const a = accounts[4]!;
    const offer = await api.request(`/agency/accounts/${a.publicId}/offers`, { token: agency, body: { kind: 'settlement', percent: 50, payBy: isoDay(7), expiresOn: isoDay(7) } });
    const at = (d: number) => new Date(Date.now() + d * DAY);
    const count = async (category: string) => Number((await api.db('outbox').where({ accountId: a.id, category }).count({ n: '*' }).first())!.n);
    const party = await api.db('account_parties').where({ accountId: a.id, role: 'responsible' }).first('emails');
    if (JSON.parse(party.emails).length === 0) await api.db('account_parties').where({ accountId: a.id, role: 'responsible' }).update({ emails: JSON.stringify(['remind@mail.example']) });
    await atInstant(at(0), () => runWorkerOnce(deps())); // 7 days left
    await atInstant(at(1), () => runWorkerOnce(deps())); // 6 left: same reminder window, no new mail
    expect(await count('pay.offer_reminder')).toBe(1);
    await atInstant(at(4), () => runWorkerOnce(deps())); // 3 left
    await atInstant(at(6), () => runWorkerOnce(deps())); // 1 left
    await atInstant(at(7), () => runWorkerOnce(deps())); // 0 left
    expect(await count('pay.offer_reminder')).toBe(3);
    expect(await count('pay.offer_expired')).toBe(0);
    await atInstant(at(8), () => runWorkerOnce(deps()));
    await atInstant(at(9), () => runWorkerOnce(deps()));
    expect(await count('pay.offer_expired')).toBe(1);
    expect((await api.db('offers').where({ publicId: offer.body.id }).first()).status).toBe('expired');
    const debtor = await linkSession(api, agency, a.publicId);
    expect((await api.request('/pay/account', { token: debtor })).body.offers).toEqual([]);
  });
});
