/**
 * Personal data at rest: AES-256-GCM for values we must be able to read back (SSN), and a keyed
 * HMAC for values we only need to find by exact match. Keys come from config, never from the DB.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolUsed = POOL_BYTES;

/**
 * `n` bytes from the same CSPRNG as randomBytes, drawn from a pool refilled 4 KB at a time (as
 * node's own randomUUID does): a bulk placement needs three random values per row, and one call
 * into the CSPRNG per value cost more than the rest of the id. The bytes are a copy (callers may keep them).
 */
export function pooledRandomBytes(n: number): Buffer {
  if (n > POOL_BYTES / 4) return randomBytes(n);
  if (poolUsed + n > POOL_BYTES) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = Buffer.from(pool.subarray(poolUsed, poolUsed + n));
  // Used bytes are not handed out again: the next draw starts after them.
  poolUsed += n;
  return out;
}

/** Keys come as base64 from config: decoded once, not per value (a bulk placement encrypts every row). */
const decodedKeys = new Map<string, Buffer>();
function keyBytes(keyBase64: string): Buffer {
  let key = decodedKeys.get(keyBase64);
  if (!key) {
    key = Buffer.from(keyBase64, 'base64');
    if (decodedKeys.size < 16) decodedKeys.set(keyBase64, key);
  }
  return key;
}

export function encrypt(plain: string, keyBase64: string): string {
  const key = keyBytes(keyBase64);
  const iv = pooledRandomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
}

export function decrypt(sealed: string, keyBase64: string): string {
  const [iv, tag, data] = sealed.split('.').map((s) => Buffer.from(s, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv!);
  decipher.setAuthTag(tag!);
  return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
}

export function lookupHash(value: string, keyBase64: string): string {
  return createHmac('sha256', keyBytes(keyBase64)).update(value).digest('hex');
}

export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
