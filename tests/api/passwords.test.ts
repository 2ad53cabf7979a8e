/**
 * Password hashing (api/platform/auth/passwords.ts): the default cost is one of OWASP's equal scrypt
 * settings, every stored hash names its own parameters, and hashes made with the older 128 MiB
 * setting still verify.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, scryptSync } from 'node:crypto';
import { hashPassword, scryptParallelism, verifyPassword } from '../../api/platform/auth/passwords.js';
import { loadConfig } from '../../api/config.js';

describe('passwords', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-pw-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('defaults to N=2^15, r=8, p=3 (OWASP: equal to N=2^17, p=1, at a quarter of the memory)', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.scryptCost).toBe(2 ** 15);
    const stored = await hashPassword('Correct-Horse-2026!', config.scryptCost);
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '3']);
    expect(await verifyPassword('Correct-Horse-2026!', stored)).toBe(true);
    expect(await verifyPassword('Correct-Horse-2026?', stored)).toBe(false);
  });

  it('follows the OWASP table for p, and p=1 for costs outside it', () => {
    expect([2 ** 17, 2 ** 16, 2 ** 15, 2 ** 14, 2 ** 13, 2 ** 10].map(scryptParallelism)).toEqual([1, 2, 3, 5, 10, 1]);
  });

  it('verifies a hash stored with the earlier default (N=2^17, p=1)', async () => {
    const salt = randomBytes(16);
    const key = scryptSync('Old-Default-2026!'.normalize('NFKC'), salt, 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 300 * 1024 * 1024 });
    const stored = ['scrypt', 2 ** 17, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    expect(await verifyPassword('Old-Default-2026!', stored)).toBe(true);
    expect(await verifyPassword('old-default-2026!', stored)).toBe(false);
  });
});
