/**
 * Public ids are opaque and prefixed (`acct_…`, `usr_…`), never the sequential primary key.
 * 16 random bytes in Crockford-like base32 lower case: 26 characters, not guessable.
 */
import { pooledRandomBytes } from './crypto.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export type IdPrefix = string;

export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function newId(prefix: IdPrefix, random: () => Uint8Array = () => pooledRandomBytes(16)): string {
  return `${prefix}_${encodeBase32(random())}`;
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return id.startsWith(`${prefix}_`) && id.length > prefix.length + 1;
}
