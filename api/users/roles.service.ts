/** Roles: named permission sets the agency edits; a role can require MFA of its users. */
import type { Trx } from '../platform/db.js';
import { bool, now } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { ALL_PERMISSIONS, DEFAULT_ROLES } from '../platform/permissions.js';
import { assertCanManageUsers, isAgencyAdmin } from './users-admin.scope.js';

export interface RoleView {
  id: string;
  key: string;
  name: string;
  scope: 'agency' | 'client';
  permissions: string[];
  mfaRequired: boolean;
  userCount: number;
}

interface RoleRow {
  id: number;
  publicId: string;
  key: string;
  name: string;
  scope: 'agency' | 'client';
  permissions: string;
  mfaRequired: unknown;
  userCount: number | string;
}

const view = (r: RoleRow): RoleView => ({
  id: r.publicId, key: r.key, name: r.name, scope: r.scope, permissions: (JSON.parse(r.permissions) as string[]).sort(),
  mfaRequired: bool(r.mfaRequired), userCount: Number(r.userCount),
});

const selectRoles = (trx: Trx) =>
  trx('roles').select('roles.*', trx.raw('(select count(*) from users u where u.role_id = roles.id) as user_count')).orderBy('roles.name');

/** Agency administrators see every role; client administrators the roles they may hand out. */
export async function listRoles(trx: Trx, caller: Caller): Promise<RoleView[]> {
  assertCanManageUsers(caller);
  const roles = ((await selectRoles(trx)) as RoleRow[]).map(view);
  if (isAgencyAdmin(caller)) return roles;
  return roles.filter((r) => r.scope === 'client' && r.permissions.every((p) => caller.permissions.has(p)));
}

function checkPermissions(permissions: string[]): string[] {
  const unknown = permissions.filter((p) => !(ALL_PERMISSIONS as string[]).includes(p));
  if (unknown.length) throw badRequest('unknown_permission', `Unknown permission ${unknown.join(', ')}.`, unknown.map((p) => ({ path: 'permissions', code: 'unknown_permission', message: `Unknown permission ${p}.` })));
  return [...new Set(permissions)].sort();
}

export async function createRole(
  trx: Trx, input: { key: string; name: string; scope: 'agency' | 'client'; permissions: string[]; mfaRequired?: boolean }, meta: RequestMeta,
): Promise<RoleView> {
  if (await trx('roles').where({ key: input.key }).first('id')) throw conflict('role_key_taken', `A role with key ${input.key} exists.`);
  const publicId = newId('role');
  const permissions = checkPermissions(input.permissions);
  await trx('roles').insert({ publicId, key: input.key, name: input.name, scope: input.scope, permissions: JSON.stringify(permissions), mfaRequired: input.mfaRequired ?? false, createdAt: now() });
  await writeAudit(trx, { actor: meta.actor, action: 'role.create', target: { type: 'role', id: publicId }, ip: meta.ip, requestId: meta.requestId, after: { ...input, permissions } });
  return view((await selectRoles(trx).where('roles.public_id', publicId).first()) as RoleRow);
}

export async function updateRole(
  trx: Trx, caller: Caller, publicId: string, change: { name?: string; permissions?: string[]; mfaRequired?: boolean }, meta: RequestMeta,
): Promise<RoleView> {
  const row = (await selectRoles(trx).where('roles.public_id', publicId).first()) as RoleRow | undefined;
  if (!row) throw notFound('Role');
  const before = view(row);
  const update: Record<string, unknown> = {};
  if (change.name !== undefined) update.name = change.name;
  if (change.mfaRequired !== undefined) update.mfaRequired = change.mfaRequired;
  if (change.permissions !== undefined) {
    const permissions = checkPermissions(change.permissions);
    const own = (await trx('users').where({ id: caller.userId }).first('role_id')) as { roleId: number };
    if (own.roleId === row.id && !permissions.includes('users.manage')) {
      throw badRequest('cannot_change_self', 'This would take user administration away from yourself; ask another administrator.');
    }
    update.permissions = JSON.stringify(permissions);
  }
  if (Object.keys(update).length) await trx('roles').where({ id: row.id }).update(update);
  const after = view((await selectRoles(trx).where('roles.public_id', publicId).first()) as RoleRow);
  await writeAudit(trx, { actor: meta.actor, action: 'role.update', target: { type: 'role', id: publicId }, ip: meta.ip, requestId: meta.requestId, before, after });
  return after;
}

/**
 * A new production database has no roles until someone makes them (the demo seed writes its own):
 * the first `admin create-user` adds the default roles that are missing, by key, so the first agency
 * admin can be created from the command line. Roles the agency already has are left as they are.
 */
export async function ensureDefaultRoles(trx: Trx): Promise<string[]> {
  const existing = new Set(((await trx('roles').select('key')) as { key: string }[]).map((r) => r.key));
  const added: string[] = [];
  for (const role of DEFAULT_ROLES) {
    if (existing.has(role.key)) continue;
    const publicId = newId('role');
    await trx('roles').insert({ publicId, key: role.key, name: role.name, scope: role.scope, permissions: JSON.stringify(role.permissions), createdAt: now() });
    await writeAudit(trx, { actor: { type: 'system', id: 'cli' }, action: 'role.create', target: { type: 'role', id: publicId }, after: { key: role.key, name: role.name, scope: role.scope, permissions: role.permissions } });
    added.push(role.key);
  }
  return added;
}
