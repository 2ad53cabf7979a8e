/**
 * Access-token checks (api/platform/auth/tokens.ts). Verified tokens are remembered until they
 * expire; remembering must never widen what is accepted: not past the expiry, not under another
 * secret, not with a changed signature.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../../api/platform/auth/tokens.js';

const SECRET = 'a'.repeat(48);
const OTHER_SECRET = 'b'.repeat(48);

describe('access tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts a valid token, again from memory, with the same claims', async () => {
    const token = await signAccessToken({ sub: 'usr_1', sid: 'ses_1' }, SECRET, 60);
    expect(await verifyAccessToken(token, SECRET)).toEqual({ sub: 'usr_1', sid: 'ses_1' });
    expect(await verifyAccessToken(token, SECRET)).toEqual({ sub: 'usr_1', sid: 'ses_1' });
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-24T10:00:00Z'));
    const token = await signAccessToken({ sub: 'usr_2', sid: 'ses_2' }, SECRET, 60);
    expect(await verifyAccessToken(token, SECRET)).not.toBeNull();
    vi.setSystemTime(new Date('2026-11-24T10:00:59Z'));
    expect(await verifyAccessToken(token, SECRET)).not.toBeNull();
    vi.setSystemTime(new Date('2026-11-24T10:01:00Z'));
    expect(await verifyAccessToken(token, SECRET)).toBeNull();
  });

  it('refuses a remembered token under another secret', async () => {
    const token = await signAccessToken({ sub: 'usr_3', sid: 'ses_3' }, SECRET, 60);
    expect(await verifyAccessToken(token, SECRET)).not.toBeNull();
    expect(await verifyAccessToken(token, OTHER_SECRET)).toBeNull();
  });

  it('refuses a remembered token with a changed signature or payload', async () => {
    const token = await signAccessToken({ sub: 'usr_4', sid: 'ses_4' }, SECRET, 60);
    expect(await verifyAccessToken(token, SECRET)).not.toBeNull();
    const [header, payload, signature] = token.split('.');
    const flipped = signature!.slice(0, -2) + (signature!.endsWith('AA') ? 'BB' : 'AA');
    expect(await verifyAccessToken(`${header}.${payload}.${flipped}`, SECRET)).toBeNull();
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'usr_admin' })).toString('base64url');
    expect(await verifyAccessToken(`${header}.${otherPayload}.${signature}`, SECRET)).toBeNull();
  });
});
