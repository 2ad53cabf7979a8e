/**
 * The debtor's session: a short-lived HS256 token (jose) naming exactly one account. It has its own
 * audience, so it can never pass for a portal user's token and vice versa. Every pay route takes the
 * account from this token, never from the URL: a debtor session sees only that account.
 */
import { said } from '../platform/http/debtor-lang.js';
import type Koa from 'koa';
import { SignJWT, jwtVerify, errors } from 'jose';
import { randomToken } from '../platform/crypto.js';

import type { AppDeps, AppState } from '../platform/http/context.js';
import { now as clockNow } from '../platform/clock.js';

const ISSUER = 'collectkit';
const AUDIENCE = 'collectkit-pay';
export const DEBTOR_SESSION_TTL_SECONDS = 20 * 60;

export interface DebtorSession {
  /** account public id */
  accountId: string;
  /** a random id per session, for audit rows and idempotency scope */
  sessionId: string;
  /** how the debtor got in */
  via: 'link' | 'identity';
}

export async function signDebtorSession(s: DebtorSession, secret: string, now: Date): Promise<{ token: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + DEBTOR_SESSION_TTL_SECONDS;
  const token = await new SignJWT({ sid: s.sessionId, via: s.via })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(s.accountId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

export const newDebtorSessionId = () => `dss_${randomToken(12)}`;

export async function verifyDebtorSession(token: string, secret: string): Promise<DebtorSession | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: clockNow() });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    return { accountId: payload.sub, sessionId: payload.sid, via: payload.via === 'link' ? 'link' : 'identity' };
  } catch (err) {
    if (err instanceof errors.JOSEError) return null;
    throw err;
  }
}

/** The debtor session of this request, or 401. Also left on ctx.state for request-scoped helpers. */
export async function requireDebtor(deps: AppDeps, ctx: Koa.ParameterizedContext<AppState>): Promise<DebtorSession> {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'));
  const session = match ? await verifyDebtorSession(match[1]!, deps.config.secrets.jwtSecret) : null;
  if (!session) throw said(401, 'debtor_session_required', 'debtorSessionRequired');
  (ctx.state as AppState & { debtor?: DebtorSession }).debtor = session;
  return session;
}
