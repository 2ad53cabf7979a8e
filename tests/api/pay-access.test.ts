/** F-PAY 1: finding the account — personalised links and the identity check, and the debtor session's reach. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { sha256Hex } from '../../api/platform/crypto.js';
import { linkSession, payableAccounts, type PayableAccount } from './pay-helpers.js';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app.js';

describe.each(DIALECTS)('debtor access (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let accounts: PayableAccount[];
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    agency = await api.login('demo.agency');
    accounts = await payableAccounts(api, 4);
  });
  afterAll(() => api.close());

  it('an agency user creates a link; only its hash is stored; the link opens a session for that one account', async () => {
    const a = accounts[0]!;
    const link = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: agency, body: { expiresInDays: 7 } });
    expect(link.status).toBe(201);
    expect(link.body).toEqual({ id: ID('plink'), url: expect.stringContaining(link.body.token), token: expect.any(String), expiresAt: ISO_DATETIME, account: { id: a.publicId }, sentTo: null });
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const row = await api.db('payment_links').where({ publicId: link.body.id }).first();
    expect(row.tokenHash).toBe(sha256Hex(link.body.token));
    expect(JSON.stringify(row)).not.toContain(link.body.token);
    const audit = await api.db('audit_log').where({ action: 'payment_link.created', targetId: a.publicId }).first();
    expect(audit.afterJson).not.toContain(link.body.token);

    const session = await api.request('/pay/session/link', { body: { linkToken: link.body.token } });
    expect(session.status).toBe(201);
    expect(session.body).toEqual({ token: expect.any(String), expiresAt: ISO_DATETIME, account: { id: a.publicId } });
    const account = await api.request('/pay/account', { token: session.body.token });
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ id: a.publicId, agencyAccountNumber: a.agencyAccountNumber, balance: { amountCents: a.balanceCents, currency: 'USD' }, payable: { amountCents: a.balanceCents } });
    // contact details are masked for a link holder
    for (const e of account.body.contact.emails) expect(e).toMatch(/^.\*+@/);
    expect((await api.db('payment_links').where({ publicId: link.body.id }).first()).useCount).toBe(1);
    // links point at the agency's own pay page when it is set; the token rides in the fragment
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { payPageUrl: 'https://northwind.example/pay' } });
    const own = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: agency, body: {} });
    expect(own.body.url).toBe(`https://northwind.example/pay#link=${own.body.token}`);
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { payPageUrl: '' } });
  });

  it('expired, revoked and unknown links are refused alike', async () => {
    const a = accounts[1]!;
    const link = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: agency, body: {} });
    await api.db('payment_links').where({ publicId: link.body.id }).update({ expiresAt: new Date(Date.now() - 1000) });
    const expired = await api.request('/pay/session/link', { body: { linkToken: link.body.token } });
    expect(expired.status).toBe(404);
    expect(expired.body.code).toBe('payment_link_invalid');
    const unknown = await api.request('/pay/session/link', { body: { linkToken: 'x'.repeat(43) } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('payment_link_invalid');
    const link2 = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: agency, body: {} });
    await api.db('payment_links').where({ publicId: link2.body.id }).update({ revokedAt: new Date() });
    expect((await api.request('/pay/session/link', { body: { linkToken: link2.body.token } })).status).toBe(404);
  });

  it('creating links needs payments.links and the account in the caller\'s scope', async () => {
    const a = accounts[0]!;
    const client = await api.login('demo.client');
    const denied = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: client, body: {} });
    expect(denied.status).toBe(403);
    expect((await api.request(`/agency/accounts/acct_${'0'.repeat(26)}/payment-links`, { token: agency, body: {} })).status).toBe(404);
    expect((await api.request(`/agency/accounts/${a.publicId}/payment-links`, { body: {} })).status).toBe(401);
    const bad = await api.request(`/agency/accounts/${a.publicId}/payment-links`, { token: agency, body: { expiresInDays: 0 } });
    expect(bad.status).toBe(400);
    const paid = await api.db('accounts').where({ status: 'paid' }).first('public_id');
    const notPayable = await api.request(`/agency/accounts/${paid.publicId}/payment-links`, { token: agency, body: {} });
    expect(notPayable.status).toBe(409);
    expect(notPayable.body.code).toBe('account_not_payable');
  });

  it('a debtor session is not a portal session and the other way round', async () => {
    const debtor = await linkSession(api, agency, accounts[0]!.publicId);
    expect((await api.request('/accounts', { token: debtor })).status).toBe(401);
    const portal = await api.request('/pay/account', { token: agency });
    expect(portal.status).toBe(401);
    expect(portal.body.code).toBe('debtor_session_required');
    expect((await api.request('/pay/account')).status).toBe(401);
  });

  it('account number + DOB + ZIP opens a session; SSN last 4 + DOB + ZIP too', async () => {
    const a = accounts[2]!;
    const byNumber = await api.request('/pay/session/identity', { body: { accountNumber: a.agencyAccountNumber.toLowerCase(), dob: a.dob, zip: a.zip.slice(0, 5) } });
    expect(byNumber.status).toBe(201);
    expect(byNumber.body.sessions).toEqual([{ token: expect.any(String), expiresAt: ISO_DATETIME, account: { id: a.publicId, creditor: expect.any(String), agencyAccountNumber: a.agencyAccountNumber } }]);
    const me = await api.request('/pay/account', { token: byNumber.body.sessions[0].token });
    expect(me.body.id).toBe(a.publicId);
    const bySsn = await api.request('/pay/session/identity', { body: { ssnLast4: a.ssnLast4, dob: a.dob, zip: a.zip.slice(0, 5) } });
    expect(bySsn.status).toBe(201);
    expect(bySsn.body.sessions.map((s: { account: { id: string } }) => s.account.id)).toContain(a.publicId);
    const audit = await api.db('audit_log').where({ action: 'debtor.session_opened', targetId: a.publicId }).select();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('a wrong DOB is a 404 that does not say which part was wrong; five failures lock the identifier out for that IP', async () => {
    const a = accounts[3]!;
    const wrong = { accountNumber: a.agencyAccountNumber, dob: '1901-01-01', zip: a.zip.slice(0, 5) };
    const first = await api.request('/pay/session/identity', { body: wrong });
    expect(first.status).toBe(404);
    expect(first.body.code).toBe('identity_not_matched');
    const unknown = await api.request('/pay/session/identity', { body: { ...wrong, accountNumber: 'NR0000000' } });
    expect(unknown.body.code).toBe('identity_not_matched');
    for (let i = 0; i < 4; i++) await api.request('/pay/session/identity', { body: wrong });
    const locked = await api.request('/pay/session/identity', { body: { ...wrong, dob: a.dob } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
    const failures = await api.db('audit_log').where({ action: 'debtor.identity_failed' }).count({ n: '*' }).first();
    expect(Number(failures!.n)).toBeGreaterThanOrEqual(5);
    await api.db('pay_throttle').delete();
    const ok = await api.request('/pay/session/identity', { body: { ...wrong, dob: a.dob } });
    expect(ok.status).toBe(201);
  });

  it('rejects malformed identity input with field errors', async () => {
    const res = await api.request('/pay/session/identity', { body: { accountNumber: 'NR1', ssnLast4: '1234', dob: 'yesterday', zip: '9' } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['dob', 'zip']));
    const neither = await api.request('/pay/session/identity', { body: { dob: '1980-01-01', zip: '97201' } });
    expect(neither.status).toBe(400);
  });

  it('serves the card frame from the API origin with a strict CSP', async () => {
    const res = await fetch(`${api.url}/api/v1/pay/frame`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('autocomplete="cc-number"');
    expect(html).toContain("d.type !== 'ck-pay-init'");
  });

  it('with CORS_ORIGINS set (production), the frame may still be framed by the portal itself and accepts its init', async () => {
    const agencyOrigin = 'https://www.northwind-recovery.example';
    const server = createApp({ db: api.db, config: { ...api.config, corsOrigins: [agencyOrigin] } }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/pay/frame`);
      const csp = res.headers.get('Content-Security-Policy')!;
      expect(csp).toContain(`frame-ancestors 'self' ${agencyOrigin}`);
      // the init from the portal's own pay page is accepted (same origin as the frame)
      expect(await res.text()).toContain('ev.origin !== location.origin');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('production serves the debtor pay page at /pay (no --demo): brandable, ck-pay-form, both languages; links default to it', async () => {
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { payPageUrl: '', agencyName: 'Acme Recovery', brandColor: '#0a7d33', supportLine: 'Call 1-800-555-0100, 8 am to 6 pm.' } });
    const res = await fetch(`${api.url}/pay`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    // one language switch: the page's; the form shows none of its own
    expect(html).toContain('<ck-pay-form lang="en" no-lang-switch>');
    expect([...html.matchAll(/>Español</g)]).toHaveLength(1);
    expect(html).toContain('src="/widgets/collectkit.js"');
    expect(html).toContain('<header>Acme Recovery</header>');
    expect(html).toContain('--ck-color-primary:#0a7d33');
    expect(html).toContain('Call 1-800-555-0100, 8 am to 6 pm.');
    // no script the CSP would block: only external module scripts and a JSON block
    expect([...html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/g)]).toEqual([]);
    const es = await (await fetch(`${api.url}/pay?lang=es`)).text();
    expect(es).toContain('<html lang="es">');
    expect(es).toContain('<ck-pay-form lang="es" no-lang-switch>');
    expect(es).toContain('Pague su factura en línea');
    expect(es).toMatch(/id="lang-switch"[^>]*>English</);
    const js = await fetch(`${api.url}/pay/page.js`);
    expect(js.headers.get('Content-Type')).toContain('javascript');
    const link = await api.request(`/agency/accounts/${accounts[2]!.publicId}/payment-links`, { token: agency, body: {} });
    expect(link.body.url).toBe(`${api.config.publicUrl}/pay#link=${link.body.token}`);
    await api.request('/agency/pay-settings', { method: 'PUT', token: agency, body: { agencyName: 'Northwind Recovery' } });
  });

  it('the contact-review step adds an email and mobile, masked back, with activity, audit and an inbox task', async () => {
    const a = accounts[1]!;
    const debtor = await linkSession(api, agency, a.publicId);
    const res = await api.request('/pay/contact', { token: debtor, body: { email: 'New.Address@mail.example', mobile: '(503) 555-0199' } });
    expect(res.status).toBe(200);
    expect(res.body.emails[0]).toBe('n******@mail.example');
    expect(res.body.phones[0]).toEqual({ type: 'mobile', number: '•••-•••-0199' });
    const party = await api.db('account_parties').where({ accountId: a.id, role: 'responsible' }).first();
    expect(JSON.parse(party.emails)[0]).toBe('new.address@mail.example');
    expect(JSON.parse(party.phones)[0]).toEqual({ type: 'mobile', number: '5035550199' });
    expect(await api.db('tasks').where({ accountId: a.id, kind: 'contact_update', status: 'open' }).first()).toBeTruthy();
    expect(await api.db('audit_log').where({ action: 'debtor.contact_updated', targetId: a.publicId }).first()).toBeTruthy();
    // the same details again change nothing and open no second task
    await api.request('/pay/contact', { token: debtor, body: { email: 'new.address@mail.example' } });
    expect(Number((await api.db('tasks').where({ accountId: a.id, kind: 'contact_update' }).count({ n: '*' }).first())!.n)).toBe(1);
    expect((await api.request('/pay/contact', { token: debtor, body: { mobile: '12' } })).status).toBe(400);
    expect((await api.request('/pay/contact', { body: { email: 'x@mail.example' } })).status).toBe(401);
  });
});
