/**
 * A payment method has one name for the debtor: the pay form, the agreement and the emails all take
 * it from i18n/lang.ts (brandName). Before, the API kept its own card-only list and printed any other
 * code as it came from the gateway: a wallet payment's receipt said "Paid with: sandbox_wallet ending
 * 4242" while the form said "Sandbox Wallet •••• 4242", and a card network the sandbox never returns
 * (a real gateway's "diners", "jcb") went into the signed agreement as that code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderAgreement, type AgreementFacts } from '../../api/pay/agreement.js';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { linkSession, payableAccounts, type PayableAccount } from './pay-helpers.js';

const facts = (method: AgreementFacts['method'], lang: 'en' | 'es'): AgreementFacts => ({
  kind: 'one_time', agencyName: 'Acme Recovery', creditor: 'City Hospital', accountNumber: 'A-100', payerName: 'Pat Debtor', currency: 'USD',
  method, charges: [{ date: '2026-12-07', amountCents: 2500 }], lang,
});

describe('the agreement names a card network as it writes its name, in either language', () => {
  it.each([
    ['diners', 'en', 'to my Diners Club card ending in 0004 on'],
    ['jcb', 'es', 'a mi tarjeta JCB terminada en 0004 el'],
    // a code no table knows is read as words, not as a key
    ['cartes_bancaires', 'en', 'to my Cartes bancaires card ending in 0004 on'],
  ] as const)('%s (%s)', (brand, lang, words) => {
    const text = renderAgreement(facts({ kind: 'card', brand, last4: '0004' }, lang)).text;
    expect(text).toContain(words);
    expect(text).not.toContain(brand);
  });
});

describe.each(DIALECTS)('a wallet payment in the agreement and the receipt (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 40 });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 2);
  });
  afterAll(() => api.close());

  /** Pays $12.34 with the sandbox wallet in `lang`; returns the agreement signed and the receipt email's text. */
  async function payByWallet(a: PayableAccount, lang: 'en' | 'es'): Promise<{ agreement: string; receipt: string }> {
    const debtor = await linkSession(api, agency, a.publicId);
    const wallet = await api.request('/pay/methods', { token: debtor, body: { kind: 'wallet', walletToken: 'sandbox-wallet-approve' } });
    expect(wallet.body).toMatchObject({ kind: 'wallet', brand: 'sandbox_wallet', last4: '4242' });
    const body = { lang, amountCents: 1234, paymentMethodId: wallet.body.id, email: `wallet.${lang}@mail.example` };
    const preview = await api.request('/pay/payments/preview', { token: debtor, body });
    expect(preview.status).toBe(200);
    const paid = await api.request('/pay/payments', { token: debtor, body: { ...body, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(paid.status).toBe(201);
    const row = (await api.db('outbox').where({ accountId: a.id, category: 'pay.receipt' }).first('bodyText', 'bodyHtml')) as { bodyText: string; bodyHtml: string };
    expect(row.bodyHtml).not.toContain('sandbox_wallet');
    return { agreement: preview.body.agreement.text as string, receipt: row.bodyText };
  }

  it('English: "my wallet ending in 4242" in the agreement, "Paid with: Sandbox Wallet ending 4242" in the receipt, as on the form', async () => {
    const { agreement, receipt } = await payByWallet(accounts[0]!, 'en');
    expect(agreement).toContain('charge $12.34 to my wallet ending in 4242 on');
    expect(receipt).toContain('Paid with: Sandbox Wallet ending 4242');
    expect(`${agreement}\n${receipt}`).not.toContain('sandbox_wallet');
    // the account's timeline, read by the client and the agency, names it the same way (in English: staff text)
    const timeline = (await api.db('activity').where({ accountId: accounts[0]!.id, type: 'payment' }).pluck('body')) as string[];
    expect(timeline.join('\n')).toContain('(Sandbox Wallet ending 4242)');
    expect(timeline.join('\n')).not.toContain('sandbox_wallet');
  });

  it('Spanish: "mi billetera terminada en 4242" in the agreement, "Pagado con: Billetera Sandbox terminada en 4242" in the receipt', async () => {
    const { agreement, receipt } = await payByWallet(accounts[1]!, 'es');
    expect(agreement).toContain('cobrar $12.34 a mi billetera terminada en 4242 el');
    expect(receipt).toContain('Pagado con: Billetera Sandbox terminada en 4242');
    expect(`${agreement}\n${receipt}`).not.toContain('sandbox_wallet');
  });
});
