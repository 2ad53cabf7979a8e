/**
 * The signed-in user's own profile: read, edit, confirm on first login.
 *
 * The email address is where password-reset links go, so changing it is changing who can take the
 * account over: it needs the current password (or a fresh authenticator code), and the old address
 * is told (issue 17, item 6).
 */
import type { Db, Trx } from '../platform/db.js';
import type { Config } from '../config.js';
import { enqueueEmail } from '../platform/outbox.js';
import { confirmIdentity, type ReauthProof } from '../auth/reauth.js';
import { bool, now } from '../platform/db.js';
import { conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import type { RequestMeta } from '../platform/http/context.js';

export interface Me {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  kind: 'agency' | 'client';
  permissions: string[];
  clients: { id: string; name: string; kind: string }[];
  onboarding: { required: boolean; profileConfirmed: boolean; passwordChangeRequired: boolean; mfaEnrolmentRequired: boolean };
}

interface UserRow {
  id: number;
  publicId: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  kind: 'agency' | 'client';
  mustChangePassword: unknown;
  profileConfirmedAt: unknown;
  permissions: string;
  mfaRequired: unknown;
}

export async function getMe(trx: Trx, userId: number): Promise<Me> {
  const user = (await trx('users')
    .join('roles', 'roles.id', 'users.role_id')
    .where('users.id', userId)
    .first('users.*', 'roles.permissions', 'roles.mfa_required')) as UserRow | undefined;
  if (!user) throw notFound('User');
  const clientsQuery = trx('clients').select('public_id', 'name', 'kind').orderBy('name');
  if (user.kind === 'client') {
    clientsQuery.whereIn('id', trx('user_clients').where({ userId }).select('client_id'));
  }
  const clients = (await clientsQuery) as { publicId: string; name: string; kind: string }[];
  const passwordChangeRequired = bool(user.mustChangePassword);
  const profileConfirmed = Boolean(user.profileConfirmedAt);
  const mfaEnrolmentRequired = bool(user.mfaRequired) && !(await trx('user_mfa').where({ userId }).whereNotNull('confirmed_at').first('user_id'));
  return {
    id: user.publicId,
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    kind: user.kind,
    permissions: (JSON.parse(user.permissions) as string[]).sort(),
    clients: clients.map((c) => ({ id: c.publicId, name: c.name, kind: c.kind })),
    onboarding: { required: passwordChangeRequired || !profileConfirmed || mfaEnrolmentRequired, profileConfirmed, passwordChangeRequired, mfaEnrolmentRequired },
  };
}

/** a***@example.com: enough for the owner to recognise, not a gift to whoever reads the old mailbox */
const maskAddress = (email: string) => email.replace(/^(.)[^@]*(@.*)$/, '$1***$2');

export interface ProfileChange {
  firstName?: string;
  lastName?: string;
  email?: string;
  username?: string;
  confirmProfile?: boolean;
}

/** PATCH me: proves identity first when the email changes (outside the write, so a failure is counted). */
export async function changeMyProfile(db: Db, config: Config, userId: number, change: ProfileChange & ReauthProof, meta: RequestMeta): Promise<Me> {
  if (change.email !== undefined) {
    const current = (await db('users').where({ id: userId }).first('email')) as { email: string };
    if (change.email.trim().toLowerCase() !== current.email.toLowerCase()) {
      await confirmIdentity(db, config, userId, { currentPassword: change.currentPassword, mfaCode: change.mfaCode }, meta, 'user.email_change');
    }
  }
  return db.transaction((trx) => updateMe(trx, userId, change, meta));
}

export async function updateMe(trx: Trx, userId: number, change: ProfileChange, meta: RequestMeta): Promise<Me> {
  const before = await getMe(trx, userId);
  const update: Record<string, unknown> = {};
  if (change.firstName !== undefined) update.firstName = change.firstName;
  if (change.lastName !== undefined) update.lastName = change.lastName;
  if (change.email !== undefined) update.email = change.email.toLowerCase();
  if (change.username !== undefined && change.username.toLowerCase() !== before.username) {
    const taken = await trx('users').whereRaw('lower(username) = ?', [change.username.toLowerCase()]).first('id');
    if (taken) throw conflict('username_taken', 'That username is already in use. Choose another.');
    update.username = change.username.toLowerCase();
  }
  if (change.confirmProfile) update.profileConfirmedAt = now();
  if (Object.keys(update).length === 0) return before;
  update.updatedAt = now();
  await trx('users').where({ id: userId }).update(update);
  const after = await getMe(trx, userId);
  if (before.email && after.email !== before.email.toLowerCase()) {
    // The old address hears of it, so a takeover is noticed by the person who can still undo it.
    await enqueueEmail(trx, {
      to: before.email, category: 'auth.email_changed', subject: 'Your portal email address was changed',
      text: `Hello ${before.firstName},\n\nThe email address of portal username ${after.username} was changed from this address to ${maskAddress(after.email)}. Password-reset links now go to the new address.\n\nIf you did not do this, contact client support at once: someone else may be using your account.`,
    });
  }
  const pick = (m: Me) => ({ username: m.username, email: m.email, firstName: m.firstName, lastName: m.lastName, profileConfirmed: m.onboarding.profileConfirmed });
  await writeAudit(trx, { actor: meta.actor, action: 'user.profile_update', target: { type: 'user', id: before.id }, ip: meta.ip, requestId: meta.requestId, before: pick(before), after: pick(after) });
  return after;
}
