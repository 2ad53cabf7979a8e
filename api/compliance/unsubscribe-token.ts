/**
 * The signed one-click unsubscribe token in every debtor email (List-Unsubscribe header and the
 * link in the body). It names the channel, the address and the account; an HMAC with a key derived
 * from the token secret makes it unforgeable. It does not expire: an opt-out link must keep working.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../platform/crypto.js';
import type { Channel } from './addresses.js';

export interface UnsubscribeClaims {
  channel: Channel;
  address: string;
  /** account public id, when the message was about one */
  accountId: string | null;
}

const sign = (payload: string, secret: string) =>
  createHmac('sha256', createHmac('sha256', secret).update('collectkit/unsubscribe/v1').digest()).update(payload).digest('base64url');

export function signUnsubscribeToken(claims: UnsubscribeClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ c: claims.channel, a: claims.address, acct: claims.accountId })).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

export function verifyUnsubscribeToken(token: string, secret: string): UnsubscribeClaims | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || !safeEqual(signature, sign(payload, secret))) return null;
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c?: unknown; a?: unknown; acct?: unknown };
    if ((raw.c !== 'email' && raw.c !== 'sms') || typeof raw.a !== 'string' || !raw.a) return null;
    return { channel: raw.c, address: raw.a, accountId: typeof raw.acct === 'string' ? raw.acct : null };
  } catch {
    return null;
  }
}
