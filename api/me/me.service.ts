/** The signed-in user's own profile: read, edit, confirm on first login. */
import type { Trx } from '../platform/db.js';
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

export interface ProfileChange {
  firstName?: string;
  lastName?: string;
  email?: string;
  username?: string;
  confirmProfile?: boolean;
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
  const pick = (m: Me) => ({ username: m.username, email: m.email, firstName: m.firstName, lastName: m.lastName, profileConfirmed: m.onboarding.profileConfirmed });
  await writeAudit(trx, { actor: meta.actor, action: 'user.profile_update', target: { type: 'user', id: before.id }, ip: meta.ip, requestId: meta.requestId, before: pick(before), after: pick(after) });
  return after;
}
