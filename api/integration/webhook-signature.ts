/**
 * Webhook signatures. Each delivery carries
 *   CollectKit-Timestamp: <unix seconds>
 *   CollectKit-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * A receiver recomputes the HMAC over the raw body, compares in constant time, and rejects
 * timestamps older than its tolerance (5 minutes by default), so a captured request cannot be
 * replayed later. Receivers also de-duplicate on the event id (a delivery may arrive twice).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { now as clockNow } from '../platform/clock.js';

export const TIMESTAMP_HEADER = 'CollectKit-Timestamp';
export const SIGNATURE_HEADER = 'CollectKit-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'bad_signature' | 'stale_timestamp' };

export function verifySignature(input: {
  secret: string;
  body: string;
  timestamp: string | undefined | null;
  signature: string | undefined | null;
  now?: Date;
  toleranceSeconds?: number;
}): VerifyResult {
  const ts = Number(input.timestamp);
  if (!input.timestamp || !input.signature || !Number.isInteger(ts)) return { ok: false, reason: 'missing_headers' };
  const expected = Buffer.from(signPayload(input.secret, ts, input.body));
  const given = Buffer.from(input.signature.trim());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  const nowSeconds = Math.floor((input.now ?? clockNow()).getTime() / 1000);
  if (Math.abs(nowSeconds - ts) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}
