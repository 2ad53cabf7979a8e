/**
 * How the API serves the code-split widget bundle (api/platform/http/static.ts): every file at
 * /widgets/* with a JavaScript type and CORS (module scripts and their import()s from an agency's
 * origin are CORS requests), hashed chunks cached immutable, the unhashed entry revalidated on each
 * use. No database is involved: a bare Koa app over a folder laid out like dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveWidgets } from '../../api/platform/http/static.js';

describe('the widget bundle at /widgets', () => {
  let dir: string;
  let server: Server;
  let base: string;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { Origin: 'https://agency.example', ...headers } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-widgets-'));
    for (const sub of ['chunks', 'elements']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'collectkit.js'), 'import "./chunks/core-Ab_C-d12.js";');
    writeFileSync(join(dir, 'chunks/core-Ab_C-d12.js'), 'export const a = 1;');
    writeFileSync(join(dir, 'chunks/core-Ab_C-d12.js.map'), '{}');
    writeFileSync(join(dir, 'chunks/notes.txt'), 'not a hashed chunk');
    writeFileSync(join(dir, 'elements/ck-login.js'), 'export * from "../chunks/core-Ab_C-d12.js";');
    writeFileSync(join(dir, 'bundle-graph.json'), '{}');
    const app = new Koa();
    app.use(serveWidgets(dir));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves hashed chunks as JavaScript, to any origin, cacheable for a year without revalidation', async () => {
    const res = await get('/widgets/chunks/core-Ab_C-d12.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('export const a = 1;');
    expect((await get('/widgets/chunks/core-Ab_C-d12.js.map')).headers.get('cache-control')).toContain('immutable');
  });

  it('revalidates everything not content-hashed: the entry, the element modules, other files', async () => {
    for (const path of ['/widgets/collectkit.js', '/widgets/elements/ck-login.js', '/widgets/chunks/notes.txt', '/widgets/bundle-graph.json']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=0, must-revalidate');
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(res.headers.get('last-modified'), path).toBeTruthy();
    }
    expect((await get('/widgets/elements/ck-login.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers an unchanged entry with 304 and no body, a changed one with the new file', async () => {
    const first = await get('/widgets/collectkit.js');
    const since = first.headers.get('last-modified')!;
    // As a browser revalidates. (Without a Cache-Control of its own, fetch() adds `no-cache` to a
    // conditional request, which rightly forbids a 304.)
    const revalidate = { 'Cache-Control': 'max-age=0' };
    const again = await get('/widgets/collectkit.js', { ...revalidate, 'If-Modified-Since': since });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('access-control-allow-origin')).toBe('*');
    const older = new Date(Date.parse(since) - 60_000).toUTCString();
    const changed = await get('/widgets/collectkit.js', { ...revalidate, 'If-Modified-Since': older });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('core-Ab_C-d12.js');
  });

  it('serves nothing outside the folder and nothing that is not there', async () => {
    expect((await get('/widgets/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get('/widgets/chunks/missing-AAAAAAAA.js')).status).toBe(404);
    expect((await get('/widgets/%E0%A4%A.js')).status).toBe(404);
  });
});
