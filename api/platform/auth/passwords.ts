/**
 * Password hashing with scrypt (node:crypto). OWASP's password storage cheat sheet lists five equal
 * settings that trade memory for passes: N=2^17 p=1 (128 MiB), 2^16 p=2, 2^15 p=3 (32 MiB), 2^14 p=5,
 * 2^13 p=10, all with r=8. We use N=2^15, p=3 by default: the same work, a quarter of the memory per
 * check, so ten simultaneous sign-ins take 320 MiB of native memory rather than 1.3 GiB (and one no
 * longer pushes the API process past its memory budget). The cost setting is N; p follows the table.
 * Stored as `scrypt$N$r$p$salt$hash` so the cost can change without breaking old hashes.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

/** OWASP's equivalent (N, p) pairs at r=8; a cost not in the table (tests use tiny ones) gets p=1. */
const OWASP_PARALLELISM: Record<number, number> = { [2 ** 17]: 1, [2 ** 16]: 2, [2 ** 15]: 3, [2 ** 14]: 5, [2 ** 13]: 10 };
export const scryptParallelism = (N: number) => OWASP_PARALLELISM[N] ?? 1;

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const r = 8;
  const p = scryptParallelism(cost);
  const key = await scrypt(password, salt, { N: cost, r, p, maxmem: maxmem(cost, r) });
  return ['scrypt', cost, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n);
  const R = Number(r);
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), { N, r: R, p: Number(p), maxmem: maxmem(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummyHash: Promise<string> | undefined;
/**
 * Verify against a throw-away hash of the same cost, so "no such user" takes as long as
 * "wrong password" and timing reveals nothing.
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<void> {
  dummyHash ??= hashPassword('collectkit-timing-equaliser', cost);
  await verifyPassword(password, await dummyHash);
}
