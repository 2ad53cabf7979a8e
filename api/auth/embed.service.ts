/**
 * SSO for intranets: a client's backend signs a short-lived token naming its logged-in user (`sub` =
 * the portal username); the widgets exchange it here for a portal session, with no second password.
 * The user must be an active client user linked to the issuing client. Each token works once (jti).
 * Every refusal is the same 401 to the caller; the reason goes to the audit row only.
 */
import type { Db, Trx } from '../platform/db.js';
import { now as clockNow, toIso } from '../platform/db.js';
import type { Config } from '../config.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest, notFound, unauthorized } from '../platform/errors.js';
import { sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { peekIssuer, publicJwkProblem, verifyEmbedToken, type SsoAlgorithm, type SsoKey } from '../platform/auth/sso.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import { createSession, type SessionGrant } from './auth.service.js';
import type { JWK } from 'jose';
import { isUniqueViolation } from '../platform/unique-violation.js';
import { checkWebhookTarget } from '../integration/webhook-target.js';

const REFUSED = 'The sign-in token was not accepted.';

interface KeyRow {
  id: number;
  publicId: string;
  alg: SsoAlgorithm;
  kid: string | null;
  publicJwk: string | null;
  jwksUrl: string | null;
  createdAt: unknown;
  revokedAt: unknown;
}

const toKey = (r: KeyRow): SsoKey => ({ alg: r.alg, kid: r.kid, publicJwk: r.publicJwk ? (JSON.parse(r.publicJwk) as JWK) : null, jwksUrl: r.jwksUrl });

/** The audience a token must name: this portal. */
export const embedAudience = (config: Config) => config.publicUrl;

export async function exchangeEmbedToken(db: Db, config: Config, token: string, meta: RequestMeta, now: Date): Promise<SessionGrant> {
  const refuse = async (reason: string, clientPublicId: string | null) => {
    await db.transaction((trx) => writeAudit(trx, {
      actor: { type: 'anonymous' }, action: 'auth.embed_failed', target: clientPublicId ? { type: 'client', id: clientPublicId } : null,
      ip: meta.ip, requestId: meta.requestId, after: { reason },
    }));
    return unauthorized(REFUSED, 'embed_token_invalid');
  };
  const peek = peekIssuer(token);
  const client = peek ? ((await db('clients').where({ publicId: peek.iss, status: 'active' }).first('id', 'public_id')) as { id: number; publicId: string } | undefined) : undefined;
  if (!peek || !client) throw await refuse(peek ? 'unknown_issuer' : 'malformed', null);
  const keys = ((await db('sso_keys').where({ clientId: client.id }).whereNull('revoked_at').select()) as KeyRow[]).map(toKey);
  const verified = await verifyEmbedToken(token, keys, { issuer: client.publicId, audience: embedAudience(config) }, now, { allowPrivateJwks: config.webhookAllowPrivate === true });
  if (!verified.ok) throw await refuse(verified.reason, client.publicId);
  const { claims } = verified;

  const outcome = await db.transaction(async (trx): Promise<SessionGrant | string> => {
    await trx('sso_token_uses').where('expires_at', '<', new Date(now.getTime() - 60_000)).delete();
    const jtiHash = sha256Hex(claims.jti);
    if (await trx('sso_token_uses').where({ clientId: client.id, jtiHash }).first('client_id')) return 'replayed';
    await trx('sso_token_uses').insert({ clientId: client.id, jtiHash, expiresAt: new Date(claims.exp * 1000) });
    const user = (await trx('users')
      .where({ username: claims.sub.toLowerCase(), status: 'active', kind: 'client' })
      .whereExists(trx('user_clients as uc').whereRaw('uc.user_id = users.id').where('uc.client_id', client.id).select(trx.raw('1')))
      .first('id', 'public_id')) as { id: number; publicId: string } | undefined;
    if (!user) return 'unknown_user';
    await trx('users').where({ id: user.id }).update({ lastLoginAt: now });
    const grant = await createSession(trx, config, user, meta);
    await writeAudit(trx, {
      actor: { type: 'user', id: user.publicId }, action: 'auth.login', target: { type: 'user', id: user.publicId },
      ip: meta.ip, requestId: meta.requestId, after: { via: 'embed', client: client.publicId },
    });
    return grant;
  }).catch((err: unknown) => {
    // Two racing exchanges of one token: the primary key refuses the second insert.
    if (isUniqueViolation(err)) return 'replayed';
    throw err;
  });
  if (typeof outcome === 'string') throw await refuse(outcome, client.publicId);
  return outcome;
}

export interface SsoKeyView {
  id: string;
  alg: SsoAlgorithm;
  kid: string | null;
  publicJwk: JWK | null;
  jwksUrl: string | null;
  createdAt: string;
  revokedAt: string | null;
}

const view = (r: KeyRow): SsoKeyView => ({
  id: r.publicId, alg: r.alg, kid: r.kid, publicJwk: r.publicJwk ? (JSON.parse(r.publicJwk) as JWK) : null, jwksUrl: r.jwksUrl,
  createdAt: toIso(r.createdAt)!, revokedAt: toIso(r.revokedAt),
});

export async function listSsoKeys(trx: Trx, caller: Caller, clientPublicId: string): Promise<SsoKeyView[]> {
  const clientId = await resolveClientId(trx, caller, clientPublicId);
  return ((await trx('sso_keys').where({ clientId }).orderBy('id').select()) as KeyRow[]).map(view);
}

function jwksUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'Not a URL.';
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return 'Use an https:// URL.';
  return null;
}

/**
 * A JWKS URL must name a public address, as a webhook target must (webhook-target.ts; WEBHOOK_ALLOW_PRIVATE=1
 * lets both reach the agency's own network): the portal fetches it whenever a token names the client.
 * Checked before the transaction (a DNS lookup may take seconds) and again at every fetch (sso.ts).
 */
export async function assertJwksTarget(config: Config, rawUrl: string | undefined): Promise<void> {
  if (!rawUrl || jwksUrlProblem(rawUrl)) return; // none, or registerSsoKey refuses it with its reason
  const check = await checkWebhookTarget(new URL(rawUrl), config.webhookAllowPrivate === true);
  if (!check.ok && check.code === 'target_forbidden') {
    throw badRequest('invalid_key', `The portal does not fetch keys from this address: ${check.reason}.`, [
      { path: 'jwksUrl', code: 'target_forbidden', message: 'resolves to a loopback, private, link-local or unique-local address' },
    ]);
  }
}

export async function registerSsoKey(
  trx: Trx, caller: Caller, clientPublicId: string, input: { alg: SsoAlgorithm; kid?: string; publicJwk?: JWK; jwksUrl?: string }, meta: RequestMeta,
): Promise<SsoKeyView> {
  const clientId = await resolveClientId(trx, caller, clientPublicId);
  if (Boolean(input.publicJwk) === Boolean(input.jwksUrl)) throw badRequest('validation_failed', 'Give either publicJwk or jwksUrl.');
  const problem = input.publicJwk ? publicJwkProblem(input.publicJwk, input.alg) : jwksUrlProblem(input.jwksUrl!);
  if (problem) throw badRequest('invalid_key', problem, [{ path: input.publicJwk ? 'publicJwk' : 'jwksUrl', code: 'invalid_key', message: problem }]);
  const publicId = newId('ssokey');
  const publicJwk = input.publicJwk ? JSON.stringify(input.publicJwk) : null;
  await trx('sso_keys').insert({ publicId, clientId, alg: input.alg, kid: input.kid ?? input.publicJwk?.kid ?? null, publicJwk, jwksUrl: input.jwksUrl ?? null, createdAt: clockNow() });
  await writeAudit(trx, { actor: meta.actor, action: 'sso_key.register', target: { type: 'client', id: clientPublicId }, ip: meta.ip, requestId: meta.requestId, after: { key: publicId, alg: input.alg, jwksUrl: input.jwksUrl ?? null } });
  return view((await trx('sso_keys').where({ publicId }).first()) as KeyRow);
}

export async function revokeSsoKey(trx: Trx, caller: Caller, clientPublicId: string, keyPublicId: string, meta: RequestMeta): Promise<void> {
  const clientId = await resolveClientId(trx, caller, clientPublicId);
  const updated = await trx('sso_keys').where({ clientId, publicId: keyPublicId }).whereNull('revoked_at').update({ revokedAt: clockNow() });
  if (!updated) throw notFound('SSO key');
  await writeAudit(trx, { actor: meta.actor, action: 'sso_key.revoke', target: { type: 'client', id: clientPublicId }, ip: meta.ip, requestId: meta.requestId, after: { key: keyPublicId } });
}
