/**
 * Access tokens: short-lived HS256 JWTs (jose) carrying the user and session ids. They travel as
 * `Authorization: Bearer` so nothing depends on cookies (third-party cookies are blocked in embeds).
 * Each request also checks the session row, so disabling a user or logging out takes effect at once.
 */
import { SignJWT, jwtVerify, errors } from 'jose';
import { now as clockNow, nowMs } from '../clock.js';

const ISSUER = 'collectkit';
const AUDIENCE = 'collectkit-portal';

export interface AccessClaims {
  /** user public id */
  sub: string;
  /** session public id */
  sid: string;
}

export async function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(clockNow())
    .setExpirationTime(Math.floor(nowMs() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Tokens whose signature has been checked, until they expire. A token is immutable and an HMAC check
 * costs more than the rest of a small request (WebCrypto, a thread-pool round trip), while the same
 * token comes back on every request of its session. Per secret, so a token is never accepted under
 * a secret it was not checked against. Bounded; expiry is still checked on every use.
 */
const verifiedTokens = new Map<string, Map<string, { claims: AccessClaims; expiresAtMs: number }>>();
const VERIFIED_TOKENS_MAX = 20_000;

/** Returns the claims, or null for any invalid, expired or tampered token. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  let known = verifiedTokens.get(secret);
  const hit = known?.get(token);
  if (hit) {
    if (nowMs() < hit.expiresAtMs) return hit.claims;
    known!.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: clockNow(),
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
    const claims = { sub: payload.sub, sid: payload.sid };
    if (!known) verifiedTokens.set(secret, (known = new Map()));
    if (known.size >= VERIFIED_TOKENS_MAX) known.delete(known.keys().next().value!);
    known.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    return claims;
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
