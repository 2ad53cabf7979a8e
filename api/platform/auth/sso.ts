/**
 * Verifying SSO embed tokens (F-AUTH 11): a JWT signed by a client's backend with a registered
 * asymmetric key. What makes a token acceptable, all of it required:
 * - header `alg` exactly the registered key's algorithm (ES256 or RS256). `none`, HS* and any other
 *   algorithm are refused before a key is touched, so a public key can never be used as an HMAC
 *   secret (algorithm confusion);
 * - signature valid for one of the client's active keys (a stored public JWK or its JWKS URL);
 * - `iss` = the client's public id, `aud` = this portal's public URL, `sub`, `jti`, `iat`, `exp`;
 * - short-lived: `exp - iat` at most 5 minutes, `iat` not in the future (30 s clock tolerance).
 */
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { checkWebhookTarget } from '../../integration/webhook-target.js';
import { getPinned } from '../../integration/webhook-post.js';

export const SSO_ALGORITHMS = ['ES256', 'RS256'] as const;
export type SsoAlgorithm = (typeof SSO_ALGORITHMS)[number];
export const SSO_MAX_LIFETIME_SECONDS = 300;
const CLOCK_TOLERANCE_SECONDS = 30;

export interface SsoKey {
  alg: SsoAlgorithm;
  kid: string | null;
  publicJwk: JWK | null;
  jwksUrl: string | null;
}

export interface EmbedClaims {
  iss: string;
  sub: string;
  jti: string;
  exp: number;
}

const JWKS_MAX_BYTES = 256 * 1024;

/**
 * How a JWKS is fetched: the URL's host is checked as a webhook target is (webhook-target.ts: no
 * loopback, private, link-local … addresses unless WEBHOOK_ALLOW_PRIVATE=1) every time, and the
 * request goes to the address just checked, so a token naming a client cannot make this server
 * call into its own network, nor DNS rebinding move the request there.
 */
function guardedFetch(allowPrivate: boolean) {
  return async (url: string, options: { headers: Headers; signal: AbortSignal }): Promise<Response> => {
    const u = new URL(url);
    const check = await checkWebhookTarget(u, allowPrivate);
    if (!check.ok) throw Object.assign(new Error(`JWKS URL refused: ${check.reason}`), { code: check.code === 'target_forbidden' ? 'jwks_target_forbidden' : 'jwks_unresolved' });
    const res = await getPinned(u, check.target, { headers: Object.fromEntries(options.headers), signal: options.signal, maxBytes: JWKS_MAX_BYTES });
    return new Response(new Uint8Array(res.body), { status: res.statusCode });
  };
}

// JWKS sets are cached per URL (jose refetches on an unknown kid, with a cooldown): a cache of public
// keys, not session state, so API nodes stay interchangeable.
const remoteSets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function remoteSet(url: string, allowPrivate: boolean) {
  const cacheKey = `${allowPrivate ? 'private' : 'public'} ${url}`;
  let set = remoteSets.get(cacheKey);
  if (!set) {
    set = createRemoteJWKSet(new URL(url), { timeoutDuration: 3000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000, [customFetch]: guardedFetch(allowPrivate) });
    remoteSets.set(cacheKey, set);
  }
  return set;
}

/** The unverified issuer, to find the client's keys; null when the token is not even a JWS. */
export function peekIssuer(token: string): { iss: string; alg: string; kid: string | null } | null {
  try {
    const header = decodeProtectedHeader(token);
    const payload = decodeJwt(token);
    if (typeof payload.iss !== 'string' || typeof header.alg !== 'string') return null;
    return { iss: payload.iss, alg: header.alg, kid: typeof header.kid === 'string' ? header.kid : null };
  } catch {
    return null;
  }
}

/** The verified claims, or a reason it was refused (for the audit row, never for the caller). */
export async function verifyEmbedToken(
  token: string, keys: SsoKey[], expected: { issuer: string; audience: string }, now: Date, opts: { allowPrivateJwks?: boolean } = {},
): Promise<{ ok: true; claims: EmbedClaims } | { ok: false; reason: string }> {
  const peek = peekIssuer(token);
  if (!peek) return { ok: false, reason: 'malformed' };
  if (!(SSO_ALGORITHMS as readonly string[]).includes(peek.alg)) return { ok: false, reason: `algorithm_${peek.alg}` };
  const candidates = keys.filter((k) => k.alg === peek.alg && (!peek.kid || !k.kid || k.kid === peek.kid));
  if (!candidates.length) return { ok: false, reason: 'no_matching_key' };
  let lastReason = 'signature';
  for (const key of candidates) {
    const options = {
      algorithms: [key.alg], issuer: expected.issuer, audience: expected.audience, currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS, maxTokenAge: SSO_MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    };
    try {
      let payload: JWTPayload;
      if (key.publicJwk) {
        ({ payload } = await jwtVerify(token, await importJWK(key.publicJwk, key.alg), options));
      } else if (key.jwksUrl) {
        ({ payload } = await jwtVerify(token, remoteSet(key.jwksUrl, opts.allowPrivateJwks === true), options));
      } else continue;
      if (payload.exp! - payload.iat! > SSO_MAX_LIFETIME_SECONDS) return { ok: false, reason: 'lifetime_too_long' };
      if (payload.iat! > now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) return { ok: false, reason: 'issued_in_future' };
      if (typeof payload.sub !== 'string' || typeof payload.jti !== 'string' || payload.jti.length > 200) return { ok: false, reason: 'claims' };
      return { ok: true, claims: { iss: payload.iss!, sub: payload.sub, jti: payload.jti, exp: payload.exp! } };
    } catch (err) {
      lastReason = (err as { code?: string }).code ?? 'signature';
    }
  }
  return { ok: false, reason: lastReason };
}

/** A registered key must be public: a JWK with private parts, or a symmetric one, is refused. */
export function publicJwkProblem(jwk: JWK, alg: SsoAlgorithm): string | null {
  if ('d' in jwk || 'p' in jwk || 'q' in jwk || 'k' in jwk) return 'Register the public key only (this JWK holds private or symmetric key material).';
  if (alg === 'ES256' && (jwk.kty !== 'EC' || jwk.crv !== 'P-256')) return 'An ES256 key is an EC P-256 JWK.';
  if (alg === 'RS256' && jwk.kty !== 'RSA') return 'An RS256 key is an RSA JWK.';
  return null;
}
