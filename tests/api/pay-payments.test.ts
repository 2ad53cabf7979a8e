/**
 * F-PAY 4–6: methods tokenised by the gateway, one-time and scheduled payments with a signed
 * agreement, declines, idempotency (double submit, retries, a crash between charge and commit),
 * and no card or bank number anywhere in the database or the logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { addCard, CARDS, linkSession, pay, payableAccounts, type PayableAccount } from './pay-helpers.js';
import { gatewayFor } from '../../api/pay/gateway/sandbox-gateway.js';
import { recoverPendingPayments } from '../../api/pay/payments.service.js';
import { isMysql } from '../../api/platform/db.js';
import { cardExpYear } from './pay-helpers.js';

/** Everything the process writes to stdout/stderr while this file runs (the server is in-process). */
const logged: string[] = [];
const capture = (stream: NodeJS.WriteStream) => {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
};
capture(process.stdout);
capture(process.stderr);
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[level].bind(console);
  console[level] = (...args: unknown[]) => {
    logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    original(...args);
  };
}

const ACH_ACCOUNT = '000123456789';
const SECRETS = ['4242424242424242', '4242 4242 4242 4242', '378282246310005', '4000000000009995', '4000000000000002', ACH_ACCOUNT];

async function tableDump(api: TestApi): Promise<string> {
  const tables = isMysql(api.db)
    ? ((await api.db.raw('select table_name as t from information_schema.tables where table_schema = database()')) as [{ t: string }[]])[0].map((r) => r.t)
    : ((await api.db.raw("select name as t from sqlite_master where type = 'table'")) as { t: string }[]).map((r) => r.t);
  let out = '';
  for (const t of tables) out += JSON.stringify(await api.db.raw(`select * from ${isMysql(api.db) ? `\`${t}\`` : `"${t}"`}`));
  return out;
}

describe.each(DIALECTS)('debtor payments (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 9);
  });
  afterAll(() => api.close());

  const balanceOf = async (id: number) => Number((await api.db('accounts').where({ id }).first('balance_cents')).balanceCents);

  it('tokenises a card: only token, brand and last 4 are kept; invalid cards are refused field by field', async () => {
    const debtor = await linkSession(api, agency, accounts[0]!.publicId);
    const ok = await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number: CARDS.visa, expMonth: 12, expYear: cardExpYear(), cvc: '123', save: true } });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({ id: ID('pm'), kind: 'card', brand: 'visa', last4: '4242', expMonth: 12, expYear: cardExpYear(), saved: true });
    const row = await api.db('payment_methods').where({ publicId: ok.body.id }).first();
    expect(row.gatewayToken).toMatch(/^tok_sbx_/);
    const bad = await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number: '4242 4242 4242 4241', expMonth: 13, expYear: cardExpYear(), cvc: '12' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('payment_method_invalid');
    expect(bad.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`).sort()).toEqual(['cvc:invalid_cvc', 'expMonth:invalid_expiry', 'number:invalid_number']);
    const expired = await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number: CARDS.visa, expMonth: 1, expYear: 2020, cvc: '123' } });
    expect(expired.body.errors).toEqual([{ path: 'expYear', code: 'expired_card', message: expect.any(String) }]);
    const amex3 = await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number: CARDS.amex, expMonth: 1, expYear: cardExpYear() + 1, cvc: '123' } });
    expect(amex3.body.errors[0]).toMatchObject({ path: 'cvc', code: 'invalid_cvc' });
    const ach = await api.request('/pay/methods', { token: debtor, body: { kind: 'ach', routingNumber: '021000022', accountNumber: ACH_ACCOUNT, accountType: 'checking', holderName: 'Pat Debtor' } });
    expect(ach.status).toBe(400);
    expect(ach.body.errors[0]).toMatchObject({ path: 'routingNumber', code: 'invalid_routing_number' });
    const achOk = await api.request('/pay/methods', { token: debtor, body: { kind: 'ach', routingNumber: '110000000', accountNumber: ACH_ACCOUNT, accountType: 'checking', holderName: 'Pat Debtor' } });
    expect(achOk.body).toMatchObject({ kind: 'ach', brand: 'checking', last4: '6789' });
    const wallet = await api.request('/pay/methods', { token: debtor, body: { kind: 'wallet', walletToken: 'sandbox-wallet-approve' } });
    expect(wallet.body).toMatchObject({ kind: 'wallet', brand: 'sandbox_wallet' });
    expect((await api.request('/pay/methods', { body: { kind: 'wallet', walletToken: 'sandbox-wallet-approve' } })).status).toBe(401);
    const account = await api.request('/pay/account', { token: debtor });
    expect(account.body.savedMethods.map((m: { id: string }) => m.id)).toEqual([ok.body.id]);
  });

  it('pays part of the balance by card: agreement signed and recorded, balance, activity, event and audit written', async () => {
    const a = accounts[1]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor);
    const preview = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 5000, paymentMethodId: method } });
    expect(preview.status).toBe(200);
    expect(preview.body.agreement).toEqual({ version: 'pay-2026-11', lang: 'en', text: expect.stringContaining('$50.00'), textHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const before = await balanceOf(a.id);
    const res = await api.request('/pay/payments', {
      token: debtor, headers: { 'Idempotency-Key': 'k-one-time-0001', 'User-Agent': 'vitest' },
      body: { amountCents: 5000, paymentMethodId: method, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('pay'), kind: 'one_time', status: 'succeeded', amount: { amountCents: 5000, currency: 'USD' }, method: { kind: 'card', brand: 'visa', last4: '4242' },
      scheduledFor: null, declineCode: null, declineMessage: null, receiptNumber: expect.stringMatching(/^R\d{6}-[0-9A-Z]{8}$/), planId: null, instalmentNumber: null,
      createdAt: ISO_DATETIME, completedAt: ISO_DATETIME,
    });
    expect(await balanceOf(a.id)).toBe(before - 5000);
    const comps = await api.db('account_balances').where({ accountId: a.id }).sum({ s: 'current_cents' }).first();
    expect(Number(comps!.s)).toBe(before - 5000);
    const agreement = await api.db('payment_agreements').where({ accountId: a.id }).first();
    expect(agreement).toMatchObject({ typedName: 'Pat Debtor', version: 'pay-2026-11', lang: 'en', textHash: preview.body.agreement.textHash, text: preview.body.agreement.text, ip: expect.any(String), userAgent: 'vitest' });
    expect(await api.db('activity').where({ accountId: a.id, type: 'payment' }).first()).toMatchObject({ visibility: 'client', body: expect.stringContaining('$50.00') });
    const event = await api.db('events').where({ accountId: a.id, type: 'payment.succeeded' }).first();
    expect(JSON.parse(event.payloadJson)).toMatchObject({ payment: res.body.id, amountCents: 5000, balanceAfterCents: before - 5000 });
    expect(await api.db('audit_log').where({ action: 'payment.succeeded', targetId: res.body.id }).first()).toBeTruthy();
    expect(await api.db('audit_log').where({ action: 'payment.submitted', targetId: res.body.id }).first()).toBeTruthy();
    // the client sees it on the account and in the ledger (an append-only transactions row)
    const detail = await api.request(`/accounts/${a.publicId}`, { token: agency });
    expect(detail.body.balanceDetail.totalCents).toBe(before - 5000);
    const txn = await api.db('transactions').where({ accountId: a.id, kind: 'payment' }).orderBy('id', 'desc').first(); // the latest (the seed may have entered earlier payments)
    expect(txn).toMatchObject({ method: 'card', reference: res.body.receiptNumber, createdByUserId: null });
    expect(Number(txn.amountCents)).toBe(5000);
    expect(Number(txn.balanceAfterCents)).toBe(before - 5000);
    expect(Number(txn.principalDeltaCents) + Number(txn.interestDeltaCents) + Number(txn.feesDeltaCents) + Number(txn.costsDeltaCents)).toBe(-5000);
    const ledger = await api.request(`/accounts/${a.publicId}/transactions`, { token: agency });
    expect(ledger.status).toBe(200);
    expect(JSON.stringify(ledger.body)).toContain(res.body.receiptNumber);
    // the receipt is readable by the session, not by another account's session
    expect((await api.request(`/pay/payments/${res.body.id}`, { token: debtor })).body.receiptNumber).toBe(res.body.receiptNumber);
    const other = await linkSession(api, agency, accounts[2]!.publicId);
    expect((await api.request(`/pay/payments/${res.body.id}`, { token: other })).status).toBe(404);
  });

  it('double submit and retries with one Idempotency-Key charge once; a different body with that key is a 409', async () => {
    const a = accounts[2]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor);
    const before = await balanceOf(a.id);
    const preview = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 2500, paymentMethodId: method } });
    const body = { amountCents: 2500, paymentMethodId: method, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } };
    const send = () => api.request('/pay/payments', { token: debtor, body, headers: { 'Idempotency-Key': 'double-submit-1' } });
    const results = await Promise.all([send(), send(), send()]);
    const ok = results.filter((r) => r.status === 201 || r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results) expect([200, 201, 409]).toContain(r.status);
    const ids = new Set(ok.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.body.id).toBe([...ids][0]);
    expect(Number((await api.db('payments').where({ accountId: a.id }).count({ n: '*' }).first())!.n)).toBe(1);
    expect(Number((await api.db('sandbox_gateway_charges').where('idempotency_key', 'like', `idem:${a.id}:%`).count({ n: '*' }).first())!.n)).toBe(1);
    expect(await balanceOf(a.id)).toBe(before - 2500);
    const reused = await api.request('/pay/payments', { token: debtor, body: { ...body, amountCents: 2600 }, headers: { 'Idempotency-Key': 'double-submit-1' } });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('a declined card is a 402 with the reason; nothing is taken from the balance', async () => {
    const a = accounts[3]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor, CARDS.insufficient);
    const before = await balanceOf(a.id);
    const res = await pay(api, debtor, { amountCents: 3000, paymentMethodId: method });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ code: 'payment_declined', errors: [{ path: 'paymentMethodId', code: 'insufficient_funds' }], payment: { status: 'declined', declineCode: 'insufficient_funds' } });
    expect(await balanceOf(a.id)).toBe(before);
    expect(await api.db('events').where({ accountId: a.id, type: 'payment.declined' }).first()).toBeTruthy();
    const failed = await pay(api, debtor, { amountCents: 3000, paymentMethodId: await addCard(api, debtor, CARDS.processingError) });
    expect(failed.status).toBe(402);
    expect(failed.body.payment.status).toBe('failed');
    // the account is still fully payable after declines
    expect((await api.request('/pay/account', { token: debtor })).body.payable.amountCents).toBe(before);
  });

  it('refuses amounts beyond the balance, a changed agreement, and methods of another account', async () => {
    const a = accounts[4]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor);
    const tooMuch = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: a.balanceCents + 1, paymentMethodId: method } });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors[0]).toMatchObject({ path: 'amountCents', code: 'out_of_range' });
    const preview = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1000, paymentMethodId: method } });
    const changed = await api.request('/pay/payments', { token: debtor, body: { amountCents: 1100, paymentMethodId: method, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(changed.status).toBe(409);
    expect(changed.body.code).toBe('agreement_changed');
    const unsigned = await api.request('/pay/payments', { token: debtor, body: { amountCents: 1000, paymentMethodId: method, agreement: { typedName: '', textHash: preview.body.agreement.textHash } } });
    expect(unsigned.status).toBe(400);
    const other = await linkSession(api, agency, accounts[5]!.publicId);
    const foreign = await api.request('/pay/payments/preview', { token: other, body: { amountCents: 1000, paymentMethodId: method } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0]).toMatchObject({ path: 'paymentMethodId', code: 'not_found' });
    expect(await api.db('payments').where({ accountId: a.id }).first()).toBeUndefined();
  });

  it('schedules a future payment by ACH with the NACHA authorisation; it holds the amount; scheduling can be switched off', async () => {
    const a = accounts[5]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const ach = await api.request('/pay/methods', { token: debtor, body: { kind: 'ach', routingNumber: '110000000', accountNumber: ACH_ACCOUNT, accountType: 'checking', holderName: 'Pat Debtor' } });
    const date = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const preview = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 4000, paymentMethodId: ach.body.id, scheduledFor: date } });
    expect(preview.body.agreement.text).toContain('electronic debit entries (ACH)');
    expect(preview.body.scheduledFor).toBe(date);
    const before = await balanceOf(a.id);
    const res = await pay(api, debtor, { amountCents: 4000, paymentMethodId: ach.body.id, scheduledFor: date });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'scheduled', status: 'scheduled', scheduledFor: date, method: { kind: 'ach', last4: '6789' } });
    expect(await balanceOf(a.id)).toBe(before);
    expect((await api.request('/pay/account', { token: debtor })).body.payable.amountCents).toBe(before - 4000);
    const tooFar = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 100, paymentMethodId: ach.body.id, scheduledFor: '2099-01-01' } });
    expect(tooFar.body.errors[0]).toMatchObject({ path: 'scheduledFor', code: 'too_far' });
    const off = await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { schedulingEnabled: false } });
    expect(off.body.schedulingEnabled).toBe(false);
    const disabled = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 100, paymentMethodId: ach.body.id, scheduledFor: date } });
    expect(disabled.status).toBe(409);
    expect(disabled.body.code).toBe('scheduling_disabled');
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { schedulingEnabled: true } });
    expect((await api.request('/agency/pay-settings', { method: 'PUT', token: await api.login('demo.client'), body: {} })).status).toBe(403);
    // the debtor cancels it: the amount is free again, once; another session cannot touch it
    expect((await api.request(`/pay/payments/${res.body.id}/cancel`, { token: await linkSession(api, agency, accounts[0]!.publicId), body: {} })).status).toBe(404);
    const cancelled = await api.request(`/pay/payments/${res.body.id}/cancel`, { token: debtor, body: {} });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: res.body.id, status: 'cancelled' });
    expect((await api.request('/pay/account', { token: debtor })).body.payable.amountCents).toBe(before);
    const again = await api.request(`/pay/payments/${res.body.id}/cancel`, { token: debtor, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('payment_not_scheduled');
    expect(await api.db('audit_log').where({ action: 'payment.cancelled', targetId: res.body.id }).first()).toBeTruthy();
  });

  it('the agreement is rendered, signed and recorded in the debtor\'s language', async () => {
    const a = accounts[8]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const card = await addCard(api, debtor);
    const en = await api.request('/pay/payments/preview', { token: debtor, body: { amountCents: 1200, paymentMethodId: card } });
    const es = await api.request('/pay/payments/preview', { token: debtor, body: { lang: 'es', amountCents: 1200, paymentMethodId: card } });
    expect(es.body.agreement.text).toContain('Acuerdo de pago');
    expect(es.body.agreement.text).toContain('tarjeta Visa terminada en 4242');
    expect(es.body.agreement.text).not.toContain('I authorise');
    expect(es.body.agreement.textHash).not.toBe(en.body.agreement.textHash);
    // the Spanish text signed with the English hash is refused: the words signed are the words shown
    const mixed = await api.request('/pay/payments', { token: debtor, body: { lang: 'es', amountCents: 1200, paymentMethodId: card, agreement: { typedName: 'Pat Debtor', textHash: en.body.agreement.textHash } } });
    expect(mixed.status).toBe(409);
    const paid = await api.request('/pay/payments', { token: debtor, body: { lang: 'es', amountCents: 1200, paymentMethodId: card, agreement: { typedName: 'Pat Debtor', textHash: es.body.agreement.textHash } } });
    expect(paid.status).toBe(201);
    const recorded = await api.db('payment_agreements').where({ accountId: a.id }).orderBy('id', 'desc').first('lang', 'text');
    expect(recorded).toEqual({ lang: 'es', text: es.body.agreement.text });
  });

  it('a crash between the gateway charge and the commit is finished on restart without a second charge', async () => {
    const a = accounts[6]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor);
    const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const scheduled = await pay(api, debtor, { amountCents: 1500, paymentMethodId: method, scheduledFor: date });
    // The scheduler picked it up (pending) and charged it; then the process died before finalising.
    await api.db('payments').where({ publicId: scheduled.body.id }).update({ status: 'pending', updatedAt: new Date(Date.now() - 10 * 60_000) });
    const row = await api.db('payments').where({ publicId: scheduled.body.id }).first();
    const token = (await api.db('payment_methods').where({ id: row.paymentMethodId }).first()).gatewayToken;
    const deps = { db: api.db, config: api.config };
    const charged = await gatewayFor(deps).charge({ token, amountCents: 1500, currency: 'USD', idempotencyKey: row.chargeKey }, new Date());
    expect(charged.status).toBe('succeeded');
    const before = await balanceOf(a.id);
    // Restart: recovery charges again with the same key and finalises once.
    expect(await recoverPendingPayments(deps, new Date())).toBeGreaterThanOrEqual(1);
    expect(await recoverPendingPayments(deps, new Date())).toBe(0);
    const after = await api.db('payments').where({ publicId: scheduled.body.id }).first();
    expect(after).toMatchObject({ status: 'succeeded', gatewayChargeId: charged.id });
    expect(Number((await api.db('sandbox_gateway_charges').where({ idempotencyKey: row.chargeKey }).count({ n: '*' }).first())!.n)).toBe(1);
    expect(await balanceOf(a.id)).toBe(before - 1500);
    // the gateway's other two calls: status and refund (capped at the amount charged)
    const gateway = gatewayFor(deps);
    expect(await gateway.status(charged.id)).toMatchObject({ id: charged.id, status: 'succeeded', amountCents: 1500, refundedCents: 0 });
    expect((await gateway.refund({ chargeId: charged.id, amountCents: 1000 }, new Date())).refundedCents).toBe(1000);
    expect((await gateway.refund({ chargeId: charged.id, amountCents: 1000 }, new Date())).refundedCents).toBe(1500);
    expect(await gateway.status('ch_unknown')).toBeNull();
  });

  it('no card or bank account number is in any table or in the logs', async () => {
    // a validation failure and a garbled body go through the error paths too
    const debtor = await linkSession(api, agency, accounts[7]!.publicId);
    await api.request('/pay/methods', { token: debtor, body: { kind: 'card', number: '4242424242424242', expMonth: 99, expYear: cardExpYear(), cvc: '1' } });
    await api.request('/pay/methods', { token: debtor, rawBody: '{"kind":"card","number":"4242424242424242",', headers: { 'Content-Type': 'application/json' } });
    console.info('log-capture-probe');
    expect(logged.join('')).toContain('log-capture-probe');
    const dump = await tableDump(api);
    expect(dump).toContain('tok_sbx_');
    for (const secret of SECRETS) {
      expect(dump).not.toContain(secret);
      expect(logged.join('')).not.toContain(secret);
    }
  });
});
