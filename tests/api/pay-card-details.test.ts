/**
 * Issue 18 items 1 and 8: after a decline for the security code or the expiry, the debtor types only
 * that again — the card's token is kept and the gateway updates it (POST /pay/methods/:id/details,
 * called by the frame) — and the retry succeeds with the same method. The detail is checked as at
 * tokenisation; another account's method, or a bank account, cannot be updated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { addCard, cardExpYear, linkSession, pay, payableAccounts, type PayableAccount } from './pay-helpers.js';

describe.each(DIALECTS)('a declined card\'s security code or expiry typed again (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 40 });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 2);
  });
  afterAll(() => api.close());

  it('incorrect_cvc, then the code alone: the same card pays; expired_card, then the expiry alone: the same card pays', async () => {
    const debtor = await linkSession(api, agency, accounts[0]!.publicId);
    for (const [number, detail, bad] of [
      ['4000000000000127', { cvc: '321' }, { cvc: '12' }],
      ['4000000000000069', { expMonth: 11, expYear: cardExpYear() + 1 }, { expMonth: 13, expYear: cardExpYear() }],
    ] as const) {
      const method = await addCard(api, debtor, number);
      const first = await pay(api, debtor, { amountCents: 1100, paymentMethodId: method });
      expect(first.status).toBe(402);
      const invalid = await api.request(`/pay/methods/${method}/details`, { token: debtor, body: bad });
      expect(invalid.status).toBe(400);
      const updated = await api.request(`/pay/methods/${method}/details`, { token: debtor, body: detail });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id: method, kind: 'card', brand: 'visa', last4: number.slice(-4) });
      const retry = await pay(api, debtor, { amountCents: 1100, paymentMethodId: method });
      expect(retry.status).toBe(201);
      expect(retry.body.status).toBe('succeeded');
    }
    const audit = await api.db('audit_log').where({ action: 'payment_method.details_updated' }).count({ n: '*' }).first();
    expect(Number((audit as { n: number }).n)).toBe(2);
  });

  it('another account\'s card or a bank account cannot be updated; nothing given is refused', async () => {
    const owner = await linkSession(api, agency, accounts[0]!.publicId);
    const card = await addCard(api, owner, '4000000000000127');
    const stranger = await linkSession(api, agency, accounts[1]!.publicId);
    expect((await api.request(`/pay/methods/${card}/details`, { token: stranger, body: { cvc: '321' } })).status).toBe(400);
    expect((await api.request(`/pay/methods/${card}/details`, { token: owner, body: {} })).status).toBe(400);
    const bank = await api.request('/pay/methods', { token: owner, body: { kind: 'ach', routingNumber: '110000000', accountNumber: '000123456789', accountType: 'checking', holderName: 'Pat Debtor' } });
    expect(bank.status).toBe(201);
    const refused = await api.request(`/pay/methods/${bank.body.id}/details`, { token: owner, body: { cvc: '321' } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('card_update_unsupported');
  });
});
