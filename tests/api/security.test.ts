import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { createApp } from '../../api/app.js';
import { redactForLog } from '../../api/platform/http/problem.js';

const AGENCY_ORIGIN = 'https://www.northwind-recovery.example';

describe.each(DIALECTS)('hardening (%s)', (dialect) => {
  let api: TestApi;
  /** the same database behind an app configured like production: registered origins, a low auth limit, the demo pages */
  let strictServer: Server;
  let strict: string;

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 10 });
    const config = { ...api.config, corsOrigins: [AGENCY_ORIGIN], authRateLimit: { perIp: 6, windowMs: 60_000 } };
    strictServer = createApp({ db: api.db, config }, { serveDemoSite: true }).listen(0, '127.0.0.1');
    await new Promise((r) => strictServer.once('listening', r));
    strict = `http://127.0.0.1:${(strictServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => strictServer.close(r));
    await api.close();
  });

  it('API responses carry a deny-all CSP and the usual security headers, errors too', async () => {
    for (const res of [await api.request('/health'), await api.request('/me'), await api.request('/nope')]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
    }
  });

  it('our pages get a CSP: own scripts + the exact inline scripts, framed only by registered origins', async () => {
    // place.html: a demo page with an inline module script (index.html is one element and no inline script)
    const res = await fetch(`${strict}/place.html`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-ancestors 'self' ${AGENCY_ORIGIN}`);
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!;
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).not.toContain('*');
    const html = readFileSync(new URL('../../demo-site/place.html', import.meta.url), 'utf8');
    const inline = /<script type="module">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`);
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  });

  it('a known path with another method is a 405 problem+json naming the allowed methods', async () => {
    const res = await api.request('/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.body).toMatchObject({ status: 405, code: 'method_not_allowed', title: 'Method Not Allowed', requestId: expect.any(String) });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('what the HTTP parser refuses (a 20 KB URL, a malformed request) is problem+json too', async () => {
    const long = await fetch(`${api.url}/api/v1/accounts?name=${'A'.repeat(20_000)}`);
    expect(long.status).toBe(431);
    expect(long.headers.get('content-type')).toBe('application/problem+json');
    expect(await long.json()).toMatchObject({ status: 431, code: 'headers_too_large', requestId: expect.stringMatching(/^req_/) });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(api.url).port), '127.0.0.1', () => socket.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('Content-Type: application/problem+json');
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 400, code: 'malformed_request' });
  });

  it('HEAD on a page carries the same CSP and type as GET', async () => {
    for (const path of ['/', '/pay.html']) {
      const get = await fetch(`${strict}${path}`);
      const head = await fetch(`${strict}${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      expect(head.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(head.headers.get('content-security-policy'), path).toBe(get.headers.get('content-security-policy'));
      expect(head.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(head.headers.get('content-length'), path).toBe(get.headers.get('content-length'));
      expect(await head.text()).toBe('');
    }
  });

  it('the development default CORS_ORIGINS=* never lets any page frame ours (pages and the card frame)', async () => {
    expect(api.config.corsOrigins).toEqual(['*']);
    const open = createApp({ db: api.db, config: api.config }, { serveDemoSite: true }).listen(0, '127.0.0.1');
    await new Promise((r) => open.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(open.address() as AddressInfo).port}`;
      for (const path of ['/', '/api/v1/pay/frame']) {
        const csp = (await fetch(`${base}${path}`)).headers.get('content-security-policy')!;
        const ancestors = csp.split('; ').find((d) => d.startsWith('frame-ancestors'));
        expect(ancestors, path).toBe("frame-ancestors 'self'");
      }
      // with registered origins: this origin plus those
      const frame = (await fetch(`${strict}/api/v1/pay/frame`)).headers.get('content-security-policy')!;
      expect(frame).toContain(`frame-ancestors 'self' ${AGENCY_ORIGIN};`);
    } finally {
      await new Promise((r) => open.close(r));
    }
  });

  it('CORS answers registered origins only: not unknown ones, never `null`', async () => {
    const from = (origin: string, method = 'GET') =>
      fetch(`${strict}/api/v1/health`, { method, headers: { Origin: origin, ...(method === 'OPTIONS' ? { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } : {}) } });
    expect((await from(AGENCY_ORIGIN)).headers.get('access-control-allow-origin')).toBe(AGENCY_ORIGIN);
    const pre = await from(AGENCY_ORIGIN, 'OPTIONS');
    expect(pre.headers.get('access-control-allow-origin')).toBe(AGENCY_ORIGIN);
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    for (const origin of ['https://evil.example', 'null', `${AGENCY_ORIGIN}.evil.example`, 'http://www.northwind-recovery.example']) {
      expect((await from(origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
      expect((await from(origin, 'OPTIONS')).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    // even the development default (`*`) never echoes `null`
    const res = await api.request('/health', { headers: { Origin: 'null' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rate-limits the sign-in doors per IP, across doors, with Retry-After', async () => {
    await api.db('rate_limits').delete(); // the per-IP budget is shared with the other requests of this file
    const post = (path: string, body: unknown) => fetch(`${strict}/api/v1${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/auth/login', { username: `ip.guess${i}`, password: 'x' })).status);
    for (let i = 0; i < 3; i++) statuses.push((await post('/auth/forgot-password', { email: `guess${i}@example.test` })).status);
    expect(statuses).toEqual([401, 401, 401, 202, 202, 202]);
    for (const [path, body] of [
      ['/auth/login', { username: 'demo.agency', password: 'Northwind-Admin-2026!' }],
      ['/auth/forgot-password', { email: 'a@example.test' }],
      ['/auth/reset-password', { token: 'x'.repeat(40), newPassword: 'Whatever-Pass-2026' }],
      ['/auth/mfa/verify', { challengeToken: 'x'.repeat(40), code: '123456' }],
      ['/auth/embed', { token: 'x'.repeat(40) }],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, path).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // the counters store no IP address in clear
    const buckets = await api.db('rate_limits').pluck('bucket');
    expect(buckets.every((b: string) => /^[0-9a-f]{64}$/.test(b))).toBe(true);
    await api.db('rate_limits').delete();
  });

  it('concurrent hits on one budget never fail: each is answered or limited, none is a 500', async () => {
    await api.db('rate_limits').delete();
    const results = await Promise.all(Array.from({ length: 14 }, (_, i) =>
      fetch(`${strict}/api/v1/auth/forgot-password`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: `burst${i}@example.test` }) }).then((r) => r.status)));
    expect(results.filter((s) => s !== 202 && s !== 429), JSON.stringify(results)).toEqual([]);
    const accepted = results.filter((s) => s === 202).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(6);
    const [{ hits }] = await api.db('rate_limits').select('hits');
    expect(hits).toBe(14);
    await api.db('rate_limits').delete();
  });

  it('limits request bodies: 413 problem+json, not a crash', async () => {
    const res = await api.request('/auth/login', { rawBody: JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('body_too_large');
  });

  it('login: unknown user and wrong password take about the same time', async () => {
    // Interleaved, after a warm-up, compared by median: the machine is shared, single samples are noise.
    const time = async (username: string, i: number) => {
      const t = performance.now();
      expect((await api.request('/auth/login', { body: { username, password: `Wrong-${i}-pass` } })).status).toBe(401);
      return performance.now() - t;
    };
    await time('nobody.at.all', 0);
    await time('demo.group', 0);
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 1; i <= 8; i++) {
      unknown.push(await time('nobody.at.all', i));
      known.push(await time('demo.group', i));
      if (i % 4 === 0) await api.db('login_throttle').delete();
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [u, k] = [median(unknown), median(known)];
    expect(Math.abs(u - k), `unknown ${u.toFixed(1)} ms vs known ${k.toFixed(1)} ms`).toBeLessThan(Math.max(30, Math.min(u, k)));
  });

  it('unexpected database errors are logged without the values bound into the query', async () => {
    const secret = 'very-secret-value@example.test';
    let error: unknown;
    try {
      const row = await api.db('users').first();
      await api.db('users').insert({ ...row, id: undefined, email: secret, publicId: row.publicId });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).toContain(secret); // the driver does quote it …
    const logged = redactForLog(error);
    expect(logged).not.toContain(secret); // … the log line does not
    expect(logged).not.toContain('$scrypt');
    expect(logged).toMatch(/UNIQUE|Duplicate|ER_DUP_ENTRY/i);
  });
});
