/**
 * API keys: created and revoked by an agency administrator. The key is returned once, at creation;
 * the database holds its SHA-256 only. Revocation takes effect on the next request (the key is read
 * per request, nothing is cached).
 */
import type { Trx } from '../platform/db.js';
import { now, toIso } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { notFound } from '../platform/errors.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { generateIntegrationKey } from '../platform/auth/integration.js';

interface KeyRow {
  id: number;
  publicId: string;
  name: string;
  prefix: string;
  scopes: string;
  createdAt: unknown;
  lastUsedAt: unknown;
  revokedAt: unknown;
  createdBy: string | null;
}

function toKey(r: KeyRow) {
  return {
    id: r.publicId,
    name: r.name,
    prefix: r.prefix,
    scopes: JSON.parse(r.scopes) as string[],
    createdAt: toIso(r.createdAt)!,
    createdBy: r.createdBy,
    lastUsedAt: toIso(r.lastUsedAt),
    revokedAt: toIso(r.revokedAt),
  };
}

/** Keys act for the whole agency: only agency users manage them; to a client user they do not exist. */
function assertAgency(caller: Caller): void {
  if (caller.kind !== 'agency') throw notFound('Integration key');
}

const keyQuery = (trx: Trx) =>
  trx('integration_keys')
    .leftJoin('users', 'users.id', 'integration_keys.created_by_user_id')
    .select(
      'integration_keys.public_id', 'integration_keys.name', 'integration_keys.prefix', 'integration_keys.scopes',
      'integration_keys.created_at', 'integration_keys.last_used_at', 'integration_keys.revoked_at', 'integration_keys.id',
      'users.public_id as created_by',
    );

export async function createKey(trx: Trx, caller: Caller, input: { name: string; scopes: string[] }, meta: RequestMeta) {
  assertAgency(caller);
  const { key, prefix, secretHash } = generateIntegrationKey();
  const publicId = newId('ikey');
  await trx('integration_keys').insert({
    publicId, name: input.name, prefix, secretHash, scopes: JSON.stringify(input.scopes),
    createdByUserId: caller.userId, createdAt: now(),
  });
  // The audit row names the key and its scopes, never the secret.
  await writeAudit(trx, {
    actor: meta.actor, action: 'integration_key.create', target: { type: 'integration_key', id: publicId },
    ip: meta.ip, requestId: meta.requestId, after: { name: input.name, prefix, scopes: input.scopes },
  });
  const row = (await keyQuery(trx).where('integration_keys.public_id', publicId).first()) as KeyRow;
  return { ...toKey(row), key };
}

export async function listKeys(trx: Trx, caller: Caller) {
  assertAgency(caller);
  const rows = (await keyQuery(trx).orderBy('integration_keys.id', 'desc')) as KeyRow[];
  return { data: rows.map(toKey) };
}

export async function revokeKey(trx: Trx, caller: Caller, publicId: string, meta: RequestMeta) {
  assertAgency(caller);
  const row = (await keyQuery(trx).where('integration_keys.public_id', publicId).first()) as KeyRow | undefined;
  if (!row) throw notFound('Integration key');
  // Revoking twice is harmless: the first revocation time stays.
  if (!row.revokedAt) {
    await trx('integration_keys').where({ id: row.id }).update({ revokedAt: now(), revokedByUserId: caller.userId });
    await writeAudit(trx, {
      actor: meta.actor, action: 'integration_key.revoke', target: { type: 'integration_key', id: publicId },
      ip: meta.ip, requestId: meta.requestId, before: { revokedAt: null },
    });
  }
  return toKey((await keyQuery(trx).where('integration_keys.public_id', publicId).first()) as KeyRow);
}
