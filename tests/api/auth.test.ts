import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { createUser } from '../../api/users/users.service.js';

describe.each(DIALECTS)('auth (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 50 });
  });
  afterAll(() => api.close());

  it('signs in with username and password and returns tokens and the user', async () => {
    const res = await api.request('/auth/login', { body: { username: 'demo.group', password: 'Brigid-Group-2026!' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { id: ID('usr'), username: 'demo.group', kind: 'client', onboarding: { required: false } },
    });
    expect(res.body.user.clients.map((c: { name: string }) => c.name)).toEqual(['Lakeside Family Clinic', 'St. Brigid Regional Hospital']);
    expect(res.body.accessToken.split('.')).toHaveLength(3);
    expect(res.body.refreshToken.length).toBeGreaterThanOrEqual(40);
    const audit = await api.db('audit_log').where({ action: 'auth.login' }).select();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('answers an unknown user and a wrong password identically, and audits both', async () => {
    const unknown = await api.request('/auth/login', { body: { username: 'nobody.here', password: 'whatever-Password1' } });
    const wrong = await api.request('/auth/login', { body: { username: 'demo.client', password: 'whatever-Password1' } });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(unknown.body.detail).toBe('The username or password is incorrect.');
    const failures = await api.db('audit_log').where({ action: 'auth.login_failed' }).count({ n: '*' });
    expect(Number(failures[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('locks a username after 5 failures, known or not, with Retry-After', async () => {
    for (const username of ['demo.agency', 'ghost.user']) {
      for (let i = 0; i < 5; i++) {
        const r = await api.request('/auth/login', { body: { username, password: `bad-password-${i}` } });
        expect(r.status).toBe(401);
      }
      const locked = await api.request('/auth/login', { body: { username, password: 'Northwind-Admin-2026!' } });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await api.db('login_throttle').delete();
    expect((await api.request('/auth/login', { body: { username: 'demo.agency', password: 'Northwind-Admin-2026!' } })).status).toBe(200);
  });

  it('rotates refresh tokens; a replayed refresh token ends the session (after the grace window: refresh-race.test.ts)', async () => {
    const first = await api.request('/auth/login', { body: { username: 'demo.client', password: 'Cascade-Demo-2026!' } });
    const second = await api.request('/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    expect((await api.request('/me', { token: second.body.accessToken })).status).toBe(200);
    // as if the grace window (two tabs refreshing at once) had passed
    await api.db('sessions').whereNotNull('refresh_rotated_at').update({ refreshRotatedAt: new Date(Date.now() - 60_000) });
    const replay = await api.request('/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(replay.status).toBe(401);
    // the whole session is gone: the newest access token and refresh token no longer work
    expect((await api.request('/me', { token: second.body.accessToken })).status).toBe(401);
    expect((await api.request('/auth/refresh', { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
  });

  it('logs out: the access token stops working at once', async () => {
    const token = await api.login('demo.client');
    expect((await api.request('/auth/logout', { method: 'POST', token })).status).toBe(204);
    const after = await api.request('/accounts', { token });
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rejects a tampered or foreign token', async () => {
    const token = await api.login('demo.client');
    const [h, p] = token.split('.');
    expect((await api.request('/me', { token: `${h}.${p}.AAAA` })).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    expect((await api.request('/me', { token: none })).status).toBe(401);
  });

  it('forces profile confirmation and a password change on first login', async () => {
    await api.db.transaction((trx) =>
      createUser(trx, { username: 'new.clerk', email: 'new.clerk@cascadepower.example', firstName: 'New', lastName: 'Clerk', roleKey: 'client_manager', clientCodes: ['CPL'], password: 'Issued-Pass-1234' }, api.config.scryptCost, { type: 'system' }),
    );
    const login = await api.request('/auth/login', { body: { username: 'new.clerk', password: 'Issued-Pass-1234' } });
    expect(login.body.user.onboarding).toEqual({ required: true, profileConfirmed: false, passwordChangeRequired: true, mfaEnrolmentRequired: false });
    const token = login.body.accessToken;
    const blocked = await api.request('/accounts', { token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.code).toBe('onboarding_required');

    const policy = await api.request('/auth/password-policy');
    expect(policy.body.rules[0]).toBe('At least 12 characters.');

    const weak = await api.request('/auth/password', { token, body: { currentPassword: 'Issued-Pass-1234', newPassword: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((e: { path: string }) => e.path)).toContain('newPassword');
    const reused = await api.request('/auth/password', { token, body: { currentPassword: 'Issued-Pass-1234', newPassword: 'Issued-Pass-1234' } });
    expect(reused.body.errors[0].code).toBe('password_reused');
    const wrongCurrent = await api.request('/auth/password', { token, body: { currentPassword: 'nope', newPassword: 'Brand-New-Secret-99' } });
    expect(wrongCurrent.body.errors[0].path).toBe('currentPassword');
    expect((await api.request('/auth/password', { token, body: { currentPassword: 'Issued-Pass-1234', newPassword: 'Brand-New-Secret-99' } })).status).toBe(204);
    expect((await api.request('/accounts', { token })).status).toBe(403);

    const confirmed = await api.request('/me', { method: 'PATCH', token, body: { firstName: 'Newton', confirmProfile: true } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ firstName: 'Newton', onboarding: { required: false } });
    expect((await api.request('/accounts', { token })).status).toBe(200);
    const audit = await api.db('audit_log').whereIn('action', ['auth.password_change', 'user.profile_update']).select('action', 'before_json', 'after_json');
    expect(audit.map((a) => a.action).sort()).toEqual(['auth.password_change', 'user.profile_update']);
    const profileRow = audit.find((a) => a.action === 'user.profile_update')!;
    expect(JSON.parse(profileRow.beforeJson).firstName).toBe('New');
    expect(JSON.parse(profileRow.afterJson).firstName).toBe('Newton');
    expect((await api.request('/auth/login', { body: { username: 'new.clerk', password: 'Brand-New-Secret-99' } })).status).toBe(200);
  });

  it('edits my info; a taken username is a 409', async () => {
    const token = await api.login('demo.group');
    const taken = await api.request('/me', { method: 'PATCH', token, body: { username: 'demo.client' } });
    expect(taken.status).toBe(409);
    const bad = await api.request('/me', { method: 'PATCH', token, body: { email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('email');
  });
});
