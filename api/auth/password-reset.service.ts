/**
 * Forgot password / forgot username (F-AUTH 4, 5, 8):
 * - the answer to "forgot password" is the same whatever the address (exists, unknown, shared by
 *   several usernames, disabled), so nothing can be learned about who has an account;
 * - one matching active user: a reset link by email. The token is 32 random bytes; only its SHA-256
 *   is stored; it works once and expires after 30 minutes; a newer link retires the older ones;
 * - an address shared by several usernames gets no link: the mail (not the response) tells its owner
 *   to contact client support, because a link could not say which username it is for;
 * - a successful reset ends every session of the user and counts as the user's own password change.
 */
import type { Db, Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Config } from '../config.js';
import { badRequest } from '../platform/errors.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { writeAudit } from '../platform/audit.js';
import type { RequestMeta } from '../platform/http/context.js';
import { enqueueEmail } from '../platform/outbox.js';
import { sealSecret } from '../platform/outbox-secrets.js';
import { getSetting, type SupportContact } from '../settings/settings.service.js';
import { acceptablePasswordHash, revokeAllSessions, storeNewPassword } from './auth.service.js';

export const RESET_TTL_MS = 30 * 60_000;
/** links per user per hour; further requests get the same answer and no mail (no flooding an inbox) */
export const RESET_MAX_PER_HOUR = 3;

export const FORGOT_PASSWORD_ANSWER =
  'If this address belongs to a portal user, we have sent it an email with what to do next. The link in it works once, for 30 minutes.';

function supportLines(support: SupportContact): string {
  return [support.phone && `Phone: ${support.phone}`, support.email && `Email: ${support.email}`, support.hours && `Hours: ${support.hours}`]
    .filter(Boolean).join('\n');
}

/** The link the user opens: the agency's portal page with the token in the fragment (kept out of server logs). */
export const resetLink = (config: Config, token: string) => `${config.publicUrl}/#reset-password=${encodeURIComponent(token)}`;

export async function requestPasswordReset(trx: Trx, config: Config, email: string, meta: RequestMeta, now: Date): Promise<{ message: string }> {
  const address = email.trim().toLowerCase();
  const users = (await trx('users').whereRaw('lower(email) = ?', [address]).where({ status: 'active' }).select('id', 'public_id', 'username', 'first_name')) as
    { id: number; publicId: string; username: string; firstName: string }[];
  const support = await getSetting(trx, 'support_contact');
  let outcome: 'unknown' | 'ambiguous' | 'sent' | 'rate_limited' = 'unknown';
  if (users.length > 1) {
    outcome = 'ambiguous';
    await enqueueEmail(trx, {
      to: address, category: 'auth.password_reset', subject: 'Resetting your portal password',
      text: `Someone asked to reset the portal password for this email address.\n\nThis address belongs to more than one username, so we cannot send a reset link. Please contact client support:\n\n${supportLines(support)}\n\nIf you did not ask for this, you can ignore this email.`,
    });
  } else if (users.length === 1) {
    const user = users[0]!;
    const recent = await trx('password_resets').where({ userId: user.id }).where('created_at', '>', new Date(now.getTime() - 3_600_000)).count({ n: '*' });
    if (Number(recent[0]!.n) >= RESET_MAX_PER_HOUR) {
      outcome = 'rate_limited';
    } else {
      outcome = 'sent';
      const token = randomToken(32);
      // Only the newest link works.
      await trx('password_resets').where({ userId: user.id }).whereNull('used_at').update({ usedAt: now });
      await trx('password_resets').insert({ userId: user.id, tokenHash: sha256Hex(token), requestedIp: meta.ip, createdAt: now, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
      await enqueueEmail(trx, {
        to: address, category: 'auth.password_reset', subject: 'Reset your portal password',
        text: `Hello ${user.firstName},\n\nOpen this link to choose a new portal password for username ${user.username}:\n\n${sealSecret(resetLink(config, token), config.secrets.dataKey)}\n\nThe link works once, for 30 minutes. If you did not ask for this, you can ignore this email: your password stays as it is.\n\nQuestions? Client support:\n${supportLines(support)}`,
      });
    }
  }
  await writeAudit(trx, {
    actor: { type: 'anonymous' }, action: 'auth.password_reset_requested',
    target: users.length === 1 ? { type: 'user', id: users[0]!.publicId } : null,
    ip: meta.ip, requestId: meta.requestId, after: { outcome },
  });
  return { message: FORGOT_PASSWORD_ANSWER };
}

const INVALID_LINK = 'This reset link is invalid, already used or expired. Ask for a new one.';

export async function resetPassword(db: Db, config: Config, token: string, newPassword: string, meta: RequestMeta, now: Date): Promise<void> {
  const tokenHash = sha256Hex(token);
  const row = (await db('password_resets').join('users', 'users.id', 'password_resets.user_id').where('password_resets.token_hash', tokenHash)
    .first('password_resets.id', 'password_resets.expires_at', 'password_resets.used_at', 'users.id as user_id', 'users.public_id', 'users.username', 'users.password_hash', 'users.status')) as
    { id: number; expiresAt: unknown; usedAt: unknown; userId: number; publicId: string; username: string; passwordHash: string; status: string } | undefined;
  const usable = row && !row.usedAt && row.status === 'active' && new Date(toIso(row.expiresAt)!).getTime() > now.getTime();
  if (!row || !usable) throw badRequest('reset_token_invalid', INVALID_LINK);
  // Policy first (a rejected password leaves the link usable for a better one).
  const hash = await acceptablePasswordHash(db, config, { id: row.userId, username: row.username, passwordHash: row.passwordHash }, newPassword);
  await db.transaction(async (trx) => {
    // The conditional update is the single-use guarantee when two requests race with one link.
    const claimed = await trx('password_resets').where({ id: row.id }).whereNull('used_at').update({ usedAt: now });
    if (claimed !== 1) throw badRequest('reset_token_invalid', INVALID_LINK);
    await storeNewPassword(trx, { id: row.userId, passwordHash: row.passwordHash }, hash);
    const ended = await revokeAllSessions(trx, row.userId);
    await trx('login_throttle').where({ key: row.username }).delete();
    await writeAudit(trx, { actor: { type: 'user', id: row.publicId }, action: 'auth.password_reset', target: { type: 'user', id: row.publicId }, ip: meta.ip, requestId: meta.requestId, after: { sessionsEnded: ended } });
  });
}

export async function forgotUsername(trx: Trx): Promise<SupportContact & { message: string }> {
  const support = await getSetting(trx, 'support_contact');
  return { ...support, message: 'For your username, contact client support.' };
}
