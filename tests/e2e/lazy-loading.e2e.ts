/**
 * The drop-in bundle registers elements lazily, on an agency's page on another origin, exactly as
 * agencies embed it (one script tag from the API origin, a CSP that allows that origin): a page
 * loads only the chunks its elements need — what scripts/bundle-size.ts counts, file for file —
 * and an element added later, one inside another widget's shadow root, and one inside the agency's
 * own shadow root (through `discover`) all get defined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPResponse, Page } from 'puppeteer-core';
import { startDemoSite, type DemoSite } from './harness.js';
import { bundleSizes } from '../../scripts/bundle-size.js';

/** dist files (relative to /widgets/) the page fetched, and their responses. */
function recordWidgetFiles(page: Page, api: string): Map<string, HTTPResponse> {
  const files = new Map<string, HTTPResponse>();
  page.on('response', (res) => {
    const url = res.url();
    if (url.startsWith(`${api}/widgets/`) && !url.endsWith('.map')) files.set(url.slice(`${api}/widgets/`.length), res);
  });
  return files;
}

describe('lazy element registration from the one script tag', () => {
  let site: DemoSite;
  let agency: Server;
  let agencyUrl: string;
  /** the agency's page: `body` inside it, the bundle from the API origin */
  let pages: Record<string, string>;

  beforeAll(async () => {
    site = await startDemoSite();
    const api = site.url;
    const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Agency</title>
<script type="module" src="${api}/widgets/collectkit.js" data-api="${api}"></script></head><body>${body}</body></html>`;
    pages = {
      '/search.html': page('<main><ck-account-search id="search"></ck-account-search><div id="later"></div></main>'),
      '/foundation.html': page('<ck-portal><ck-login></ck-login><ck-account-search></ck-account-search><ck-account-pane></ck-account-pane></ck-portal>'),
    };
    // Another origin (another port), with the CSP an agency needs: scripts from itself and the API.
    agency = createServer((req, res) => {
      const html = pages[req.url ?? ''];
      if (!html) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': `script-src 'self' ${api}` }).end(html);
    }).listen(0, '127.0.0.1');
    await new Promise((r) => agency.once('listening', r));
    agencyUrl = `http://localhost:${(agency.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await site.close(); // the browser first: its keep-alive connections would hold the agency server open
    agency.closeAllConnections();
    await new Promise((r) => agency.close(r));
  });

  it('a page with only <ck-account-search> loads its chunks and no others; later elements load when added', async () => {
    const page = await site.newPage();
    const fetched = recordWidgetFiles(page, site.url);
    await page.goto(`${agencyUrl}/search.html`, { waitUntil: 'networkidle0' });

    await page.waitForFunction(() => document.querySelector('ck-account-search')?.shadowRoot?.textContent?.includes('Sign in to search accounts.'));
    const expected = bundleSizes('dist', ['ck-account-search']).foundation.files;
    expect([...fetched.keys()].sort()).toEqual(expected);
    const graph = bundleSizes('dist', ['ck-pay-form']).foundation.files;
    const payFormChunk = graph.find((f) => !expected.includes(f) && f.startsWith('chunks/pay-form-'))!;
    expect(payFormChunk).toBeTruthy();
    expect(fetched.has(payFormChunk)).toBe(false);
    expect(await page.evaluate(() => ['ck-login', 'ck-pay-form', 'ck-pay-button'].map((t) => Boolean(customElements.get(t))))).toEqual([false, false, false]);

    // Served for a cross-origin module load: JavaScript, CORS, hashed chunks immutable.
    for (const [file, res] of fetched) {
      expect(res.status(), file).toBe(200);
      expect(res.headers()['content-type'], file).toBe('text/javascript; charset=utf-8');
      expect(res.headers()['access-control-allow-origin'], file).toBe('*');
      if (file.startsWith('chunks/')) expect(res.headers()['cache-control'], file).toContain('immutable');
    }

    // Added later, nested in new markup: the observer finds it. The pay button renders a
    // <ck-pay-form> in its own shadow root, which the document observer cannot see: it is defined
    // because pay-button's chunk imports pay-form's.
    await page.evaluate(() => {
      document.getElementById('later')!.innerHTML = '<section><ck-login></ck-login><p><ck-pay-button></ck-pay-button></p></section>';
    });
    await page.waitForFunction(() => document.querySelector('ck-login')?.shadowRoot?.querySelector('form'));
    await page.waitForFunction(() => {
      const form = document.querySelector('ck-pay-button')?.shadowRoot?.querySelector('ck-pay-form');
      return Boolean(form && form instanceof customElements.get('ck-pay-form')! && form.shadowRoot?.querySelector('h2'));
    });
    expect(fetched.has(payFormChunk)).toBe(true);

    // In the agency's own shadow root: invisible to the observer until the page calls discover().
    // (A string, not a function: vitest would rewrite the function's import() for Node.) An element
    // the pay flow does not load (it embeds ck-dispute-form since issue 18): ck-report-viewer.
    const registered = await page.evaluate(`(async () => {
      const host = document.createElement('div');
      host.attachShadow({ mode: 'open' }).innerHTML = '<ck-report-viewer></ck-report-viewer>';
      document.body.append(host);
      await new Promise((r) => setTimeout(r, 300));
      const before = Boolean(customElements.get('ck-report-viewer'));
      const { discover } = await import('${site.url}/widgets/collectkit.js');
      discover(host.shadowRoot);
      await customElements.whenDefined('ck-report-viewer');
      return { before, upgraded: Boolean(host.shadowRoot.querySelector('ck-report-viewer').shadowRoot) };
    })()`);
    expect(registered).toEqual({ before: false, upgraded: true });
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    await page.close();
  });

  it("issue 2's four elements load exactly the files the benchmark counts", async () => {
    const page = await site.newPage();
    const fetched = recordWidgetFiles(page, site.url);
    await page.goto(`${agencyUrl}/foundation.html`, { waitUntil: 'networkidle0' });
    await page.waitForFunction(() => ['ck-portal', 'ck-login', 'ck-account-search', 'ck-account-pane'].every((t) => customElements.get(t)));
    expect([...fetched.keys()].sort()).toEqual(bundleSizes('dist').foundation.files);
    // The login form works through the portal's context, although ck-login upgraded after it.
    await page.waitForFunction(() => document.querySelector('ck-login')?.shadowRoot?.querySelector('form'));
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    await page.close();
  });
});
