/**
 * Throttling failed debtor identity checks, so account numbers, SSN last 4 and DOB/ZIP cannot be
 * guessed, without letting a stranger lock a debtor out (issue 17, items 4 and 13). Failures are
 * counted in the database (shared by every API node) under several keys, each with its own limit:
 *
 * - per source IP, across everything it tries: a hard lock (one client enumerating);
 * - per (identifier typed, source IP): a hard lock — the lock that used to be global per account
 *   number, so five wrong DOBs from one place no longer lock the account for everyone;
 * - per identifier, from any source: a softer back-off (more failures, a shorter lock), which is
 *   what slows a guesser spread over many addresses, and all a stranger can inflict on a debtor;
 * - per DOB + ZIP, from any source: the same soft back-off, on what is being guessed when the
 *   identifier changes with every try (SSN last 4 for a known DOB + ZIP). Stored as an HMAC, never
 *   in clear: the key is PII, and its space is small enough to hash-crack.
 * An SSN last 4 gets no global key: thousands of debtors share each one.
 */
import { createHmac } from 'node:crypto';
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import { tooManyRequests } from '../platform/errors.js';

export interface ThrottleRule {
  key: string;
  maxFailures: number;
  lockMs: number;
}

const WINDOW_MS = 15 * 60_000;
export const PAY_THROTTLE = {
  windowMs: WINDOW_MS,
  perSource: { maxFailures: 5, lockMs: 15 * 60_000 },
  perIp: { maxFailures: 10, lockMs: 15 * 60_000 },
  global: { maxFailures: 15, lockMs: 5 * 60_000 },
};

/** The keys one identity check is counted under (see above). `lookupKey`: the HMAC key for the DOB + ZIP key. */
export function identityThrottleRules(input: { accountNumber?: string | undefined; ssnLast4?: string | undefined; dob: string; zip: string }, ip: string | null, lookupKey: string): ThrottleRule[] {
  const source = ip ?? 'unknown';
  const identifier = input.accountNumber ? `acct:${input.accountNumber.trim().toUpperCase()}` : `ssn4:${input.ssnLast4}`;
  const dobZip = createHmac('sha256', Buffer.from(lookupKey, 'base64')).update(`throttle:${input.dob}|${input.zip.slice(0, 5)}`).digest('hex').slice(0, 40);
  const rules: ThrottleRule[] = [
    { key: `ip:${source}`, ...PAY_THROTTLE.perIp },
    { key: `${identifier}@${source}`, ...PAY_THROTTLE.perSource },
    { key: `dobzip:${dobZip}`, ...PAY_THROTTLE.global },
  ];
  if (input.accountNumber) rules.push({ key: identifier, ...PAY_THROTTLE.global });
  return rules.map((r) => ({ ...r, key: r.key.slice(0, 191) }));
}

export async function assertNotThrottled(trx: Trx, rules: ThrottleRule[], now: Date): Promise<void> {
  const rows = (await trx('pay_throttle').whereIn('key', rules.map((r) => r.key)).select('locked_until')) as { lockedUntil: unknown }[];
  const until = Math.max(0, ...rows.map((r) => (r.lockedUntil ? new Date(toIso(r.lockedUntil)!).getTime() : 0)));
  if (until > now.getTime()) throw tooManyRequests(Math.ceil((until - now.getTime()) / 1000));
}

export async function recordThrottleFailure(trx: Trx, rules: ThrottleRule[], now: Date): Promise<void> {
  const t = now.getTime();
  for (const { key, maxFailures, lockMs } of rules) {
    const row = (await trx('pay_throttle').where({ key }).first()) as { failures: number; windowStartedAt: unknown } | undefined;
    const windowStart = row ? new Date(toIso(row.windowStartedAt)!).getTime() : 0;
    const failures = row && t - windowStart < WINDOW_MS ? row.failures + 1 : 1;
    const values = {
      failures,
      windowStartedAt: new Date(failures === 1 ? t : windowStart),
      lockedUntil: failures >= maxFailures ? new Date(t + lockMs) : null,
    };
    if (row) await trx('pay_throttle').where({ key }).update(values);
    else await trx('pay_throttle').insert({ key, ...values }).onConflict('key').ignore();
  }
}

export async function clearThrottle(trx: Trx, keys: string[]): Promise<void> {
  await trx('pay_throttle').whereIn('key', keys).delete();
}
