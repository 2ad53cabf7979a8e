/**
 * Issue 17, items 4 and 13.
 * - TRUST_PROXY is a number of proxy hops: only the entries those proxies appended to X-Forwarded-For
 *   count, so a caller cannot pick the IP every rate limit is keyed on by writing the header itself.
 * - Debtor identity checks are throttled by what is being guessed (DOB + ZIP, the account number)
 *   from any IP, not only per IP; and the hard lock is per (identifier, source), so strangers can no
 *   longer lock a debtor out with five wrong DOBs — they get a soft, short back-off at most.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { createApp } from '../../api/app.js';
import { parseTrustProxy } from '../../api/config.js';
import { PAY_THROTTLE } from '../../api/pay/pay-throttle.js';
import { payableAccounts, type PayableAccount } from './pay-helpers.js';

// What the old code read: with it, the leftmost (caller-written) entry was the client IP.
process.env.TRUST_PROXY = '1';

describe.each(DIALECTS)('client IP behind a proxy, identity throttles (%s)', (dialect) => {
  let api: TestApi;
  let server: Server;
  let base: string;
  let accounts: PayableAccount[];

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    const config = { ...api.config, trustProxyHops: 1, authRateLimit: { perIp: 6, windowMs: 60_000 } };
    server = createApp({ db: api.db, config }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    accounts = await payableAccounts(api, 3);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await api.close();
  });

  /** `proxySaw`: the address our one proxy appends; `spoofed`: what the caller wrote before it */
  const post = (path: string, body: unknown, proxySaw: string, spoofed?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': spoofed ? `${spoofed}, ${proxySaw}` : proxySaw },
    });

  it('TRUST_PROXY is a hop count; `true` and nonsense are refused at start', () => {
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy('0')).toBe(0);
    expect(parseTrustProxy('2')).toBe(2);
    expect(() => parseTrustProxy('true')).toThrow(/number of reverse proxies/);
    expect(() => parseTrustProxy('1,2')).toThrow(/number of reverse proxies/);
  });

  it('rotating the leftmost X-Forwarded-For does not escape the per-IP sign-in limit', async () => {
    await api.db('rate_limits').delete();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post('/auth/login', { username: `spoof.${i}`, password: 'x' }, '198.51.100.20', `10.9.${i}.${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429, 429]);
    // the audit trail names the address the proxy saw, not the caller's invention
    const ips = await api.db('audit_log').where({ action: 'auth.login_failed' }).whereRaw('after_json like ?', ['%spoof.%']).distinct().pluck('ip');
    expect(ips).toEqual(['198.51.100.20']);
    // another client behind the same proxy has its own budget
    expect((await post('/auth/login', { username: 'spoof.other', password: 'x' }, '198.51.100.21')).status).toBe(401);
    await api.db('rate_limits').delete();
  });

  it('guessing SSN last 4 for a known DOB + ZIP from many IPs hits a 429 by DOB + ZIP', async () => {
    await api.db('pay_throttle').delete();
    const a = accounts[0]!;
    const wrongLast4 = Array.from({ length: 40 }, (_, i) => String(1000 + i)).filter((s) => s !== a.ssnLast4);
    const statuses: number[] = [];
    for (const [i, ssnLast4] of wrongLast4.slice(0, PAY_THROTTLE.global.maxFailures + 3).entries()) {
      statuses.push((await post('/pay/session/identity', { ssnLast4, dob: a.dob, zip: a.zip.slice(0, 5) }, `203.0.113.${i + 1}`)).status);
    }
    expect(statuses.slice(0, PAY_THROTTLE.global.maxFailures)).toEqual(Array(PAY_THROTTLE.global.maxFailures).fill(404));
    expect(statuses.slice(PAY_THROTTLE.global.maxFailures)).toEqual([429, 429, 429]);
    // nothing of the DOB or ZIP is stored in clear in the counters
    const keys = (await api.db('pay_throttle').pluck('key')) as string[];
    expect(keys.join(' ')).not.toContain(a.dob);
    expect(keys.join(' ')).not.toContain(a.zip.slice(0, 5));
    await api.db('pay_throttle').delete();
  });

  it('five wrong DOBs lock that source out, not the debtor; strangers from many IPs get a short back-off only', async () => {
    await api.db('pay_throttle').delete();
    const a = accounts[1]!;
    const wrong = { accountNumber: a.agencyAccountNumber, dob: '1901-01-01', zip: a.zip.slice(0, 5) };
    for (let i = 0; i < PAY_THROTTLE.perSource.maxFailures; i++) expect((await post('/pay/session/identity', wrong, '192.0.2.66')).status).toBe(404);
    const lockedOut = await post('/pay/session/identity', { ...wrong, dob: a.dob }, '192.0.2.66');
    expect(lockedOut.status).toBe(429);
    expect(Number(lockedOut.headers.get('retry-after'))).toBeGreaterThan(PAY_THROTTLE.global.lockMs / 1000);
    // the debtor, elsewhere, gets in at once
    const debtor = await post('/pay/session/identity', { ...wrong, dob: a.dob }, '192.0.2.10');
    expect(debtor.status).toBe(201);

    // a stranger spreading wrong DOBs over many addresses: a global back-off of minutes, not a 15-minute lock
    const b = accounts[2]!;
    const wrongB = { accountNumber: b.agencyAccountNumber, dob: '1902-02-02', zip: b.zip.slice(0, 5) };
    for (let i = 0; i < PAY_THROTTLE.global.maxFailures; i++) expect((await post('/pay/session/identity', wrongB, `100.64.0.${i + 1}`)).status).toBe(404);
    const backedOff = await post('/pay/session/identity', { ...wrongB, dob: b.dob }, '192.0.2.11');
    expect(backedOff.status).toBe(429);
    expect(Number(backedOff.headers.get('retry-after'))).toBeLessThanOrEqual(PAY_THROTTLE.global.lockMs / 1000);
    await api.db('pay_throttle').delete();
  });
});
