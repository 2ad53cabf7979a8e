/**
 * E2E harness: the real API serving the demo site and the built widget bundle (dist/), on a fresh
 * seeded SQLite database, and Debian's Chromium driven by puppeteer-core.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { testConfig, type Config } from '../../api/config.js';
import { createDb, migrateLatest, type Db } from '../../api/platform/db.js';
import { createApp } from '../../api/app.js';
import { seed } from '../../api/seed/seed.js';
import '../../api/jobs-registry.js';
import { startWorker } from '../../api/platform/jobs.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

export interface DemoSite {
  url: string;
  config: Config;
  db: Db;
  browser: Browser;
  newPage: () => Promise<Page>;
  close: () => Promise<void>;
}

export async function startDemoSite(options: { accounts?: number; worker?: boolean; config?: Partial<Config> } = {}): Promise<DemoSite> {
  if (!existsSync('dist/collectkit.js')) throw new Error('dist/collectkit.js is missing: run `npm run build` first (npm test does)');
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-e2e-'));
  const config = testConfig({ dataDir, ...options.config });
  const db = createDb('', dataDir);
  await migrateLatest(db);
  await seed(db, config, { accounts: options.accounts ?? 400 });
  const server = createApp({ config, db }, { serveDemoSite: true }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Background jobs (bulk placement runs), as `serve` runs them, for the tests that need them.
  const worker = options.worker ? startWorker({ config, db }, { intervalMs: 200 }) : null;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    url, config, db, browser,
    newPage: async () => {
      const page = await browser.newPage();
      // No smooth scrolling: a click must not land while the page is still moving under the pointer.
      await page.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: 'reduce' }]);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(String(err)));
      (page as Page & { jsErrors: string[] }).jsErrors = errors;
      // What the page asked the server and what went wrong, for explain() when a wait times out.
      const network: string[] = [];
      page.on('requestfailed', (req) => network.push(`failed ${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
      page.on('response', (res) => network.push(`${res.status()} ${res.request().method()} ${res.url()}`));
      page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warn') network.push(`console.${msg.type()}: ${msg.text()}`); });
      (page as Page & { network: string[] }).network = network;
      return page;
    },
    close: async () => {
      await browser.close();
      await worker?.stop();
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What a page showed and asked for, to attach to a timeout: the last requests with their status,
 * console errors, page errors and the text the given elements show in their shadow roots.
 */
export async function explain(page: Page, tags: string[]): Promise<string> {
  const shown = await page.evaluate((names: string[]) => names.map((n) => {
    // also inside the composite elements' shadow roots (ck-client-portal, ck-agency-console)
    const find = (root: Document | ShadowRoot): Element | null => {
      const hit = root.querySelector(n);
      if (hit) return hit;
      for (const host of root.querySelectorAll('ck-client-portal, ck-agency-console')) {
        const inner = host.shadowRoot && find(host.shadowRoot);
        if (inner) return inner;
      }
      return null;
    };
    const el = find(document);
    return `${n}: ${el ? (el.shadowRoot?.textContent ?? '(no shadow root)').replace(/\s+/g, ' ').trim().slice(0, 1500) : '(absent)'}`;
  }), tags).catch((e: Error) => [`(evaluate failed: ${e.message})`]);
  const p = page as Page & { network?: string[]; jsErrors?: string[] };
  return [`url: ${page.url()}`, ...shown, `page errors: ${JSON.stringify(p.jsErrors ?? [])}`, 'network (last 40):', ...(p.network ?? []).slice(-40)].join('\n');
}

/**
 * Finds `selector` (puppeteer's `>>>` through shadow roots), polling: waitForSelector watches the
 * document's mutations only, so a change deep inside nested shadow roots (the composite elements
 * hold the others in theirs) can go unnoticed until something else in the page moves.
 */
export async function deepSelector(page: Page, selector: string, { timeout = 30_000, visible = false }: { timeout?: number; visible?: boolean } = {}): Promise<ElementHandle<Element>> {
  const until = performance.now() + timeout;
  for (;;) {
    const el = await page.$(selector);
    if (el && (!visible || (await el.isVisible()))) return el;
    if (performance.now() > until) throw new Error(`${selector} did not appear within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Types into an input found through shadow roots (puppeteer's `>>>` deep combinator). */
export async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const el = await deepSelector(page, selector, { visible: true });
  await el.click({ count: 3 });
  await el.type(text);
}

/** The statuses shown, in order, for the plan's instalments or the loose payments. */
export const statuses = (page: Page, list: 'plan' | 'payments') => page.$eval('ck-pay-form', (el, which) => {
  const root = el.shadowRoot!;
  const box = which === 'plan' ? root.querySelector('[part~=plan]') : root.querySelector('section[aria-labelledby=payments-title]');
  return [...(box?.querySelectorAll('li strong') ?? [])].map((s) => s.textContent!.trim());
}, list);

/** Every text a person sees: the page, every shadow root inside it, and the card frame. */
export async function visibleText(page: Page): Promise<string> {
  const outer = await page.evaluate(() => {
    const walk = (root: Document | ShadowRoot | Element): string => {
      let out = '';
      for (const node of root.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) out += ` ${node.textContent}`;
        else if (node instanceof Element) {
          if (['SCRIPT', 'STYLE'].includes(node.tagName)) continue;
          if (node instanceof HTMLElement && node.offsetParent === null && getComputedStyle(node).position !== 'fixed' && node.tagName !== 'BODY') continue;
          out += walk(node);
          if (node.shadowRoot) out += walk(node.shadowRoot);
          for (const attr of ['placeholder', 'aria-label', 'title']) if (node.getAttribute(attr)) out += ` ${node.getAttribute(attr)}`;
        }
      }
      return out;
    };
    return `${document.title} ${walk(document.body)}`;
  });
  const frame = page.frames().find((f) => f.url().includes('/api/v1/pay/frame'));
  const inner = frame ? await frame.evaluate(() => document.body.innerText).catch(() => '') : '';
  return `${outer} ${inner}`.replace(/\s+/g, ' ');
}
