/**
 * Agency account numbers for placed accounts (issue 17, item 13). They used to be `NR` + (1,000,000
 * + id): anyone holding one number knew their neighbours', and could keep other debtors' self-service
 * locked with wrong DOBs. Now the id goes through a keyed permutation of 0 … 10^10 − 1 (a four-round
 * Feistel network on two 5-digit halves) and is written as `NR` + 10 digits: still unique (a
 * permutation never collides), still derived from the id (no lookup, no retry), but not guessable
 * without the key. The key is derived from LOOKUP_KEY, so every API node numbers alike.
 *
 * The round function is a 32-bit integer mix, not a cryptographic hash: a placement of a million rows
 * numbers them in milliseconds, and an outsider sees only the numbers of their own accounts.
 */
import { createHmac } from 'node:crypto';

const HALF = 100_000;

/** Four round keys from the lookup key. */
export function agencyNumberKey(lookupKey: string): number[] {
  const bytes = createHmac('sha256', Buffer.from(lookupKey, 'base64')).update('collectkit/agency-number').digest();
  return [0, 4, 8, 12].map((o) => bytes.readUInt32BE(o));
}

/** A 32-bit mixer (lowbias32). */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The permuted value of `id` (0 ≤ id < 10^10). */
export function permuteId(id: number, key: number[]): number {
  let l = Math.floor(id / HALF) % HALF;
  let r = id % HALF;
  for (const k of key) {
    const next = (l + (mix(r ^ k) % HALF)) % HALF;
    l = r;
    r = next;
  }
  return l * HALF + r;
}

/** `NR` + 10 digits for the account row `id`. */
export const generatedAgencyNumber = (id: number, key: number[]) => `NR${String(permuteId(id, key)).padStart(10, '0')}`;
