/** Receipts and payment links through the transactional outbox, received by a real SMTP peer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { addCard, CARDS, giveConsent, inContactWindow, linkSession, pay, payableAccounts, type PayableAccount } from './pay-helpers.js';
// the outbox policies (E-SIGN consent, opt-outs, contact window) apply, as in `serve`
import '../../api/jobs-registry.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { atInstant } from './test-clock.js';

describe.each(DIALECTS)('payment notices (%s)', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 60, config: { smtpUrl: smtp.url } });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 4);
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });
  const deps = () => ({ db: api.db, config: api.config });
  const deliver = () => atInstant(inContactWindow(), () => deliverOutbox(deps()));

  it('a successful payment writes its receipt to the outbox in the same transaction; the worker delivers it by SMTP', async () => {
    const a = accounts[0]!;
    const debtor = await linkSession(api, agency, a.publicId);
    await giveConsent(api, debtor, { email: 'payer@mail.example' });
    const res = await pay(api, debtor, { amountCents: 4321, paymentMethodId: await addCard(api, debtor), email: 'payer@mail.example' });
    expect(res.status).toBe(201);
    const row = await api.db('outbox').where({ category: 'pay.receipt', accountId: a.id }).first();
    expect(row).toMatchObject({ recipient: 'payer@mail.example', status: 'pending', dedupeKey: `pay.receipt:${res.body.id}` });
    const before = smtp.messages.length;
    const delivered = await deliver();
    expect(delivered.sent).toBeGreaterThanOrEqual(1);
    const mail = (await smtp.waitFor(before + 1)).find((m) => m.subject?.includes(res.body.receiptNumber))!;
    expect(mail).toBeTruthy();
    expect(mail.text).toContain('$43.21');
    expect(mail.text).toContain('Visa ending 4242');
    expect(mail.text).not.toContain('4242424242424242');
    expect((mail.to as { text: string }).text).toBe('payer@mail.example');
    expect(mail.html).toContain('$43.21');
    expect((await api.db('outbox').where({ id: row.id }).first()).status).toBe('sent');
  });

  it('a declined one-time payment sends no receipt; a rolled-back payment leaves no message', async () => {
    const a = accounts[1]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const declined = await pay(api, debtor, { amountCents: 1000, paymentMethodId: await addCard(api, debtor, CARDS.declined), email: 'payer@mail.example' });
    expect(declined.status).toBe(402);
    expect(await api.db('outbox').where({ accountId: a.id }).first()).toBeUndefined();
  });

  it('an agency user sends a payment link by email or SMS; the message carries the link', async () => {
    const target = (await api.db('accounts').join('account_parties as p', 'p.account_id', 'accounts.id')
      .where({ 'accounts.status': 'active', 'accounts.review_status': 'accepted', 'p.role': 'responsible' })
      .whereNot('p.emails', '[]').where('p.phones', 'like', '%mobile%').first('accounts.public_id', 'p.emails', 'p.phones')) as { publicId: string; emails: string; phones: string };
    expect(target).toBeTruthy();
    // without E-SIGN consent the message would be cancelled (it goes on paper): the debtor consented earlier
    const mobile = (JSON.parse(target.phones) as { type: string; number: string }[]).find((p) => p.type === 'mobile')!.number;
    await giveConsent(api, await linkSession(api, agency, target.publicId), { email: JSON.parse(target.emails)[0], phone: mobile });
    const link = await api.request(`/agency/accounts/${target.publicId}/payment-links`, { token: agency, body: { send: 'email' } });
    expect(link.status).toBe(201);
    expect(link.body.sentTo).toMatch(/^.\*+@/);
    const before = smtp.messages.length;
    await deliver();
    const mail = (await smtp.waitFor(before + 1)).slice(before).find((m) => m.subject?.startsWith('Your payment link'))!;
    expect(mail.text).toContain(link.body.url);
    const sms = await api.request(`/agency/accounts/${target.publicId}/payment-links`, { token: agency, body: { send: 'sms' } });
    expect(sms.status).toBe(201);
    expect(sms.body.sentTo).toMatch(/^•••-•••-\d{4}$/);
    await deliver();
    const logged = await api.db('sms_log').orderBy('id', 'desc').first();
    // the log provider keeps the text without the link (tests/api/outbox-secrets.test.ts: what the network gets)
    expect(logged.body).toContain('review and pay your');
    expect(logged.body).not.toContain(sms.body.token);
    // the opened link works
    const session = await api.request('/pay/session/link', { body: { linkToken: sms.body.token } });
    expect(session.body.account.id).toBe(target.publicId);
  });
});
