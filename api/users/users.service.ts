/** Creating users (CLI and seed today; the admin API builds on this). */
import { randomInt } from 'node:crypto';
import type { Trx } from '../platform/db.js';
import { now } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { hashPassword } from '../platform/auth/passwords.js';
import { badRequest, conflict } from '../platform/errors.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';

export interface NewUser {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  roleKey: string;
  /** client codes (client users only) */
  clientCodes: string[];
  password: string;
  /** users made by an administrator must confirm the profile and change the issued password */
  onboarded?: boolean;
}

/** A readable issued password that satisfies the default policy (4 classes, 16 characters). */
export function issuePassword(): string {
  const pick = (chars: string, n: number) => Array.from({ length: n }, () => chars[randomInt(chars.length)]).join('');
  return `${pick('ABCDEFGHJKLMNPQRSTUVWXYZ', 4)}-${pick('abcdefghijkmnpqrstuvwxyz', 5)}-${pick('23456789', 4)}!`;
}

export async function createUser(
  trx: Trx, user: NewUser, scryptCost: number, actor: AuditActor, meta?: { ip: string | null; requestId: string },
): Promise<{ id: number; publicId: string }> {
  const username = user.username.trim().toLowerCase();
  if (await trx('users').where({ username }).first('id')) throw conflict('username_taken', `Username ${username} is already in use.`);
  const role = (await trx('roles').where({ key: user.roleKey }).first('id', 'scope')) as { id: number; scope: string } | undefined;
  if (!role) throw badRequest('unknown_role', `No role ${user.roleKey}.`);
  const clients = (await trx('clients').whereIn('code', user.clientCodes).select('id', 'code')) as { id: number; code: string }[];
  const missing = user.clientCodes.filter((c) => !clients.some((k) => k.code === c));
  if (missing.length) throw badRequest('unknown_client', `No client ${missing.join(', ')}.`);
  if (role.scope === 'client' && clients.length === 0) throw badRequest('client_required', 'A client user must be linked to at least one client.');
  const publicId = newId('usr');
  const t = now();
  const [id] = (await trx('users').insert({
    publicId, username, email: user.email.toLowerCase(), firstName: user.firstName, lastName: user.lastName,
    kind: role.scope, roleId: role.id, status: 'active', passwordHash: await hashPassword(user.password, scryptCost),
    passwordChangedAt: t, mustChangePassword: !user.onboarded, profileConfirmedAt: user.onboarded ? t : null,
    createdAt: t, updatedAt: t,
  })) as number[];
  const userId = id ?? ((await trx('users').where({ publicId }).first('id')) as { id: number }).id;
  if (role.scope === 'client' && clients.length) {
    await trx('user_clients').insert(clients.map((c) => ({ userId, clientId: c.id })));
  }
  await writeAudit(trx, { actor, action: 'user.create', target: { type: 'user', id: publicId }, ip: meta?.ip, requestId: meta?.requestId, after: { username, role: user.roleKey, clients: user.clientCodes } });
  return { id: userId, publicId };
}
