/**
 * Signing in and out, refreshing sessions, changing passwords. The rules:
 * - unknown user, wrong password and disabled user get the same answer and take the same time;
 * - failures are counted per username as typed; too many lock that name for a while (429);
 * - refresh tokens are single use: a replayed one ends the session (it was stolen or leaked), except
 *   within a 30 s grace window after the rotation, when it answers with the same new pair;
 * - every success and failure writes an audit row.
 */
import type { Db, Trx } from '../platform/db.js';
import { now, toIso } from '../platform/db.js';
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import { badRequest, tooManyRequests, unauthorized } from '../platform/errors.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../platform/auth/passwords.js';
import { signAccessToken } from '../platform/auth/tokens.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import type { RequestMeta } from '../platform/http/context.js';
import { getMe, type Me } from '../me/me.service.js';
import { getSetting } from '../settings/settings.service.js';
import { checkPasswordShape } from './password-policy.js';
import { confirmIdentity } from './reauth.js';
import { createMfaChallenge, hasConfirmedMfa, type MfaChallenge } from './mfa-challenge.js';
import { now as clockNow, nowMs } from '../platform/clock.js';

export const THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const INVALID_CREDENTIALS = 'The username or password is incorrect.';

export interface SessionGrant {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
  user: Me;
}

interface LoginUser {
  id: number;
  publicId: string;
  username: string;
  status: string;
  passwordHash: string;
  passwordChangedAt: unknown;
}

export const throttleKey = (username: string) => username.trim().toLowerCase().slice(0, 191);

export async function assertNotLocked(db: Db, key: string): Promise<void> {
  const row = (await db('login_throttle').where({ key }).first()) as { lockedUntil: unknown } | undefined;
  const lockedUntil = row?.lockedUntil ? new Date(toIso(row.lockedUntil)!).getTime() : 0;
  if (lockedUntil > nowMs()) throw tooManyRequests(Math.ceil((lockedUntil - nowMs()) / 1000));
}

export async function recordFailure(trx: Trx, key: string): Promise<void> {
  const row = (await trx('login_throttle').where({ key }).first()) as
    | { failures: number; windowStartedAt: unknown }
    | undefined;
  const t = nowMs();
  const windowStart = row ? new Date(toIso(row.windowStartedAt)!).getTime() : 0;
  const failures = row && t - windowStart < THROTTLE.windowMs ? row.failures + 1 : 1;
  const values = {
    failures,
    windowStartedAt: failures === 1 ? new Date(t) : new Date(windowStart),
    lockedUntil: failures >= THROTTLE.maxFailures ? new Date(t + THROTTLE.lockMs) : null,
  };
  if (row) await trx('login_throttle').where({ key }).update(values);
  else await trx('login_throttle').insert({ key, ...values });
}

export async function createSession(
  trx: Trx,
  config: Config,
  user: { id: number; publicId: string },
  meta: RequestMeta,
): Promise<SessionGrant> {
  const refreshToken = randomToken(32);
  const sessionPublicId = newId('ses');
  const expiresAt = new Date(nowMs() + config.refreshTokenTtlSeconds * 1000);
  await trx('sessions').insert({
    publicId: sessionPublicId,
    userId: user.id,
    refreshHash: sha256Hex(refreshToken),
    ip: meta.ip,
    userAgent: meta.userAgent,
    createdAt: now(),
    lastUsedAt: now(),
    expiresAt,
  });
  const accessToken = await signAccessToken({ sub: user.publicId, sid: sessionPublicId }, config.secrets.jwtSecret, config.accessTokenTtlSeconds);
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: config.accessTokenTtlSeconds,
    refreshToken,
    refreshExpiresAt: expiresAt.toISOString(),
    user: await getMe(trx, user.id),
  };
}

export async function login(db: Db, config: Config, username: string, password: string, meta: RequestMeta): Promise<SessionGrant | MfaChallenge> {
  const key = throttleKey(username);
  await assertNotLocked(db, key);
  const user = (await db('users').where({ username: username.trim().toLowerCase() }).first(
    'id', 'public_id', 'username', 'status', 'password_hash', 'password_changed_at',
  )) as LoginUser | undefined;
  let ok = false;
  if (user) ok = (await verifyPassword(password, user.passwordHash)) && user.status === 'active';
  else await burnPasswordCheck(password, config.scryptCost);

  if (!ok || !user) {
    await db.transaction(async (trx) => {
      await recordFailure(trx, key);
      await writeAudit(trx, {
        actor: { type: 'anonymous' }, action: 'auth.login_failed', target: user ? { type: 'user', id: user.publicId } : null,
        ip: meta.ip, requestId: meta.requestId, after: { username: key },
      });
    });
    throw unauthorized(INVALID_CREDENTIALS, 'invalid_credentials');
  }

  return db.transaction(async (trx) => {
    const policy = await getSetting(trx, 'password_policy');
    const changedAt = new Date(toIso(user.passwordChangedAt)!).getTime();
    const expired = policy.maxAgeDays > 0 && nowMs() - changedAt > policy.maxAgeDays * 86_400_000;
    if (expired) await trx('users').where({ id: user.id }).update({ mustChangePassword: true });
    if (await hasConfirmedMfa(trx, user.id)) {
      // The password is right but a code is still owed: no session yet, and the failure counter stays
      // (it is cleared when the second step succeeds), so guessing codes stays throttled.
      await writeAudit(trx, {
        actor: { type: 'user', id: user.publicId }, action: 'auth.login_mfa_challenge', target: { type: 'user', id: user.publicId },
        ip: meta.ip, requestId: meta.requestId,
      });
      return createMfaChallenge(trx, user.id, clockNow());
    }
    await trx('login_throttle').where({ key }).delete();
    await trx('users').where({ id: user.id }).update({ lastLoginAt: now() });
    const grant = await createSession(trx, config, user, meta);
    await writeAudit(trx, {
      actor: { type: 'user', id: user.publicId }, action: 'auth.login', target: { type: 'user', id: user.publicId },
      ip: meta.ip, requestId: meta.requestId,
    });
    return grant;
  });
}

interface SessionRow {
  id: number;
  publicId: string;
  userId: number;
  refreshHash: string;
  expiresAt: unknown;
  revokedAt: unknown;
  refreshRotatedAt: unknown;
}

/**
 * How long the refresh token a rotation replaced still answers, with the same new pair. Two tabs of
 * one session (or a request retried after a lost answer) refresh with the same token at once; without
 * the window the second one looked like a stolen token and ended the session for both.
 */
export const REFRESH_GRACE_MS = 30_000;

/**
 * The token a rotation hands out is derived from the one presented (HMAC with the token secret), so a
 * second request inside the grace window can be given the same token again without it being stored:
 * the database keeps only hashes, as before. Without the secret nobody can derive it.
 */
const rotatedRefreshToken = (config: Config, presented: string) =>
  createHmac('sha256', config.secrets.jwtSecret).update(`collectkit/refresh-rotation\0${presented}`).digest('base64url');

async function refreshGrant(trx: Trx, config: Config, session: SessionRow, refreshToken: string): Promise<SessionGrant | null> {
  const user = (await trx('users').where({ id: session.userId }).first('id', 'public_id', 'status')) as { id: number; publicId: string; status: string };
  const expired = new Date(toIso(session.expiresAt)!).getTime() < nowMs();
  if (session.revokedAt || expired || user.status !== 'active') return null;
  const accessToken = await signAccessToken({ sub: user.publicId, sid: session.publicId }, config.secrets.jwtSecret, config.accessTokenTtlSeconds);
  return {
    accessToken, tokenType: 'Bearer' as const, expiresIn: config.accessTokenTtlSeconds, refreshToken,
    refreshExpiresAt: toIso(session.expiresAt)!, user: await getMe(trx, user.id),
  };
}

export async function refresh(db: Db, config: Config, refreshToken: string, meta: RequestMeta): Promise<SessionGrant> {
  const hash = sha256Hex(refreshToken);
  const next = rotatedRefreshToken(config, refreshToken);
  const outcome = await db.transaction(async (trx) => {
    // Find the session by either hash without a lock, then lock its row by primary key and decide on
    // what the lock read (the latest committed row). Concurrent refreshes of one session thus queue
    // on one row lock; locking by the hash columns, which the winner rewrites, deadlocked on MySQL.
    const found = (await trx('sessions').where({ refreshHash: hash }).orWhere({ previousRefreshHash: hash }).first('id')) as { id: number } | undefined;
    const row = found ? ((await trx('sessions').where({ id: found.id }).forUpdate().first()) as SessionRow & { previousRefreshHash: string | null }) : undefined;
    if (!row || (row.refreshHash !== hash && row.previousRefreshHash !== hash)) return null;
    if (row.previousRefreshHash === hash) {
      const replaced = row;
      if (replaced.revokedAt) return null;
      const rotatedAt = replaced.refreshRotatedAt ? new Date(toIso(replaced.refreshRotatedAt)!).getTime() : 0;
      // The same rotation asked for again, moments later, and nothing rotated since: the same pair.
      if (replaced.refreshHash === sha256Hex(next) && nowMs() - rotatedAt <= REFRESH_GRACE_MS) return refreshGrant(trx, config, replaced, next);
      // A token that was already rotated away is being replayed: end that session for good.
      await trx('sessions').where({ id: replaced.id }).update({ revokedAt: now() });
      await writeAudit(trx, { actor: { type: 'anonymous' }, action: 'auth.refresh_replayed', target: { type: 'session', id: replaced.publicId }, ip: meta.ip, requestId: meta.requestId });
      return null;
    }
    const grant = await refreshGrant(trx, config, row, next);
    if (!grant) return null;
    await trx('sessions').where({ id: row.id }).update({ refreshHash: sha256Hex(next), previousRefreshHash: hash, lastUsedAt: now(), refreshRotatedAt: now() });
    return grant;
  });
  if (!outcome) throw unauthorized('The session has expired or ended. Sign in again.', 'session_expired');
  return outcome;
}

export async function logout(db: Db, sessionId: number, sessionPublicId: string, meta: RequestMeta): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('sessions').where({ id: sessionId }).update({ revokedAt: now() });
    await writeAudit(trx, { actor: meta.actor, action: 'auth.logout', target: { type: 'session', id: sessionPublicId }, ip: meta.ip, requestId: meta.requestId });
  });
}

export async function changePassword(
  db: Db,
  config: Config,
  userId: number,
  sessionId: number,
  currentPassword: string,
  newPassword: string,
  meta: RequestMeta,
): Promise<void> {
  await confirmIdentity(db, config, userId, { currentPassword }, meta, 'auth.password_change');
  const user = (await db('users').where({ id: userId }).first('id', 'public_id', 'username', 'password_hash')) as LoginUser;
  const hash = await acceptablePasswordHash(db, config, { id: userId, username: user.username, passwordHash: user.passwordHash }, newPassword);
  await db.transaction(async (trx) => {
    await storeNewPassword(trx, { id: userId, passwordHash: user.passwordHash }, hash);
    // Whoever else holds a session (a stolen refresh token, a forgotten kiosk) is signed out; this one stays.
    const ended = await revokeAllSessions(trx, userId, sessionId);
    await writeAudit(trx, { actor: meta.actor, action: 'auth.password_change', target: { type: 'user', id: user.publicId }, ip: meta.ip, requestId: meta.requestId, after: { otherSessionsEnded: ended } });
  });
}

/**
 * Checks a new password against the policy (shape and history) and returns its hash; a 400
 * `password_policy` otherwise. Shared by password change, reset and administrators' issuing.
 */
export async function acceptablePasswordHash(
  trx: Trx, config: Config, user: { id: number; username: string; passwordHash: string }, newPassword: string,
): Promise<string> {
  const policy = await getSetting(trx, 'password_policy');
  const problems = checkPasswordShape(newPassword, user.username, policy);
  if (problems.length) throw badRequest('password_policy', 'The new password does not meet the password policy.', problems);
  const history = (await trx('password_history').where({ userId: user.id }).orderBy('created_at', 'desc').limit(policy.historyCount).pluck('password_hash')) as string[];
  for (const old of [user.passwordHash, ...history].slice(0, Math.max(1, policy.historyCount))) {
    if (await verifyPassword(newPassword, old)) {
      throw badRequest('password_policy', 'The new password does not meet the password policy.', [
        { path: 'newPassword', code: 'password_reused', message: `Choose a password you have not used in your last ${policy.historyCount} changes.` },
      ]);
    }
  }
  return hashPassword(newPassword, config.scryptCost);
}

/** Replaces the password (the old hash goes into the history). */
export async function storeNewPassword(trx: Trx, user: { id: number; passwordHash: string }, hash: string, mustChange = false): Promise<void> {
  await trx('password_history').insert({ userId: user.id, passwordHash: user.passwordHash, createdAt: now() });
  await trx('users').where({ id: user.id }).update({ passwordHash: hash, passwordChangedAt: now(), mustChangePassword: mustChange, updatedAt: now() });
}

/** Ends every open session of a user at once (reset, disable, administrator's action). */
export async function revokeAllSessions(trx: Trx, userId: number, exceptSessionId?: number): Promise<number> {
  const q = trx('sessions').where({ userId }).whereNull('revoked_at');
  if (exceptSessionId) q.whereNot({ id: exceptSessionId });
  return q.update({ revokedAt: now() });
}

