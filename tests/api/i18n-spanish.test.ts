/**
 * Issue 18, item 7: one catalogue per language (i18n/), and Spanish all the way on the API. The key
 * sets (and each message's placeholders) are the same in English and Spanish; a debtor who reads
 * Spanish gets problems, the decline, the card frame's errors, the agreement, the E-SIGN statement,
 * the dispute confirmation, the emails and the texts in Spanish — checked against the English
 * catalogue's values, not by eye.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, type Module } from '../../i18n/catalogue.js';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { addCard, CARDS, cardExpYear, linkSession, payableAccounts, type PayableAccount } from './pay-helpers.js';

const MODULES = Object.keys(CATALOGUES.en) as Module[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the catalogue', () => {
  it('has the same modules, keys and placeholders in English and Spanish', () => {
    expect(Object.keys(CATALOGUES.es).sort()).toEqual([...MODULES].sort());
    for (const m of MODULES) {
      const en = CATALOGUES.en[m] as Record<string, string>;
      const es = CATALOGUES.es[m] as Record<string, string>;
      expect(Object.keys(es).sort(), m).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        expect(placeholders(es[key]!), `${m}.${key}`).toEqual(placeholders(en[key]!));
        expect(es[key]!.trim().length, `${m}.${key} is empty in Spanish`).toBeGreaterThan(0);
      }
    }
  });
});

/**
 * The English catalogue's words a Spanish answer must not contain: every value that differs from its
 * Spanish counterpart, by its longest literal part (placeholders cut out), when that part is long
 * enough to mean something (6 characters).
 */
function englishOnly(): string[] {
  const out = new Set<string>();
  for (const m of MODULES) {
    const en = CATALOGUES.en[m] as Record<string, string>;
    const es = CATALOGUES.es[m] as Record<string, string>;
    for (const [key, text] of Object.entries(en)) {
      // the switch back to English is named in English on purpose
      if (text === es[key] || key === 'switchTo' || key === 'pageSwitchTo') continue;
      for (const line of text.split('\n')) {
        const literal = line.split(/\{\w+\}/).map((s) => s.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
        if (literal.length >= 6) out.add(literal);
      }
    }
  }
  return [...out];
}
const ENGLISH = englishOnly();
const english = (text: string) => ENGLISH.filter((s) => text.includes(s));

describe.each(DIALECTS)('Spanish all the way (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let accounts: PayableAccount[];
  const es = { 'Accept-Language': 'es-US,es;q=0.9' };
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 40 });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 4);
  });
  afterAll(() => api.close());

  it('answers problems in Spanish on debtor routes: title, detail and field errors (English elsewhere)', async () => {
    const a = accounts[0]!;
    const seen: string[] = [];
    const problem = (res: { status: number; body: { title: string; detail: string; errors?: { message: string }[] } }, status: number) => {
      expect(res.status).toBe(status);
      const text = [res.body.title, res.body.detail, ...(res.body.errors ?? []).map((e) => e.message)].join(' | ');
      seen.push(text);
      expect(english(text), text).toEqual([]);
      return res.body;
    };
    // no session
    expect(problem(await api.request('/pay/account', { headers: es }), 401).detail).toBe(CATALOGUES.es.problems.debtorSessionRequired);
    // a wrong identity
    const miss = problem(await api.request('/pay/session/identity', { headers: es, body: { accountNumber: a.agencyAccountNumber, dob: '1900-01-01', zip: a.zip } }), 404);
    expect(miss).toMatchObject({ title: 'No encontrado', detail: CATALOGUES.es.problems.identityNotMatched });
    // a schema refusal
    problem(await api.request('/pay/session/link', { headers: es, body: { linkToken: 7 } }), 400);
    const debtor = await linkSession(api, agency, a.publicId);
    // the card frame's errors (the frame sends its language as Accept-Language)
    const card = problem(await api.request('/pay/methods', { token: debtor, headers: es, body: { kind: 'card', number: '4242 4242 4242 4241', expMonth: 13, expYear: cardExpYear(), cvc: '12' } }), 400);
    expect(card.errors!.map((e) => e.message)).toEqual(expect.arrayContaining([CATALOGUES.es.problems.gateway_invalid_number, 'El código de seguridad tiene 3 dígitos.']));
    // an amount out of range, with the range in the field error
    const method = await addCard(api, debtor);
    const range = problem(await api.request('/pay/payments/preview', { token: debtor, headers: es, body: { lang: 'es', amountCents: a.balanceCents * 10, paymentMethodId: method } }), 400);
    expect(range.errors![0]!.message).toMatch(/^Pague entre \$\d/);
    // a payment that is not there
    problem(await api.request('/pay/payments/pay_nothere000', { token: debtor, headers: es }), 404);
    // the same request in English on the same route, and the agency side stays English
    const enMiss = await api.request('/pay/payments/pay_nothere000', { token: debtor });
    expect(enMiss.body).toMatchObject({ title: 'Not Found', detail: 'Payment not found.' });
    expect(seen.length).toBeGreaterThanOrEqual(6);
  });

  it('a decline is Spanish entirely ("El pago fue rechazado: …"), the payment it carries too', async () => {
    const a = accounts[1]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor, CARDS.declined);
    const preview = await api.request('/pay/payments/preview', { token: debtor, headers: es, body: { lang: 'es', amountCents: 2000, paymentMethodId: method } });
    const res = await api.request('/pay/payments', { token: debtor, headers: es, body: { lang: 'es', amountCents: 2000, paymentMethodId: method, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(res.status).toBe(402);
    const reason = CATALOGUES.es.payForm.decline_card_declined;
    expect(res.body).toMatchObject({ title: 'Pago requerido', detail: 'El pago fue rechazado: el banco rechazó la tarjeta.', payment: { declineMessage: reason } });
    const said = [res.body.title, res.body.detail, ...res.body.errors.map((e: { message: string }) => e.message), res.body.payment.declineMessage].join(' | ');
    expect(english(said)).toEqual([]);
  });

  it('the agreement, the E-SIGN statement and the dispute confirmation are in Spanish; the agreement\'s language is recorded with its signature', async () => {
    const a = accounts[2]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const method = await addCard(api, debtor);
    const preview = await api.request('/pay/payments/preview', { token: debtor, headers: es, body: { lang: 'es', amountCents: 1500, paymentMethodId: method } });
    expect(english(preview.body.agreement.text)).toEqual([]);
    const esign = await api.request('/pay/esign', { token: debtor, headers: es });
    expect(esign.body.statement.title).toBe(CATALOGUES.es.documents.esignTitle);
    expect(english(`${esign.body.statement.title}\n${esign.body.statement.text}`)).toEqual([]);
    const enEsign = await api.request('/pay/esign', { token: debtor });
    expect(esign.body.statement.hash).not.toBe(enEsign.body.statement.hash);
    // consent to the Spanish text records the Spanish text's hash
    const consent = await api.request('/pay/esign/consent', { token: debtor, headers: es, body: { statementVersion: esign.body.statement.version, agree: true, channels: { email: true, sms: false }, email: 'pat@mail.example' } });
    expect(consent.status).toBe(201);
    expect((await api.db('esign_consents').where({ accountId: a.id }).orderBy('id', 'desc').first('statement_hash')).statementHash).toBe(esign.body.statement.hash);
    const paid = await api.request('/pay/payments', { token: debtor, headers: es, body: { lang: 'es', amountCents: 1500, paymentMethodId: method, email: 'pat@mail.example', agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(paid.status).toBe(201);
    expect(await api.db('payment_agreements').where({ accountId: a.id }).orderBy('id', 'desc').first('lang')).toEqual({ lang: 'es' });
    // the debtor's choice is recorded: their messages follow it
    expect(await api.db('account_parties').where({ accountId: a.id, role: 'responsible' }).first('language')).toEqual({ language: 'es' });
    const dispute = await api.request('/pay/disputes', { token: debtor, headers: es, body: { kind: 'dispute', scope: 'all', reasonCode: 'already_paid' } });
    expect(dispute.status).toBe(201);
    expect(dispute.body.confirmation.message).toBe(CATALOGUES.es.problems.disputeReceived);
  });

  it('emails and texts go in the debtor\'s language: receipt, payment link by email and by text (and the page it opens), dispute confirmation', async () => {
    const [b, c] = [accounts[2]!, accounts[3]!];
    // b chose Spanish above: its receipt and dispute confirmation are Spanish, and a new link defaults to Spanish
    const link = await api.request(`/agency/accounts/${b.publicId}/payment-links`, { token: agency, body: { send: 'email' } });
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/\/pay\?lang=es#link=/);
    expect(await api.db('payment_links').where({ publicId: link.body.id }).first('language')).toEqual({ language: 'es' });
    // c never chose: the agency asks for Spanish explicitly, by text
    await api.db('account_parties').where({ accountId: c.id, role: 'responsible' }).update({ phones: JSON.stringify([{ type: 'mobile', number: '5035550123' }]) });
    const sms = await api.request(`/agency/accounts/${c.publicId}/payment-links`, { token: agency, body: { send: 'sms', lang: 'es' } });
    expect(sms.status).toBe(201);
    const rows = (await api.db('outbox').whereIn('accountId', [b.id, c.id]).select('category', 'subject', 'bodyText')) as { category: string; subject: string | null; bodyText: string }[];
    const categories = rows.map((r) => r.category).sort();
    expect(categories).toEqual(expect.arrayContaining(['pay.receipt', 'pay.link', 'dispute_confirmation']));
    for (const r of rows) expect(english(`${r.subject ?? ''}\n${r.bodyText}`), r.category).toEqual([]);
    const receipt = rows.find((r) => r.category === 'pay.receipt')!;
    expect(receipt.bodyText).toContain('Gracias');
    expect(receipt.bodyText).toContain('$15.00');
  });
});
