/**
 * Issue 17, items 6 and 12: an access token alone must not be enough to take an account over.
 * - PATCH me {email} needs the current password (or a fresh authenticator code), and the old address is told;
 * - a password change ends the user's other sessions (a reset already ended all of them);
 * - wrong current passwords count toward the sign-in lock;
 * - POST users/{own id}/reset-mfa is refused (auth/mfa/disable, which asks for the password, is the way).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { createUser } from '../../api/users/users.service.js';
import { totpCode } from '../../api/platform/auth/totp.js';
import { THROTTLE } from '../../api/auth/auth.service.js';

const PASSWORD = 'Takeover-Test-Pass-2026!';

describe.each(DIALECTS)('account takeover chain (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5 });
  });
  afterAll(() => api.close());

  async function newUser(username: string, roleKey = 'client_manager') {
    await api.db.transaction((trx) =>
      createUser(trx, { username, email: `${username}@example.test`, firstName: 'Test', lastName: 'User', roleKey, clientCodes: roleKey === 'agency_admin' ? [] : ['CPL'], password: PASSWORD, onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );
    return signIn(username);
  }
  async function signIn(username: string) {
    const res = await api.request('/auth/login', { body: { username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body as { accessToken: string; refreshToken: string; user: { id: string } };
  }
  const emailOf = async (username: string) => ((await api.db('users').where({ username }).first('email')) as { email: string }).email;

  it('changing the email needs the current password; the old address is told', async () => {
    const { accessToken: token } = await newUser('take.email');
    const bare = await api.request('/me', { method: 'PATCH', token, body: { email: 'attacker@evil.test' } });
    expect(bare.status).toBe(400);
    expect(bare.body).toMatchObject({ code: 'reauthentication_required', errors: [{ path: 'currentPassword', code: 'required' }] });
    const wrong = await api.request('/me', { method: 'PATCH', token, body: { email: 'attacker@evil.test', currentPassword: 'not-it' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'currentPassword', code: 'incorrect', message: 'The current password is incorrect.' }]);
    expect(await emailOf('take.email')).toBe('take.email@example.test');
    expect(await api.db('audit_log').where({ action: 'user.email_change_failed' }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);

    // other fields, and the same address again, need no password
    const name = await api.request('/me', { method: 'PATCH', token, body: { firstName: 'Renamed', email: 'Take.Email@example.test' } });
    expect(name.status).toBe(200);
    expect(await api.db('outbox').where({ category: 'auth.email_changed' })).toEqual([]);

    const ok = await api.request('/me', { method: 'PATCH', token, body: { email: 'new.home@example.test', currentPassword: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.email).toBe('new.home@example.test');
    const notices = await api.db('outbox').where({ category: 'auth.email_changed' });
    expect(notices).toHaveLength(1);
    expect(notices[0].recipient).toBe('take.email@example.test');
    expect(notices[0].bodyText).toContain('n***@example.test');
    expect(notices[0].bodyText).not.toContain('new.home@example.test');
  });

  it('a fresh authenticator code can stand in for the password, once', async () => {
    const { accessToken: token } = await newUser('take.mfa');
    const start = await api.request('/auth/mfa/enrol', { method: 'POST', token });
    const first = totpCode(start.body.secret, new Date());
    expect((await api.request('/auth/mfa/enrol/confirm', { token, body: { code: first } })).status).toBe(200);
    // the code used to confirm is spent: it cannot change the email
    const reused = await api.request('/me', { method: 'PATCH', token, body: { email: 'mfa.new@example.test', mfaCode: first } });
    expect(reused.status).toBe(400);
    const next = totpCode(start.body.secret, new Date(Date.now() + 30_000));
    const ok = await api.request('/me', { method: 'PATCH', token, body: { email: 'mfa.new@example.test', mfaCode: next } });
    expect(ok.status, ok.text).toBe(200);
    expect(await emailOf('take.mfa')).toBe('mfa.new@example.test');
  });

  it('wrong current passwords (email change, password change, MFA off) count toward the sign-in lock', async () => {
    const { accessToken: token } = await newUser('take.guess');
    const statuses: number[] = [];
    for (let i = 0; i < THROTTLE.maxFailures; i++) {
      const [path, body] = i % 3 === 0
        ? ['/me', { email: 'x@evil.test', currentPassword: `guess-${i}` }]
        : i % 3 === 1 ? ['/auth/password', { currentPassword: `guess-${i}`, newPassword: 'Brand-New-Secret-2026!' }] : ['/auth/mfa/disable', { password: `guess-${i}` }];
      statuses.push((await api.request(path, { method: path === '/me' ? 'PATCH' : 'POST', token, body })).status);
    }
    expect(statuses).toEqual(Array(THROTTLE.maxFailures).fill(400));
    // the name is locked: the right password is refused too, here and at sign-in
    const locked = await api.request('/auth/password', { token, body: { currentPassword: PASSWORD, newPassword: 'Brand-New-Secret-2026!' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.request('/auth/login', { body: { username: 'take.guess', password: PASSWORD } })).status).toBe(429);
  });

  it('a password change ends the other sessions and keeps this one', async () => {
    await newUser('take.sessions');
    const here = await signIn('take.sessions');
    const there = await signIn('take.sessions');
    const changed = await api.request('/auth/password', { token: here.accessToken, body: { currentPassword: PASSWORD, newPassword: 'Brand-New-Secret-2026!' } });
    expect(changed.status).toBe(204);
    expect((await api.request('/me', { token: there.accessToken })).status).toBe(401);
    expect((await api.request('/auth/refresh', { body: { refreshToken: there.refreshToken } })).status).toBe(401);
    expect((await api.request('/me', { token: here.accessToken })).status).toBe(200);
    expect((await api.request('/auth/refresh', { body: { refreshToken: here.refreshToken } })).status).toBe(200);
    const audit = await api.db('audit_log').where({ action: 'auth.password_change' }).orderBy('id', 'desc').first('after_json');
    expect(JSON.parse(audit.afterJson)).toEqual({ otherSessionsEnded: 2 });
  });

  it('an administrator cannot reset their own authenticator through users/{id}/reset-mfa', async () => {
    const admin = await newUser('take.admin', 'agency_admin');
    const start = await api.request('/auth/mfa/enrol', { method: 'POST', token: admin.accessToken });
    expect((await api.request('/auth/mfa/enrol/confirm', { token: admin.accessToken, body: { code: totpCode(start.body.secret, new Date()) } })).status).toBe(200);
    const self = await api.request(`/users/${admin.user.id}/reset-mfa`, { method: 'POST', token: admin.accessToken });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe('cannot_change_self');
    expect((await api.request('/auth/mfa', { token: admin.accessToken })).body.enabled).toBe(true);
    // someone else's (lost phone) still works
    const other = await newUser('take.lostphone');
    const s2 = await api.request('/auth/mfa/enrol', { method: 'POST', token: other.accessToken });
    await api.request('/auth/mfa/enrol/confirm', { token: other.accessToken, body: { code: totpCode(s2.body.secret, new Date()) } });
    expect((await api.request(`/users/${other.user.id}/reset-mfa`, { method: 'POST', token: admin.accessToken })).status).toBe(200);
  });
});
