/**
 * The second kind of caller: an agency integration (its collection system) holding an API key.
 * Keys look like `ck_int_<43 base64url chars>`; the dots of a JWT never appear in them, so a Bearer
 * value is either an access token or a key, never both. A key is found by the SHA-256 of the whole
 * value (one indexed lookup, no secret comparison in process), checked for revocation on every
 * request, and its last-used time is refreshed at most once a minute to spare the writer.
 */
import type { AppDeps } from '../http/context.js';
import { now, toIso } from '../db.js';
import { randomToken, sha256Hex } from '../crypto.js';

/** What a key may be allowed to do. A route with `auth: 'integration'` names the one it needs. */
export const INTEGRATION_SCOPES = {
  'clients:write': 'Create and update clients',
  'accounts:write': 'Upsert accounts, parties, balances and status changes',
  'activity:write': 'Upsert account activity (collector notes, call attempts, letters, promises to pay)',
  'events:read': 'Read the event feed',
  'webhooks:manage': 'Register webhook endpoints, read deliveries, redeliver',
} as const;

export type IntegrationScope = keyof typeof INTEGRATION_SCOPES;
export const ALL_INTEGRATION_SCOPES = Object.keys(INTEGRATION_SCOPES) as [IntegrationScope, ...IntegrationScope[]];

export interface IntegrationCaller {
  keyId: number;
  /** the key's public id (`ikey_…`), the actor of audit rows and events */
  publicId: string;
  name: string;
  scopes: ReadonlySet<string>;
  /** integrations act for the whole agency */
  clientIds: 'all';
}

export const KEY_PREFIX = 'ck_int_';

export function generateIntegrationKey(): { key: string; prefix: string; secretHash: string } {
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), secretHash: sha256Hex(key) };
}

const LAST_USED_RESOLUTION_MS = 60_000;

interface KeyRow {
  id: number;
  publicId: string;
  name: string;
  scopes: string;
  revokedAt: unknown;
  lastUsedAt: unknown;
}

export async function loadIntegrationCaller(deps: AppDeps, authorization: string): Promise<IntegrationCaller | null> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match || !match[1]!.startsWith(KEY_PREFIX)) return null;
  const row = (await deps.db('integration_keys')
    .where({ secretHash: sha256Hex(match[1]!) })
    .first('id', 'public_id', 'name', 'scopes', 'revoked_at', 'last_used_at')) as KeyRow | undefined;
  if (!row || row.revokedAt) return null;
  const at = now();
  const last = row.lastUsedAt ? Date.parse(toIso(row.lastUsedAt)!) : 0;
  if (at.getTime() - last > LAST_USED_RESOLUTION_MS) {
    await deps.db('integration_keys').where({ id: row.id }).update({ lastUsedAt: at });
  }
  return { keyId: row.id, publicId: row.publicId, name: row.name, scopes: new Set(JSON.parse(row.scopes) as string[]), clientIds: 'all' };
}
