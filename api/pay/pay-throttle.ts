/**
 * Throttling failed identity checks, so account numbers and DOB/ZIP cannot be guessed: failures are
 * counted per caller IP and per identifier typed, in the database (shared by every API node).
 */
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import { tooManyRequests } from '../platform/errors.js';

export const PAY_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export async function assertNotThrottled(trx: Trx, keys: string[], now: Date): Promise<void> {
  const rows = (await trx('pay_throttle').whereIn('key', keys).select('locked_until')) as { lockedUntil: unknown }[];
  const until = Math.max(0, ...rows.map((r) => (r.lockedUntil ? new Date(toIso(r.lockedUntil)!).getTime() : 0)));
  if (until > now.getTime()) throw tooManyRequests(Math.ceil((until - now.getTime()) / 1000));
}

export async function recordThrottleFailure(trx: Trx, keys: string[], now: Date): Promise<void> {
  const t = now.getTime();
  for (const key of keys) {
    const row = (await trx('pay_throttle').where({ key }).first()) as { failures: number; windowStartedAt: unknown } | undefined;
    const windowStart = row ? new Date(toIso(row.windowStartedAt)!).getTime() : 0;
    const failures = row && t - windowStart < PAY_THROTTLE.windowMs ? row.failures + 1 : 1;
    const values = {
      failures,
      windowStartedAt: new Date(failures === 1 ? t : windowStart),
      lockedUntil: failures >= PAY_THROTTLE.maxFailures ? new Date(t + PAY_THROTTLE.lockMs) : null,
    };
    if (row) await trx('pay_throttle').where({ key }).update(values);
    else await trx('pay_throttle').insert({ key, ...values }).onConflict('key').ignore();
  }
}

export async function clearThrottle(trx: Trx, keys: string[]): Promise<void> {
  await trx('pay_throttle').whereIn('key', keys).delete();
}
