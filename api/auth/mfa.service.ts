/**
 * TOTP multi-factor authentication (F-AUTH 7):
 * - enrolment in two steps: start (secret + QR code, pending) → confirm with a first code, which
 *   returns ten single-use recovery codes, shown once;
 * - a TOTP code is usable once: the accepted time step is stored and a code of that step or an older
 *   one is refused, with a conditional update so two racing requests cannot both use it;
 * - the login second step (`verifyMfaChallenge`) counts wrong codes against the username throttle;
 * - a role can require MFA: its users are held in onboarding until they enrol (see caller.ts).
 */
import { randomInt } from 'node:crypto';
import type { Db, Trx } from '../platform/db.js';
import { bool, toIso } from '../platform/db.js';
import type { Config } from '../config.js';
import { conflict, forbidden, unauthorized, badRequest } from '../platform/errors.js';
import { decrypt, encrypt, sha256Hex } from '../platform/crypto.js';
import { matchTotp, newTotpSecret, otpauthUri, qrCodeSvg } from '../platform/auth/totp.js';
import { writeAudit } from '../platform/audit.js';
import type { RequestMeta } from '../platform/http/context.js';
import { assertNotLocked, createSession, recordFailure, throttleKey, type SessionGrant } from './auth.service.js';
import { MFA_CHALLENGE_MAX_ATTEMPTS } from './mfa-challenge.js';
import { confirmIdentity } from './reauth.js';

const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read off paper

export interface MfaStatus {
  enabled: boolean;
  pending: boolean;
  enabledAt: string | null;
  recoveryCodesRemaining: number;
  requiredByRole: boolean;
}

interface MfaRow {
  userId: number;
  secretEnc: string;
  confirmedAt: unknown;
  lastUsedStep: number | string | null;
}

const userRef = (publicId: string) => ({ type: 'user', id: publicId });

export async function getMfaStatus(trx: Trx, userId: number): Promise<MfaStatus> {
  const row = (await trx('user_mfa').where({ userId }).first()) as MfaRow | undefined;
  const remaining = await trx('mfa_recovery_codes').where({ userId }).whereNull('used_at').count({ n: '*' });
  const role = (await trx('users').join('roles', 'roles.id', 'users.role_id').where('users.id', userId).first('roles.mfa_required')) as { mfaRequired: unknown };
  return {
    enabled: Boolean(row?.confirmedAt),
    pending: Boolean(row && !row.confirmedAt),
    enabledAt: toIso(row?.confirmedAt),
    recoveryCodesRemaining: row?.confirmedAt ? Number(remaining[0]!.n) : 0,
    requiredByRole: bool(role.mfaRequired),
  };
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

export async function startEnrolment(trx: Trx, config: Config, user: { userId: number; publicId: string; username: string }, meta: RequestMeta, now: Date): Promise<Enrolment> {
  const existing = (await trx('user_mfa').where({ userId: user.userId }).forUpdate().first()) as MfaRow | undefined;
  if (existing?.confirmedAt) throw conflict('mfa_already_enabled', 'Two-step sign-in is already on. Turn it off first to enrol a new device.');
  const secret = newTotpSecret();
  const secretEnc = encrypt(secret, config.secrets.dataKey);
  if (existing) await trx('user_mfa').where({ userId: user.userId }).update({ secretEnc, lastUsedStep: null, createdAt: now });
  else await trx('user_mfa').insert({ userId: user.userId, secretEnc, createdAt: now });
  await writeAudit(trx, { actor: meta.actor, action: 'auth.mfa_enrol_started', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId });
  const uri = otpauthUri(secret, user.username, 'CollectKit');
  return { secret, otpauthUri: uri, qrCodeSvg: await qrCodeSvg(uri) };
}

/**
 * Accepts a TOTP code for the user once: the step it belongs to must be newer than the last one used.
 * The conditional update is the lock — of two requests with the same code, one changes the row.
 */
export async function consumeTotp(trx: Trx, config: Config, row: MfaRow, code: string, now: Date): Promise<boolean> {
  const step = matchTotp(decrypt(row.secretEnc, config.secrets.dataKey), code.replace(/\s+/g, ''), now);
  if (step === null) return false;
  const updated = await trx('user_mfa')
    .where({ userId: row.userId })
    .andWhere((q) => q.whereNull('last_used_step').orWhere('last_used_step', '<', step))
    .update({ lastUsedStep: step });
  return updated === 1;
}

const normaliseRecoveryCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

async function consumeRecoveryCode(trx: Trx, userId: number, code: string, now: Date): Promise<boolean> {
  const normalised = normaliseRecoveryCode(code);
  if (normalised.length !== 10) return false;
  const updated = await trx('mfa_recovery_codes').where({ userId, codeHash: sha256Hex(normalised) }).whereNull('used_at').update({ usedAt: now });
  return updated === 1;
}

async function issueRecoveryCodes(trx: Trx, userId: number, now: Date): Promise<string[]> {
  await trx('mfa_recovery_codes').where({ userId }).delete();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(''));
  await trx('mfa_recovery_codes').insert(codes.map((c) => ({ userId, codeHash: sha256Hex(c), createdAt: now })));
  return codes.map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
}

const invalidCode = () => badRequest('invalid_code', 'That code is not right, or it was already used. Wait for the next code and try again.', [
  { path: 'code', code: 'invalid_code', message: 'That code is not right, or it was already used.' },
]);

export async function confirmEnrolment(db: Db, config: Config, user: { userId: number; publicId: string }, code: string, meta: RequestMeta, now: Date): Promise<{ recoveryCodes: string[] }> {
  const outcome = await db.transaction(async (trx) => {
    const row = (await trx('user_mfa').where({ userId: user.userId }).forUpdate().first()) as MfaRow | undefined;
    if (!row) throw conflict('mfa_not_pending', 'Start the enrolment first.');
    if (row.confirmedAt) throw conflict('mfa_already_enabled', 'Two-step sign-in is already on.');
    if (!(await consumeTotp(trx, config, row, code, now))) return null;
    await trx('user_mfa').where({ userId: user.userId }).update({ confirmedAt: now });
    const recoveryCodes = await issueRecoveryCodes(trx, user.userId, now);
    await writeAudit(trx, { actor: meta.actor, action: 'auth.mfa_enabled', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId });
    return { recoveryCodes };
  });
  if (!outcome) throw invalidCode();
  return outcome;
}

export async function regenerateRecoveryCodes(db: Db, config: Config, user: { userId: number; publicId: string }, code: string, meta: RequestMeta, now: Date): Promise<{ recoveryCodes: string[] }> {
  const outcome = await db.transaction(async (trx) => {
    const row = (await trx('user_mfa').where({ userId: user.userId }).whereNotNull('confirmed_at').forUpdate().first()) as MfaRow | undefined;
    if (!row) throw conflict('mfa_not_enabled', 'Two-step sign-in is not on.');
    if (!(await consumeTotp(trx, config, row, code, now))) return null;
    const recoveryCodes = await issueRecoveryCodes(trx, user.userId, now);
    await writeAudit(trx, { actor: meta.actor, action: 'auth.mfa_recovery_codes_regenerated', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId });
    return { recoveryCodes };
  });
  if (!outcome) throw invalidCode();
  return outcome;
}

/** Turning MFA off needs the password, and is refused when the user's role requires MFA. */
export async function disableMfa(db: Db, config: Config, user: { userId: number; publicId: string }, password: string, meta: RequestMeta): Promise<void> {
  // a wrong password counts toward the sign-in lock (see reauth.ts)
  await confirmIdentity(db, config, user.userId, { currentPassword: password }, meta, 'auth.mfa_disable', 'password');
  const row = (await db('users').join('roles', 'roles.id', 'users.role_id').where('users.id', user.userId).first('roles.mfa_required')) as { mfaRequired: unknown };
  if (bool(row.mfaRequired)) throw forbidden('Your role requires two-step sign-in; it cannot be turned off.', 'mfa_required_by_role');
  await db.transaction(async (trx) => {
    const removed = await trx('user_mfa').where({ userId: user.userId }).delete();
    if (!removed) throw conflict('mfa_not_enabled', 'Two-step sign-in is not on.');
    await trx('mfa_recovery_codes').where({ userId: user.userId }).delete();
    await writeAudit(trx, { actor: meta.actor, action: 'auth.mfa_disabled', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId });
  });
}

/** An administrator removes a user's factor (lost phone, no recovery codes left). */
export async function resetMfa(trx: Trx, userId: number, targetPublicId: string, meta: RequestMeta): Promise<void> {
  await trx('user_mfa').where({ userId }).delete();
  await trx('mfa_recovery_codes').where({ userId }).delete();
  await writeAudit(trx, { actor: meta.actor, action: 'auth.mfa_reset', target: userRef(targetPublicId), ip: meta.ip, requestId: meta.requestId });
}

interface ChallengeRow {
  id: number;
  userId: number;
  attempts: number;
  expiresAt: unknown;
  consumedAt: unknown;
}

const CHALLENGE_ENDED = 'The sign-in step has expired. Sign in again.';

/** The login second step: a challenge token plus a TOTP code or a recovery code → a session. */
export async function verifyMfaChallenge(
  db: Db, config: Config, challengeToken: string, proof: { code?: string; recoveryCode?: string }, meta: RequestMeta, now: Date,
): Promise<SessionGrant> {
  const tokenHash = sha256Hex(challengeToken);
  const found = (await db('mfa_challenges').join('users', 'users.id', 'mfa_challenges.user_id').where('mfa_challenges.token_hash', tokenHash).first('users.username')) as { username: string } | undefined;
  if (!found) throw unauthorized(CHALLENGE_ENDED, 'mfa_challenge_expired');
  const key = throttleKey(found.username);
  await assertNotLocked(db, key);
  const outcome = await db.transaction(async (trx): Promise<SessionGrant | 'ended' | 'wrong'> => {
    const ch = (await trx('mfa_challenges').where({ tokenHash }).forUpdate().first()) as ChallengeRow;
    const user = (await trx('users').where({ id: ch.userId }).first('id', 'public_id', 'status')) as { id: number; publicId: string; status: string };
    const expired = new Date(toIso(ch.expiresAt)!).getTime() <= now.getTime();
    if (ch.consumedAt || expired || ch.attempts >= MFA_CHALLENGE_MAX_ATTEMPTS || user.status !== 'active') return 'ended';
    const row = (await trx('user_mfa').where({ userId: user.id }).whereNotNull('confirmed_at').first()) as MfaRow | undefined;
    let ok = false;
    if (row && proof.code) ok = await consumeTotp(trx, config, row, proof.code, now);
    else if (row && proof.recoveryCode) ok = await consumeRecoveryCode(trx, user.id, proof.recoveryCode, now);
    if (!ok) {
      await trx('mfa_challenges').where({ id: ch.id }).update({ attempts: ch.attempts + 1 });
      await recordFailure(trx, key);
      await writeAudit(trx, { actor: { type: 'anonymous' }, action: 'auth.mfa_failed', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId, after: { method: proof.code ? 'totp' : 'recovery_code' } });
      return 'wrong';
    }
    await trx('mfa_challenges').where({ id: ch.id }).update({ consumedAt: now });
    await trx('login_throttle').where({ key }).delete();
    await trx('users').where({ id: user.id }).update({ lastLoginAt: now });
    const grant = await createSession(trx, config, user, meta);
    await writeAudit(trx, {
      actor: { type: 'user', id: user.publicId }, action: 'auth.login', target: userRef(user.publicId), ip: meta.ip, requestId: meta.requestId,
      after: { mfa: proof.code ? 'totp' : 'recovery_code' },
    });
    return grant;
  });
  if (outcome === 'ended') throw unauthorized(CHALLENGE_ENDED, 'mfa_challenge_expired');
  if (outcome === 'wrong') throw unauthorized('That code is not right, or it was already used.', 'invalid_code');
  return outcome;
}
