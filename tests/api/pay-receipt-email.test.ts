/**
 * Issue 18 item 8 on the server: the agreement's dates are long dates in the reader's language and
 * the card brand is written as people write it; the confirmation learns when the receipt email
 * goes — held to 8 am–9 pm at the debtor's address, so a payment at night is receipted in the
 * morning — and the debtor can have it sent now (the window does not hold a message the debtor asked
 * for at that moment) or again, at most three times. A real SMTP peer receives what is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { addCard, giveConsent, linkSession, pay, payableAccounts, type PayableAccount } from './pay-helpers.js';
import '../../api/jobs-registry.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { fixAppClock } from './test-clock.js';
import { todayIso } from '../../api/platform/clock.js';

/** 09:00 UTC is night in every US zone (4–5 am Eastern, 11 pm Hawaii): a receipt is held. */
const night = () => {
  const d = new Date(Date.now() + 2 * 86_400_000);
  d.setUTCHours(9, 0, 0, 0);
  return d;
};

describe.each(DIALECTS)('receipt email timing and the agreement\'s words (%s)', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    fixAppClock(night());
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 60, config: { smtpUrl: smtp.url } });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 3);
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  it('the agreement says "December 7, 2026" (or "7 de diciembre de 2026") and "Visa", never an ISO date or "visa"', async () => {
    const debtor = await linkSession(api, agency, accounts[0]!.publicId);
    const card = await addCard(api, debtor);
    const long = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${todayIso()}T00:00:00Z`));
    const en = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1500, paymentMethodId: card } });
    expect(en.status).toBe(200);
    expect(en.body.agreement.text).toContain(`to my Visa card ending in 4242 on ${long('en-US')}.`);
    expect(en.body.agreement.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const es = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1500, paymentMethodId: card, lang: 'es' } });
    expect(es.body.agreement.text).toContain(`tarjeta Visa terminada en 4242 el ${long('es-US')}.`);
  });

  it('paid at night: the receipt waits for the window and says until when; "send now" sends it at once, "again" once more, a fourth is refused', async () => {
    const a = accounts[1]!;
    const debtor = await linkSession(api, agency, a.publicId);
    await giveConsent(api, debtor, { email: 'night.payer@mail.example' });
    const paid = await pay(api, debtor, { amountCents: 2100, paymentMethodId: await addCard(api, debtor), email: 'night.payer@mail.example' });
    expect(paid.status).toBe(201);
    const deps = { db: api.db, config: api.config };
    const before = smtp.messages.length;
    await deliverOutbox(deps);
    const held = await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: debtor });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ to: 'night.payer@mail.example', status: 'waiting', canRequest: true });
    // not before 8 am in the debtor's zone: at least three hours after 09:00 UTC
    expect(new Date(held.body.sendAt).getTime() - night().getTime()).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(smtp.messages.length).toBe(before);

    const now = await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: debtor, method: 'POST', body: {} });
    expect(now.status).toBe(200);
    expect(now.body.status).toBe('waiting');
    // now (the app's clock runs on from 09:00 UTC): not at 8 am
    expect(new Date(now.body.sendAt).getTime() - night().getTime()).toBeLessThan(60_000);
    await deliverOutbox(deps);
    const mail = (await smtp.waitFor(before + 1)).slice(before).find((m) => m.subject?.includes(paid.body.receiptNumber));
    expect(mail?.text).toContain('$21.00');
    const sent = await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: debtor });
    expect(sent.body.status).toBe('sent');
    expect(new Date(sent.body.sendAt).getTime() - night().getTime()).toBeLessThan(60_000);
    // the held row was sent, not a second copy
    expect(await api.db('outbox').where({ accountId: a.id }).where('category', 'like', 'pay.receipt%').count({ n: '*' }).first()).toMatchObject({ n: 1 });

    for (let i = 0; i < 2; i++) {
      expect((await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: debtor, method: 'POST', body: {} })).status).toBe(200);
      await deliverOutbox(deps);
      await smtp.waitFor(before + 2 + i);
    }
    const limit = await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: debtor, method: 'POST', body: {} });
    expect(limit.status).toBe(409);
    expect(limit.body.code).toBe('receipt_request_limit');
    const audit = await api.db('audit_log').where({ action: 'payment.receipt_requested', targetId: paid.body.id }).count({ n: '*' }).first();
    expect(Number((audit as { n: number }).n)).toBe(3);
  });

  it('another debtor\'s payment is not found', async () => {
    const owner = await linkSession(api, agency, accounts[2]!.publicId);
    const paid = await pay(api, owner, { amountCents: 1000, paymentMethodId: await addCard(api, owner) });
    expect(paid.status).toBe(201);
    const stranger = await linkSession(api, agency, accounts[0]!.publicId);
    expect((await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: stranger })).status).toBe(404);
    expect((await api.request(`/pay/payments/${paid.body.id}/receipt-email`, { token: stranger, method: 'POST', body: {} })).status).toBe(404);
  });
});
