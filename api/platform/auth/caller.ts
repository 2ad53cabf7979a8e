/**
 * Who is calling: a Bearer access token is verified, then its session, user, role and linked clients
 * are read in one query — or taken from the process's caller cache (caller-cache.ts), which forgets a
 * user as soon as the trigger-written change log says something about them changed, so logout,
 * disabling a user or revoking a session still takes effect on the next request.
 */
import type { AppDeps, Caller } from '../http/context.js';
import { verifyAccessToken } from './tokens.js';
import { bool } from '../db.js';
import { callerCacheFor } from './caller-cache.js';
import { nowMs } from '../clock.js';

interface SessionUserRow {
  sessionId: number;
  sessionPublicId: string;
  userId: number;
  publicId: string;
  username: string;
  firstName: string;
  lastName: string;
  kind: 'agency' | 'client';
  status: string;
  mustChangePassword: unknown;
  profileConfirmedAt: unknown;
  permissions: string;
  mfaRequired: unknown;
  /** 1 when the user has a confirmed TOTP factor */
  mfaEnrolled: unknown;
  /** comma-separated ids from user_clients (group_concat exists in SQLite and MySQL alike) */
  clientIdList: string | null;
  revokedAt: unknown;
  expiresAt: unknown;
}

export async function loadCaller(deps: AppDeps, authorization: string): Promise<Caller | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match) return null;
  const claims = await verifyAccessToken(match[1]!, deps.config.secrets.jwtSecret);
  if (!claims) return null;
  const cache = callerCacheFor(deps.db);
  const key = `${claims.sid}\u0000${claims.sub}`;
  const cached = await cache.get(key);
  if (cached) return cached;
  const generation = cache.generation();
  const row = (await deps.db('sessions')
    .join('users', 'users.id', 'sessions.user_id')
    .join('roles', 'roles.id', 'users.role_id')
    .where('sessions.public_id', claims.sid)
    .andWhere('users.public_id', claims.sub)
    .first(
      'sessions.id as session_id', 'sessions.public_id as session_public_id', 'sessions.revoked_at', 'sessions.expires_at',
      'users.id as user_id', 'users.public_id', 'users.username', 'users.first_name', 'users.last_name', 'users.kind',
      'users.status', 'users.must_change_password', 'users.profile_confirmed_at', 'roles.permissions', 'roles.mfa_required',
      deps.db.raw('(select count(*) from user_mfa m where m.user_id = users.id and m.confirmed_at is not null) as mfa_enrolled'),
      // One round trip per request: the linked clients come along as a list.
      deps.db.raw('(select group_concat(uc.client_id) from user_clients uc where uc.user_id = users.id) as client_id_list'),
    )) as SessionUserRow | undefined;
  if (!row || row.revokedAt || row.status !== 'active') return null;
  const sessionExpiresAt = new Date(row.expiresAt as string | number | Date).getTime();
  if (sessionExpiresAt < nowMs()) return null;
  const clientIds =
    row.kind === 'agency' ? ('all' as const) : (row.clientIdList ?? '').split(',').filter(Boolean).map(Number);
  const caller: Caller = {
    userId: row.userId,
    publicId: row.publicId,
    username: row.username,
    displayName: `${row.firstName} ${row.lastName}`,
    kind: row.kind,
    permissions: new Set(JSON.parse(row.permissions) as string[]),
    clientIds,
    sessionId: row.sessionId,
    sessionPublicId: row.sessionPublicId,
    // A role that requires MFA holds its users in onboarding until they have enrolled a factor.
    onboardingRequired: bool(row.mustChangePassword) || !row.profileConfirmedAt || (bool(row.mfaRequired) && Number(row.mfaEnrolled) === 0),
  };
  cache.put(key, caller, sessionExpiresAt, generation);
  return caller;
}
