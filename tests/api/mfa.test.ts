import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { createUser } from '../../api/users/users.service.js';
import { totpCode } from '../../api/platform/auth/totp.js';

const PASSWORD = 'Mfa-Test-Pass-2026!';
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

describe.each(DIALECTS)('MFA (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
  });
  afterAll(() => api.close());

  async function newUser(username: string, roleKey = 'client_manager') {
    await api.db.transaction((trx) =>
      createUser(trx, { username, email: `${username}@example.test`, firstName: 'Test', lastName: 'User', roleKey, clientCodes: ['CPL'], password: PASSWORD, onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );
    const res = await api.request('/auth/login', { body: { username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  }

  /** enrols and confirms with the current code; returns the secret, the code used and the recovery codes */
  async function enrol(token: string) {
    const start = await api.request('/auth/mfa/enrol', { method: 'POST', token });
    expect(start.status).toBe(200);
    const code = totpCode(start.body.secret, new Date());
    const confirm = await api.request('/auth/mfa/enrol/confirm', { token, body: { code } });
    expect(confirm.status).toBe(200);
    return { secret: start.body.secret as string, code, recoveryCodes: confirm.body.recoveryCodes as string[] };
  }

  const loginStep1 = async (username: string) => {
    const res = await api.request('/auth/login', { body: { username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('enrols with a QR code, confirms with a first code and returns ten recovery codes once', async () => {
    const token = await newUser('mfa.enrol');
    expect((await api.request('/auth/mfa', { token })).body).toMatchObject({ enabled: false, pending: false, recoveryCodesRemaining: 0, requiredByRole: false });
    const start = await api.request('/auth/mfa/enrol', { method: 'POST', token });
    expect(start.status).toBe(200);
    expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/CollectKit:mfa\.enrol\?/);
    expect(start.body.otpauthUri).toContain(`secret=${start.body.secret}`);
    expect(start.body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // the secret is encrypted at rest
    const row = await api.db('user_mfa').join('users', 'users.id', 'user_mfa.user_id').where('users.username', 'mfa.enrol').first('user_mfa.secret_enc', 'user_mfa.confirmed_at');
    expect(row.secretEnc).not.toContain(start.body.secret);
    expect(row.confirmedAt).toBeNull();
    expect((await api.request('/auth/mfa', { token })).body).toMatchObject({ enabled: false, pending: true });

    const wrong = await api.request('/auth/mfa/enrol/confirm', { token, body: { code: '000000' === totpCode(start.body.secret, new Date()) ? '111111' : '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_code');
    const ok = await api.request('/auth/mfa/enrol/confirm', { token, body: { code: totpCode(start.body.secret, new Date()) } });
    expect(ok.status).toBe(200);
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    for (const c of ok.body.recoveryCodes) expect(c).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect((await api.request('/auth/mfa', { token })).body).toMatchObject({ enabled: true, pending: false, recoveryCodesRemaining: 10 });
    // recovery codes are stored hashed
    const stored = await api.db('mfa_recovery_codes').pluck('code_hash');
    expect(stored.some((h: string) => ok.body.recoveryCodes.some((c: string) => h.includes(c.replace('-', ''))))).toBe(false);
    expect(await api.db('audit_log').where({ action: 'auth.mfa_enabled' }).first()).toBeTruthy();
    // a second enrolment is refused while one is active
    expect((await api.request('/auth/mfa/enrol', { method: 'POST', token })).status).toBe(409);
  });

  it('login asks for a second step; a replayed code is refused; a fresh one gives a session once', async () => {
    const token = await newUser('mfa.login');
    const { secret, code } = await enrol(token);
    const sessionsBefore = await api.db('sessions').count({ n: '*' });
    const step1 = await loginStep1('mfa.login');
    expect(step1).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    expect(step1.accessToken).toBeUndefined();
    expect(step1.challengeToken.length).toBeGreaterThanOrEqual(40);
    expect((await api.db('sessions').count({ n: '*' }))[0]!.n).toBe(sessionsBefore[0]!.n);
    // the challenge token is not a session
    expect((await api.request('/me', { token: step1.challengeToken })).status).toBe(401);

    // the code used to confirm enrolment cannot be used again
    const replay = await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code } });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid_code');

    const next = totpCode(secret, later(30));
    const ok = await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: next } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.username).toBe('mfa.login');
    expect((await api.request('/me', { token: ok.body.accessToken })).status).toBe(200);
    const audit = await api.db('audit_log').where({ action: 'auth.login', targetId: ok.body.user.id }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.afterJson)).toEqual({ mfa: 'totp' });

    // the challenge is spent, and the same code on a new challenge is a replay
    expect((await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: next } })).body.code).toBe('mfa_challenge_expired');
    const again = await loginStep1('mfa.login');
    const replay2 = await api.request('/auth/mfa/verify', { body: { challengeToken: again.challengeToken, code: next } });
    expect(replay2.status).toBe(401);
    expect(replay2.body.code).toBe('invalid_code');
  });

  it('two concurrent verifications with the same code: exactly one session', async () => {
    const token = await newUser('mfa.race');
    const { secret } = await enrol(token);
    const [a, b] = [await loginStep1('mfa.race'), await loginStep1('mfa.race')];
    const code = totpCode(secret, later(30));
    const results = await Promise.all([a, b].map((c) => api.request('/auth/mfa/verify', { body: { challengeToken: c.challengeToken, code } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('a recovery code works once, in any case and spacing', async () => {
    const token = await newUser('mfa.recovery');
    const { recoveryCodes } = await enrol(token);
    const first = await loginStep1('mfa.recovery');
    const ok = await api.request('/auth/mfa/verify', { body: { challengeToken: first.challengeToken, recoveryCode: recoveryCodes[3]!.toLowerCase().replace('-', ' ') } });
    expect(ok.status).toBe(200);
    const second = await loginStep1('mfa.recovery');
    const reused = await api.request('/auth/mfa/verify', { body: { challengeToken: second.challengeToken, recoveryCode: recoveryCodes[3] } });
    expect(reused.status).toBe(401);
    expect((await api.request('/auth/mfa', { token: ok.body.accessToken })).body.recoveryCodesRemaining).toBe(9);
  });

  it('wrong codes are throttled with the username: a challenge dies after 5, then the name is locked', async () => {
    const token = await newUser('mfa.guess');
    const { secret } = await enrol(token);
    const step1 = await loginStep1('mfa.guess');
    const right = totpCode(secret, later(30));
    const wrongCode = right === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      const r = await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: wrongCode } });
      expect(r.status).toBe(401);
    }
    const locked = await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: right } });
    expect(locked.status).toBe(429);
    expect((await api.request('/auth/login', { body: { username: 'mfa.guess', password: PASSWORD } })).status).toBe(429);
    await api.db('login_throttle').delete();
    // the challenge itself is spent after 5 wrong codes
    expect((await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: right } })).body.code).toBe('mfa_challenge_expired');
    expect(await api.db('audit_log').where({ action: 'auth.mfa_failed' }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBeGreaterThanOrEqual(5);
  });

  it('an expired challenge is refused', async () => {
    const token = await newUser('mfa.expired');
    const { secret } = await enrol(token);
    const step1 = await loginStep1('mfa.expired');
    await api.db('mfa_challenges').update({ expiresAt: new Date(Date.now() - 1000) });
    const r = await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: totpCode(secret, later(30)) } });
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('mfa_challenge_expired');
  });

  it('a role that requires MFA holds its users in onboarding until they enrol, and they cannot turn it off', async () => {
    await api.db('roles').where({ key: 'client_viewer' }).update({ mfaRequired: true });
    try {
      const token = await newUser('mfa.required', 'client_viewer');
      const me = await api.request('/me', { token });
      expect(me.body.onboarding).toEqual({ required: true, profileConfirmed: true, passwordChangeRequired: false, mfaEnrolmentRequired: true });
      const blocked = await api.request('/accounts', { token });
      expect(blocked.status).toBe(403);
      expect(blocked.body.code).toBe('onboarding_required');
      expect((await api.request('/auth/mfa', { token })).body.requiredByRole).toBe(true);
      const { secret } = await enrol(token);
      expect((await api.request('/accounts', { token })).status).toBe(200);
      const off = await api.request('/auth/mfa/disable', { token, body: { password: PASSWORD } });
      expect(off.status).toBe(403);
      expect(off.body.code).toBe('mfa_required_by_role');
      // the next login needs the code
      const step1 = await loginStep1('mfa.required');
      expect(step1.mfaRequired).toBe(true);
      expect((await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, code: totpCode(secret, later(30)) } })).status).toBe(200);
    } finally {
      await api.db('roles').where({ key: 'client_viewer' }).update({ mfaRequired: false });
    }
  });

  it('turning MFA off needs the password; afterwards login gives a session at once', async () => {
    const token = await newUser('mfa.off');
    await enrol(token);
    const bad = await api.request('/auth/mfa/disable', { token, body: { password: 'not-my-password' } });
    expect(bad.status).toBe(400);
    expect((await api.request('/auth/mfa/disable', { token, body: { password: PASSWORD } })).status).toBe(204);
    const login = await loginStep1('mfa.off');
    expect(login.accessToken).toBeTruthy();
    expect(login.mfaRequired).toBeUndefined();
    expect(await api.db('audit_log').where({ action: 'auth.mfa_disabled' }).first()).toBeTruthy();
  });

  it('regenerating recovery codes needs a fresh code and retires the old ones', async () => {
    const token = await newUser('mfa.regen');
    const { secret, recoveryCodes } = await enrol(token);
    const res = await api.request('/auth/mfa/recovery-codes', { token, body: { code: totpCode(secret, later(30)) } });
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    const step1 = await loginStep1('mfa.regen');
    expect((await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, recoveryCode: recoveryCodes[0] } })).status).toBe(401);
    expect((await api.request('/auth/mfa/verify', { body: { challengeToken: step1.challengeToken, recoveryCode: res.body.recoveryCodes[0] } })).status).toBe(200);
  });
});
