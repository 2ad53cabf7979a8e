import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';
import { createUser } from '../../api/users/users.service.js';
import { deliverOutbox } from '../../api/platform/outbox.js';
import { sha256Hex } from '../../api/platform/crypto.js';

const PASSWORD = 'Reset-Test-Pass-2026!';
const NEW_PASSWORD = 'Brand-New-Secret-77';

describe.each(DIALECTS)('password reset (%s)', (dialect) => {
  let api: TestApi;
  let smtp: SmtpPeer;
  beforeAll(async () => {
    smtp = await startSmtpPeer();
    api = await startTestApi(dialect, { accounts: 10, config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    await api.close();
    await smtp.close();
  });

  const newUser = (username: string, email: string) =>
    api.db.transaction((trx) =>
      createUser(trx, { username, email, firstName: 'Robin', lastName: 'Reset', roleKey: 'client_manager', clientCodes: ['CPL'], password: PASSWORD, onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );

  /** delivers the outbox to the SMTP peer and returns the mails that arrived for `to` */
  async function mailsTo(to: string) {
    const before = smtp.messages.length;
    const { sent } = await deliverOutbox({ db: api.db, config: api.config });
    await smtp.waitFor(before + sent);
    return smtp.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === to);
  }
  const tokenFrom = (text: string) => decodeURIComponent(/#reset-password=([^\s]+)/.exec(text)![1]!);
  const forgot = (email: string) => api.request('/auth/forgot-password', { body: { email } });

  it('mails a single-use link (stored hashed); the reset ends every session and the old password', async () => {
    await newUser('reset.one', 'robin.one@example.test');
    const oldToken = await api.login('reset.one', PASSWORD);
    const res = await forgot('Robin.One@Example.test');
    expect(res.status).toBe(202);
    expect(res.body.message).toMatch(/If this address belongs to a portal user/);
    const [mail] = await mailsTo('robin.one@example.test');
    expect(mail!.subject).toBe('Reset your portal password');
    expect(mail!.text).toContain('username reset.one');
    expect(mail!.text).toContain('(503) 555-0100');
    const token = tokenFrom(mail!.text!);
    expect(token.length).toBeGreaterThanOrEqual(40);
    // only the hash is stored
    const row = await api.db('password_resets').orderBy('id', 'desc').first();
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);

    // a password that breaks the policy is refused and the link stays usable
    const weak = await api.request('/auth/reset-password', { body: { token, newPassword: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('password_policy');
    const reused = await api.request('/auth/reset-password', { body: { token, newPassword: PASSWORD } });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].code).toBe('password_reused');

    const ok = await api.request('/auth/reset-password', { body: { token, newPassword: NEW_PASSWORD } });
    expect(ok.status).toBe(204);
    expect((await api.request('/me', { token: oldToken })).status).toBe(401);
    expect((await api.request('/auth/login', { body: { username: 'reset.one', password: PASSWORD } })).status).toBe(401);
    await api.db('login_throttle').delete();
    expect((await api.request('/auth/login', { body: { username: 'reset.one', password: NEW_PASSWORD } })).status).toBe(200);
    const again = await api.request('/auth/reset-password', { body: { token, newPassword: 'Another-Secret-2026' } });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('reset_token_invalid');
    const audit = await api.db('audit_log').where({ action: 'auth.password_reset' }).first();
    expect(JSON.parse(audit.afterJson)).toEqual({ sessionsEnded: 1 });
  });

  it('answers an unknown address exactly like a known one, in about the same time, and sends nothing', async () => {
    await newUser('reset.timing', 'robin.timing@example.test');
    const outboxBefore = Number((await api.db('outbox').count({ n: '*' }))[0]!.n);
    const time = async (email: string) => {
      const t = performance.now();
      const r = await forgot(email);
      return { r, ms: performance.now() - t };
    };
    const unknown = await time('nobody@nowhere.example');
    const known = await time('robin.timing@example.test');
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(unknown.r.status).toBe(known.r.status);
    expect(unknown.r.body).toEqual(known.r.body);
    expect(strip(unknown.r.body)).toEqual(strip(known.r.body));
    for (const t of [unknown.ms, known.ms]) expect(t).toBeGreaterThanOrEqual(245);
    expect(Math.abs(unknown.ms - known.ms)).toBeLessThan(150);
    const outbox = await api.db('outbox').select('recipient');
    expect(outbox.length).toBe(outboxBefore + 1);
    expect(outbox.map((o: { recipient: string }) => o.recipient)).not.toContain('nobody@nowhere.example');
  });

  it('an address shared by several usernames gets no link: the mail says to contact client support', async () => {
    await newUser('reset.shared1', 'shared.desk@example.test');
    await newUser('reset.shared2', 'shared.desk@example.test');
    const res = await forgot('shared.desk@example.test');
    expect(res.status).toBe(202);
    expect(res.body.message).toMatch(/If this address belongs to a portal user/);
    const [mail] = await mailsTo('shared.desk@example.test');
    expect(mail!.text).toContain('more than one username');
    expect(mail!.text).toContain('clientsupport@northwind-recovery.example');
    expect(mail!.text).not.toContain('#reset-password=');
    const users = await api.db('users').whereIn('username', ['reset.shared1', 'reset.shared2']).pluck('id');
    expect(await api.db('password_resets').whereIn('user_id', users).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(0);
  });

  it('only the newest link works, links expire, and a disabled user gets none', async () => {
    await newUser('reset.many', 'robin.many@example.test');
    await forgot('robin.many@example.test');
    await forgot('robin.many@example.test');
    const mails = await mailsTo('robin.many@example.test');
    expect(mails).toHaveLength(2);
    const [first, second] = mails.map((m) => tokenFrom(m.text!));
    expect((await api.request('/auth/reset-password', { body: { token: first, newPassword: NEW_PASSWORD } })).body.code).toBe('reset_token_invalid');
    await api.db('password_resets').where({ tokenHash: sha256Hex(second!) }).update({ expiresAt: new Date(Date.now() - 1000) });
    expect((await api.request('/auth/reset-password', { body: { token: second, newPassword: NEW_PASSWORD } })).body.code).toBe('reset_token_invalid');
    // a third request in the hour still mails; a fourth is answered the same but sends nothing
    await forgot('robin.many@example.test');
    const fourth = await forgot('robin.many@example.test');
    expect(fourth.status).toBe(202);
    expect(await mailsTo('robin.many@example.test')).toHaveLength(3);

    await newUser('reset.disabled', 'robin.disabled@example.test');
    await api.db('users').where({ username: 'reset.disabled' }).update({ status: 'disabled' });
    expect((await forgot('robin.disabled@example.test')).status).toBe(202);
    expect(await mailsTo('robin.disabled@example.test')).toHaveLength(0);
  });

  it('forgot username: the agency\'s support phone, email and hours', async () => {
    const res = await api.request('/auth/forgot-username');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: '(503) 555-0100', email: 'clientsupport@northwind-recovery.example', hours: 'Mon–Fri 8 am–6 pm Pacific', message: 'For your username, contact client support.' });
  });

  it('the agency sets the support contact; clients cannot', async () => {
    const agency = await api.login('demo.agency');
    const client = await api.login('demo.client');
    const body = { phone: '(503) 555-0199', email: 'help@northwind-recovery.example', hours: 'Every day 7–7' };
    expect((await api.request('/auth/support-contact', { method: 'PUT', token: client, body })).status).toBe(403);
    expect((await api.request('/auth/support-contact', { method: 'PUT', token: agency, body: { ...body, email: 'nope' } })).status).toBe(400);
    const res = await api.request('/auth/support-contact', { method: 'PUT', token: agency, body });
    expect(res.status).toBe(200);
    expect((await api.request('/auth/forgot-username')).body).toMatchObject(body);
    expect(await api.db('audit_log').where({ action: 'settings.support_contact' }).first()).toBeTruthy();
    await api.request('/auth/support-contact', { method: 'PUT', token: agency, body: { phone: '(503) 555-0100', email: 'clientsupport@northwind-recovery.example', hours: 'Mon–Fri 8 am–6 pm Pacific' } });
  });

  it('rejects malformed input with a 400', async () => {
    expect((await forgot('not-an-email')).status).toBe(400);
    expect((await api.request('/auth/reset-password', { body: { token: 'x'.repeat(30) } })).status).toBe(400);
  });
});
