/**
 * Asking a signed-in user to prove again who they are before a change that could hand the account to
 * someone else (a new email address, a new password, turning two-step sign-in off): the current
 * password, or — for the email — a fresh code from their authenticator.
 *
 * Why the lock: an access token alone (a borrowed laptop, a leaked token) must not be a way to guess
 * the password. A wrong answer counts toward the same per-username lock as a wrong sign-in password,
 * and a locked username gets 429 here too.
 */
import type { Db } from '../platform/db.js';
import { now } from '../platform/clock.js';
import type { Config } from '../config.js';
import { badRequest } from '../platform/errors.js';
import { verifyPassword } from '../platform/auth/passwords.js';
import { writeAudit } from '../platform/audit.js';
import type { RequestMeta } from '../platform/http/context.js';
import { assertNotLocked, recordFailure, throttleKey } from './auth.service.js';
import { consumeTotp } from './mfa.service.js';

export interface ReauthProof {
  currentPassword?: string | undefined;
  /** a code from the user's confirmed authenticator (single use, like at sign-in) */
  mfaCode?: string | undefined;
}

/** Where the field error points when the proof is wrong or missing (the form's field name). */
export type ReauthField = 'currentPassword' | 'password';

const wrong = (path: ReauthField, message: string) => badRequest('validation_failed', message, [{ path, code: 'incorrect', message }]);

/**
 * Resolves when the proof is right; else records the failure (throttle + audit, in a transaction of
 * its own so it outlives the error; the audit action is `<purpose>_failed`) and throws 400 with a field error, or 429 when the name is locked.
 */
export async function confirmIdentity(
  db: Db, config: Config, userId: number, proof: ReauthProof, meta: RequestMeta, purpose: string, field: ReauthField = 'currentPassword',
): Promise<void> {
  const user = (await db('users').where({ id: userId }).first('id', 'public_id', 'username', 'password_hash')) as
    { id: number; publicId: string; username: string; passwordHash: string };
  const key = throttleKey(user.username);
  await assertNotLocked(db, key);
  if (!proof.currentPassword && !proof.mfaCode) {
    const message = 'Enter your current password to confirm this change.';
    throw badRequest('reauthentication_required', message, [{ path: field, code: 'required', message }]);
  }
  let ok = false;
  if (proof.currentPassword) ok = await verifyPassword(proof.currentPassword, user.passwordHash);
  else if (proof.mfaCode) {
    ok = await db.transaction(async (trx) => {
      const row = await trx('user_mfa').where({ userId }).whereNotNull('confirmed_at').first();
      return row ? consumeTotp(trx, config, row, proof.mfaCode!, now()) : false;
    });
  }
  if (ok) return;
  await db.transaction(async (trx) => {
    await recordFailure(trx, key);
    await writeAudit(trx, {
      actor: meta.actor, action: `${purpose}_failed`, target: { type: 'user', id: user.publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { method: proof.currentPassword ? 'password' : 'totp' },
    });
  });
  throw wrong(field, proof.currentPassword
    ? (field === 'password' ? 'The password is incorrect.' : 'The current password is incorrect.')
    : 'That code is not right, or it was already used.');
}
