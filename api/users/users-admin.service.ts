/**
 * User administration (agency administrators; client administrators for their own clients' users):
 * create with an issued password (changed at first login), edit, roles, client links, disable
 * (every session ends at once), enable, issue a new password, remove a lost MFA factor.
 * No privilege escalation: a client administrator can only hand out client roles whose permissions
 * they hold themselves, and only link clients they are linked to.
 */
import type { Trx } from '../platform/db.js';
import { bool, now, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest, conflict, forbidden, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { revokeAllSessions, storeNewPassword } from '../auth/auth.service.js';
import { resetMfa } from '../auth/mfa.service.js';
import { createUser, issuePassword } from './users.service.js';
import { assertCanManageUsers, isAgencyAdmin, manageableUsers, resolveManagedUserId } from './users-admin.scope.js';

export interface AdminUserView {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  kind: 'agency' | 'client';
  status: 'active' | 'disabled';
  role: { id: string; key: string; name: string };
  clients: { id: string; name: string }[];
  mfaEnabled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

interface UserRow {
  id: number;
  publicId: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  kind: 'agency' | 'client';
  status: 'active' | 'disabled';
  roleId: number;
  rolePublicId: string;
  roleKey: string;
  roleName: string;
  mustChangePassword: unknown;
  lastLoginAt: unknown;
  createdAt: unknown;
  mfaEnabled: unknown;
}

function selectView(trx: Trx, q: ReturnType<typeof manageableUsers>) {
  return q.join('roles', 'roles.id', 'users.role_id').select(
    'users.id', 'users.public_id', 'users.username', 'users.email', 'users.first_name', 'users.last_name', 'users.kind', 'users.status',
    'users.role_id', 'roles.public_id as role_public_id', 'roles.key as role_key', 'roles.name as role_name', 'users.must_change_password',
    'users.last_login_at', 'users.created_at',
    trx.raw('(select count(*) from user_mfa m where m.user_id = users.id and m.confirmed_at is not null) as mfa_enabled'),
  );
}

async function toViews(trx: Trx, rows: UserRow[]): Promise<AdminUserView[]> {
  const links = rows.length
    ? ((await trx('user_clients').join('clients', 'clients.id', 'user_clients.client_id').whereIn('user_clients.user_id', rows.map((r) => r.id))
      .orderBy('clients.name').select('user_clients.user_id', 'clients.public_id', 'clients.name')) as { userId: number; publicId: string; name: string }[])
    : [];
  return rows.map((r) => ({
    id: r.publicId, username: r.username, email: r.email, firstName: r.firstName, lastName: r.lastName, kind: r.kind, status: r.status,
    role: { id: r.rolePublicId, key: r.roleKey, name: r.roleName },
    clients: links.filter((l) => l.userId === r.id).map((l) => ({ id: l.publicId, name: l.name })),
    mfaEnabled: Number(r.mfaEnabled) > 0, mustChangePassword: bool(r.mustChangePassword),
    lastLoginAt: toIso(r.lastLoginAt), createdAt: toIso(r.createdAt)!,
  }));
}

export async function getManagedUser(trx: Trx, caller: Caller, publicId: string): Promise<AdminUserView> {
  const rows = (await selectView(trx, manageableUsers(trx, caller).where('users.public_id', publicId))) as UserRow[];
  if (!rows.length) throw notFound('User');
  return (await toViews(trx, rows))[0]!;
}

export async function listManagedUsers(
  trx: Trx, caller: Caller, query: { q?: string; status?: string; page: number; pageSize: number },
): Promise<{ data: AdminUserView[]; total: number; page: number; pageSize: number }> {
  const filtered = () => {
    const q = manageableUsers(trx, caller);
    if (query.status) q.where('users.status', query.status);
    if (query.q) {
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q.where((w) => w.whereRaw('lower(users.username) like ?', [like]).orWhereRaw('lower(users.email) like ?', [like])
        .orWhereRaw('lower(users.first_name) like ?', [like]).orWhereRaw('lower(users.last_name) like ?', [like]));
    }
    return q;
  };
  const [{ n }] = (await filtered().count({ n: '*' })) as [{ n: number | string }];
  const rows = (await selectView(trx, filtered()).orderBy('users.username').limit(query.pageSize).offset((query.page - 1) * query.pageSize)) as UserRow[];
  return { data: await toViews(trx, rows), total: Number(n), page: query.page, pageSize: query.pageSize };
}

interface RoleRow {
  id: number;
  key: string;
  scope: 'agency' | 'client';
  permissions: string;
}

/** A role the caller may hand out, or 404 (unknown) / 403 (beyond the caller's own rights). */
async function assignableRole(trx: Trx, caller: Caller, rolePublicId: string): Promise<RoleRow> {
  const role = (await trx('roles').where({ publicId: rolePublicId }).first('id', 'key', 'scope', 'permissions')) as RoleRow | undefined;
  if (!role) throw notFound('Role');
  if (!isAgencyAdmin(caller)) {
    const perms = JSON.parse(role.permissions) as string[];
    if (role.scope !== 'client' || perms.some((p) => !caller.permissions.has(p))) {
      throw forbidden('You cannot give a role with rights you do not have yourself.', 'role_not_assignable');
    }
  }
  return role;
}

/** Client public ids → internal ids, each one the caller is linked to (else 404, like no client at all). */
async function linkableClients(trx: Trx, caller: Caller, publicIds: string[]): Promise<{ id: number; code: string }[]> {
  const unique = [...new Set(publicIds)];
  const rows = (await trx('clients').whereIn('publicId', unique).select('id', 'code')) as { id: number; code: string }[];
  if (rows.length !== unique.length) throw notFound('Client');
  if (caller.clientIds !== 'all' && rows.some((r) => !(caller.clientIds as readonly number[]).includes(r.id))) throw notFound('Client');
  return rows;
}

export interface NewUserInput {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  roleId: string;
  clientIds: string[];
}

export async function adminCreateUser(trx: Trx, caller: Caller, input: NewUserInput, scryptCost: number, meta: RequestMeta): Promise<{ user: AdminUserView; issuedPassword: string }> {
  assertCanManageUsers(caller);
  const role = await assignableRole(trx, caller, input.roleId);
  const clients = await linkableClients(trx, caller, input.clientIds);
  if (role.scope === 'agency' && clients.length) throw badRequest('clients_not_allowed', 'Agency users see every client; do not link clients.');
  const issuedPassword = issuePassword();
  const { publicId } = await createUser(trx, {
    username: input.username, email: input.email, firstName: input.firstName, lastName: input.lastName,
    roleKey: role.key, clientCodes: clients.map((c) => c.code), password: issuedPassword,
  }, scryptCost, meta.actor, meta);
  return { user: await getManagedUser(trx, caller, publicId), issuedPassword };
}

export interface UserChange {
  firstName?: string;
  lastName?: string;
  email?: string;
  username?: string;
  roleId?: string;
  clientIds?: string[];
}

const pick = (u: AdminUserView) => ({ username: u.username, email: u.email, firstName: u.firstName, lastName: u.lastName, role: u.role.key, clients: u.clients.map((c) => c.id) });

export async function adminUpdateUser(trx: Trx, caller: Caller, publicId: string, change: UserChange, meta: RequestMeta): Promise<AdminUserView> {
  const userId = await resolveManagedUserId(trx, caller, publicId);
  const before = await getManagedUser(trx, caller, publicId);
  if (userId === caller.userId && (change.roleId !== undefined || change.clientIds !== undefined)) {
    throw badRequest('cannot_change_self', 'You cannot change your own role or clients; ask another administrator.');
  }
  const update: Record<string, unknown> = {};
  if (change.firstName !== undefined) update.firstName = change.firstName;
  if (change.lastName !== undefined) update.lastName = change.lastName;
  if (change.email !== undefined) update.email = change.email.toLowerCase();
  if (change.username !== undefined && change.username.toLowerCase() !== before.username) {
    if (await trx('users').where({ username: change.username.toLowerCase() }).first('id')) throw conflict('username_taken', 'That username is already in use. Choose another.');
    update.username = change.username.toLowerCase();
  }
  let scope = before.kind;
  if (change.roleId !== undefined) {
    const role = await assignableRole(trx, caller, change.roleId);
    update.roleId = role.id;
    update.kind = role.scope;
    scope = role.scope;
  }
  if (change.clientIds !== undefined) {
    const clients = await linkableClients(trx, caller, change.clientIds);
    await trx('user_clients').where({ userId }).delete();
    if (clients.length) await trx('user_clients').insert(clients.map((c) => ({ userId, clientId: c.id })));
  }
  const linked = Number(((await trx('user_clients').where({ userId }).count({ n: '*' })) as [{ n: number | string }])[0].n);
  if (scope === 'client' && linked === 0) throw badRequest('client_required', 'A client user must be linked to at least one client.');
  if (scope === 'agency' && linked > 0) await trx('user_clients').where({ userId }).delete();
  if (Object.keys(update).length) await trx('users').where({ id: userId }).update({ ...update, updatedAt: now() });
  // The caller may no longer see the user (moved to another client): read back unscoped.
  const after = (await toViews(trx, (await selectView(trx, trx('users').where('users.id', userId))) as UserRow[]))[0]!;
  await writeAudit(trx, { actor: meta.actor, action: 'user.update', target: { type: 'user', id: publicId }, ip: meta.ip, requestId: meta.requestId, before: pick(before), after: pick(after) });
  return after;
}

export async function setUserStatus(trx: Trx, caller: Caller, publicId: string, status: 'active' | 'disabled', meta: RequestMeta): Promise<AdminUserView> {
  const userId = await resolveManagedUserId(trx, caller, publicId);
  if (userId === caller.userId) throw badRequest('cannot_change_self', 'You cannot disable yourself.');
  await trx('users').where({ id: userId }).update({ status, updatedAt: now() });
  // Disabling ends every session at once: access tokens fail on their next request (the session row
  // is checked each time) and refresh tokens no longer rotate.
  const ended = status === 'disabled' ? await revokeAllSessions(trx, userId) : 0;
  await writeAudit(trx, {
    actor: meta.actor, action: status === 'disabled' ? 'user.disable' : 'user.enable', target: { type: 'user', id: publicId },
    ip: meta.ip, requestId: meta.requestId, after: { status, sessionsEnded: ended },
  });
  return getManagedUser(trx, caller, publicId);
}

export async function issueNewPassword(trx: Trx, caller: Caller, publicId: string, scryptCost: number, meta: RequestMeta): Promise<{ issuedPassword: string }> {
  const userId = await resolveManagedUserId(trx, caller, publicId);
  if (userId === caller.userId) throw badRequest('cannot_change_self', 'Change your own password under your profile.');
  const user = (await trx('users').where({ id: userId }).first('id', 'password_hash')) as { id: number; passwordHash: string };
  const issuedPassword = issuePassword();
  await storeNewPassword(trx, user, await hashPassword(issuedPassword, scryptCost), true);
  const ended = await revokeAllSessions(trx, userId);
  await writeAudit(trx, { actor: meta.actor, action: 'user.password_issued', target: { type: 'user', id: publicId }, ip: meta.ip, requestId: meta.requestId, after: { sessionsEnded: ended } });
  return { issuedPassword };
}

export async function adminResetMfa(trx: Trx, caller: Caller, publicId: string, meta: RequestMeta): Promise<AdminUserView> {
  const userId = await resolveManagedUserId(trx, caller, publicId);
  // Removing one's own factor with only an access token would make a stolen token enough to strip
  // two-step sign-in: that path is auth/mfa/disable, which asks for the password.
  if (userId === caller.userId) throw badRequest('cannot_change_self', 'To turn off your own two-step sign-in, use the security settings of your profile (it asks for your password).');
  await resetMfa(trx, userId, publicId, meta);
  return getManagedUser(trx, caller, publicId);
}
