/**
 * Access tokens: short-lived HS256 JWTs (jose) carrying the user and session ids. They travel as
 * `Authorization: Bearer` so nothing depends on cookies (third-party cookies are blocked in embeds).
 * Each request also checks the session row, so disabling a user or logging out takes effect at once.
 */
import { SignJWT, jwtVerify, errors } from 'jose';

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
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

/** Returns the claims, or null for any invalid, expired or tampered token. */
export async function verifyAccessToken(token: string, secret: string): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { sub: payload.sub, sid: payload.sid };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}
