/**
 * The signed one-click unsubscribe token in every debtor email (List-Unsubscribe header and the
 * link in the body). It names only the outbox message it came in — the address and account are read
 * from that row — so no email address ends up in URLs and access logs. An HMAC with a key derived
 * from the token secret makes it unforgeable. It does not expire: an opt-out link must keep working.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../platform/crypto.js';

const sign = (payload: string, secret: string) =>
  createHmac('sha256', createHmac('sha256', secret).update('collectkit/unsubscribe/v1').digest()).update(payload).digest('base64url');

export function signUnsubscribeToken(messagePublicId: string, secret: string): string {
  return `${messagePublicId}.${sign(messagePublicId, secret)}`;
}

/** The message public id, or null for a token that was not made here. */
export function verifyUnsubscribeToken(token: string, secret: string): string | null {
  const [messageId, signature, extra] = token.split('.');
  if (!messageId || !signature || extra !== undefined || !/^msg_[0-9a-z]{26}$/.test(messageId)) return null;
  return safeEqual(signature, sign(messageId, secret)) ? messageId : null;
}
