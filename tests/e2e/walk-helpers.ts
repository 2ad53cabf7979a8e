/**
 * Shared steps of the hand-driven walks (walk-*.e2e.ts): the two sizes, finding and clicking controls
 * through nested shadow roots (checking each is on screen and not covered or clipped before it is
 * clicked), axe-core and an overflow check on every view, screenshots, downloads, and API set-up.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { deepSelector, type DemoSite } from './harness.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const SHOTS = 'tests/e2e/screenshots';
export const CP = 'ck-client-portal';
export const AC = 'ck-agency-console';
export const CLIENT = { username: 'demo.client', password: 'Cascade-Demo-2026!' };
export const AGENCY = { username: 'demo.agency', password: 'Northwind-Admin-2026!' };

export const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Size = (typeof SIZES)[number];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A page at `size`, with CSP bypassed (to add axe-core) and downloads saved to a fresh folder. */
export async function openPage(site: DemoSite, size: Size): Promise<{ page: Page; downloads: string }> {
  mkdirSync(SHOTS, { recursive: true });
  const page = await site.newPage();
  await page.setViewport({ width: size.width, height: size.height });
  await page.setBypassCSP(true);
  const downloads = mkdtempSync(join(tmpdir(), 'ck-walk-dl-'));
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
  return { page, downloads };
}

export const deep = (page: Page, selector: string, timeout = 20_000) => deepSelector(page, selector, { timeout });

/** Waits until the element at `selector` shows `text` (substring). */
export async function waitText(page: Page, selector: string, text: string | RegExp, timeout = 20_000): Promise<string> {
  const until = performance.now() + timeout;
  let last = '';
  for (;;) {
    const el = await page.$(selector);
    last = el ? await el.evaluate((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()) : '(absent)';
    if (el && (typeof text === 'string' ? last.includes(text) : text.test(last))) return last;
    if (performance.now() > until) throw new Error(`${selector} did not show ${String(text)} within ${timeout} ms; it shows: ${last.slice(0, 400)}`);
    await sleep(100);
  }
}

/** Waits until `selector` is gone. */
export async function waitGone(page: Page, selector: string, timeout = 20_000): Promise<void> {
  const until = performance.now() + timeout;
  while (await page.$(selector)) {
    if (performance.now() > until) throw new Error(`${selector} still there after ${timeout} ms`);
    await sleep(100);
  }
}

/**
 * Brings the control into view as a person would scroll to it, then checks that it lies inside the
 * viewport and that the point at its centre hits it (not clipped by a scroll box, nor covered).
 */
export async function onScreen(el: ElementHandle<Element>, what: string): Promise<void> {
  const result = await el.evaluate((node) => {
    node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return `has no size`;
    if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) return `lies outside the viewport (${Math.round(r.left)},${Math.round(r.top)} – ${Math.round(r.right)},${Math.round(r.bottom)})`;
    const x = r.left + Math.min(r.width / 2, 8);
    const y = r.top + r.height / 2;
    let hit: Element | null = document.elementFromPoint(x, y);
    while (hit?.shadowRoot) {
      const inner = hit.shadowRoot.elementFromPoint(x, y);
      if (!inner || inner === hit) break;
      hit = inner;
    }
    for (let h: Node | null = hit; h; h = h.parentNode ?? (h as ShadowRoot).host ?? null) if (h === node) return '';
    // a <label> over its own input, or text inside a button, counts as the control
    if (hit && (node as HTMLElement).contains?.(hit)) return '';
    return `is covered or clipped at its centre by ${hit ? `${hit.localName}.${[...hit.classList].join('.')}` : 'nothing'}`;
  });
  expect(result, `${what} on screen`).toBe('');
}

/** Finds a visible control, checks it is on screen, and clicks it. */
export async function click(page: Page, selector: string, timeout = 20_000): Promise<ElementHandle<Element>> {
  const el = await deepSelector(page, selector, { timeout, visible: true });
  await onScreen(el, selector);
  await el.click();
  return el;
}

/** Clicks the control under `root` (a `>>>` path) whose text is `text`. */
export async function clickText(page: Page, root: string, tag: string, text: string, timeout = 20_000): Promise<void> {
  const until = performance.now() + timeout;
  for (;;) {
    for (const el of await page.$$(`${root} ${tag}`)) {
      if ((await el.evaluate((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim())) === text && (await el.isVisible())) {
        await onScreen(el, `${tag} “${text}”`);
        await el.click();
        return;
      }
    }
    if (performance.now() > until) throw new Error(`no ${tag} “${text}” under ${root}`);
    await sleep(100);
  }
}

export async function typeIn(page: Page, selector: string, text: string): Promise<void> {
  const el = await deepSelector(page, selector, { visible: true });
  await onScreen(el, selector);
  await el.click({ count: 3 });
  await el.type(text);
}

/** Types a date (mmddyyyy) into a date input, month first, as a person types it. */
export async function typeDate(page: Page, selector: string, mmddyyyy: string): Promise<void> {
  const el = await deepSelector(page, selector, { visible: true });
  await onScreen(el, selector);
  await el.focus();
  await el.type(mmddyyyy);
  expect(await el.evaluate((i) => (i as HTMLInputElement).value), `${selector} holds the date typed`).toBe(`${mmddyyyy.slice(4)}-${mmddyyyy.slice(0, 2)}-${mmddyyyy.slice(2, 4)}`);
}

/** axe-core on the element, shadow roots included: no violations. */
export async function axe(page: Page, host: string, view: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (h) => {
    // Colour contrast is read off the painted colours: let fades and transitions finish first (a row
    // caught half-faded in read as low contrast), but not wait on an endless one such as a spinner.
    const finite = document.getAnimations().filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity));
    await Promise.race([Promise.all(finite.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 3000))]);
    const w = window as unknown as { axe: { run(c: Element, o: object): Promise<{ violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[] }> } };
    const r = await w.axe.run(document.querySelector(h)!, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
  }, host);
  expect(violations, `axe on ${view}`).toEqual([]);
}

/** Elements (shadow roots included) sticking out to the right of the viewport, and the page itself when it scrolls sideways. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const visit = (root: Document | ShadowRoot, path: string) => {
      for (const el of root.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        let clipped = false;
        for (let p = el.parentElement ?? ((el.getRootNode() as ShadowRoot).host as HTMLElement | undefined); p; p = p.parentElement ?? ((p.getRootNode() as ShadowRoot).host as HTMLElement | undefined)) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'hidden' || o === 'scroll' || o === 'clip') { clipped = true; break; }
        }
        if (!clipped && r.width > 0 && r.right > window.innerWidth + 1) out.push(`${path}${el.localName}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
        if (el.shadowRoot) visit(el.shadowRoot, `${path}${el.localName} >>> `);
      }
    };
    visit(document, '');
    // An absolutely positioned descendant escapes a scroll box that is not its containing block: no element
    // above reports it, yet the page scrolls sideways.
    const page = document.documentElement;
    if (page.scrollWidth > page.clientWidth + 1) out.push(`the page scrolls sideways: ${page.scrollWidth} px wide in ${page.clientWidth}`);
    return out.slice(0, 5);
  });
}

/** Screenshot of the whole page, once it has painted, into tests/e2e/screenshots/<name>.png. */
export async function snap(page: Page, name: string, wait = 150): Promise<void> {
  await sleep(wait);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Screenshot of the whole page, named walk-<size>-<step>.png. */
export const shot = (page: Page, size: Size, step: string) => snap(page, `walk-${size.name}-${step}`, 120);

/** The checks of every view: nothing wider than the screen, axe clean, a screenshot. */
export async function view(page: Page, host: string, size: Size, step: string): Promise<void> {
  await page.waitForNetworkIdle({ idleTime: 250, timeout: 10_000 }).catch(() => undefined);
  expect(await overflowing(page), `nothing wider than the ${size.name} screen at ${step}`).toEqual([]);
  await axe(page, host, `${step} (${size.name})`);
  await shot(page, size, step);
}

/** The view heading has focus and reads `text` (focus follows sign-in and navigation). */
export async function heading(page: Page, host: string, text: string): Promise<void> {
  await page.waitForFunction((h, t) => {
    const a = document.querySelector(h)?.shadowRoot?.activeElement;
    return a?.tagName === 'H1' && a.textContent?.trim() === t;
  }, { timeout: 20_000 }, host, text);
}

export async function signIn(page: Page, host: string, who: { username: string; password: string }): Promise<void> {
  await typeIn(page, `${host} >>> ck-login >>> #username`, who.username);
  await typeIn(page, `${host} >>> ck-login >>> #password`, who.password);
  await page.keyboard.press('Enter');
}

export async function signOut(page: Page, host: string): Promise<void> {
  await click(page, `${host} >>> #user-button`);
  await click(page, `${host} >>> [data-action=sign-out]`, 5_000);
  await deep(page, `${host} >>> ck-login >>> #username`);
}

/** Follows a link of the menu bar. */
export async function menu(page: Page, host: string, label: string, title = label): Promise<void> {
  await clickText(page, `${host} >>>`, 'nav a', label);
  await heading(page, host, title);
}

/** Opens an entry of the user menu. */
export async function userMenu(page: Page, host: string, label: string): Promise<void> {
  await click(page, `${host} >>> #user-button`);
  await clickText(page, `${host} >>>`, '#user-menu a', label);
  await heading(page, host, label);
}

/** Waits for a finished download whose name matches, and returns its bytes. */
export async function downloaded(dir: string, name: RegExp, timeout = 20_000): Promise<{ name: string; bytes: Buffer }> {
  const until = performance.now() + timeout;
  for (;;) {
    const files = readdirSync(dir);
    const hit = files.find((f) => name.test(f) && !f.endsWith('.crdownload'));
    if (hit && !files.some((f) => f.endsWith('.crdownload'))) {
      await sleep(100);
      return { name: hit, bytes: readFileSync(join(dir, hit)) };
    }
    if (performance.now() > until) throw new Error(`no download like ${name} in ${dir}: ${files.join(', ')}`);
    await sleep(100);
  }
}

export async function apiLogin(site: DemoSite, who: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${site.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export async function api<T>(site: DemoSite, token: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${site.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const jsErrors = (page: Page) => (page as Page & { jsErrors: string[] }).jsErrors;
