/**
 * The agency console's money and integration areas as staff use them, in real Chromium at 1280×800
 * and 390×844 on agency.html, by clicks and keys (the API only sets up data): make an offer, pause,
 * resume and cancel a debtor's plan (after a confirmation), create an API key and a webhook and see a delivery reach a
 * local receiver and appear in the log, run a report schedule now and open the snapshot. Every view
 * is checked with axe-core and photographed into tests/e2e/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, type DemoSite } from './harness.js';
import { now } from '../../api/platform/clock.js';
import { AC, axe as axeOn, SHOTS, SIZES, snap, type Size } from './walk-helpers.js';


const day = (offset: number) => new Date(now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
/** Typed into a date field as a person does (en-US: month, day, year). */
const typedDate = (iso: string) => `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(0, 4)}`;

/** Waits for `fn` inside the console's shadow root (a function of `root`, the console's shadow root). */
async function until(page: Page, body: string, ...args: unknown[]): Promise<void> {
  await page.waitForFunction(new Function('h', '...a', `const root = document.querySelector(h)?.shadowRoot; if (!root) return false; const q = (el, s) => el?.shadowRoot?.querySelector(s); const qa = (el, s) => [...(el?.shadowRoot?.querySelectorAll(s) ?? [])]; return (${body})(root, ...a);`) as () => boolean, { timeout: 20_000 }, AC, ...args);
}

async function focusedHeading(page: Page, text: string): Promise<void> {
  await until(page, '(root, t) => root.activeElement?.tagName === "H1" && root.activeElement.textContent.trim() === t', text);
}

const axe = (page: Page, view: string) => axeOn(page, AC, view);
const shot = (page: Page, size: Size, view: string) => snap(page, `${size.name}-${view}`);

/** Nothing sticks out to the right of the viewport (tables scroll or become cards inside their region). */
async function widest(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
}

async function view(page: Page, size: Size, title: string, name: string): Promise<void> {
  await focusedHeading(page, title);
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 15_000 }).catch(() => undefined);
  expect(await widest(page), `no sideways scroll on ${name}`).toBeLessThanOrEqual(0);
  await axe(page, `${name} (${size.name})`);
  await shot(page, size, name);
}

async function clickMenu(page: Page, label: string): Promise<void> {
  const link = await page.waitForFunction((h, l) => [...(document.querySelector(h)?.shadowRoot?.querySelectorAll('nav a') ?? [])].find((a) => a.textContent?.trim() === l), {}, AC, label);
  await (link as ElementHandle<HTMLAnchorElement>).click();
}

async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const el = await deepSelector(page, selector, { visible: true });
  await el.click({ count: 3 });
  await el.type(text);
}

const click = async (page: Page, selector: string) => (await deepSelector(page, selector, { visible: true })).click();

async function api<T>(site: DemoSite, token: string | null, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${site.url}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const login = async (site: DemoSite, username: string, password: string) => (await api<{ accessToken: string }>(site, null, '/auth/login', { username, password })).accessToken;

/** A debtor takes a 3-instalment plan offer on the account, as the pay form does. */
async function acceptedPlan(site: DemoSite, agency: string, accountId: string): Promise<string> {
  const offer = await api<{ id: string }>(site, agency, `/agency/accounts/${accountId}/offers`, { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: day(14) });
  const link = await api<{ token: string }>(site, agency, `/agency/accounts/${accountId}/payment-links`, {});
  const { token } = await api<{ token: string }>(site, null, '/pay/session/link', { linkToken: link.token });
  const card = await api<{ id: string }>(site, token, '/pay/methods', { kind: 'card', number: '4242 4242 4242 4242', expMonth: 12, expYear: now().getUTCFullYear() + 4, cvc: '123' });
  const preview = await api<{ agreement: { textHash: string } }>(site, token, `/pay/offers/${offer.id}/preview`, { paymentMethodId: card.id });
  return (await api<{ planId: string }>(site, token, `/pay/offers/${offer.id}/accept`, { paymentMethodId: card.id, agreement: { typedName: 'Pat Debtor', textHash: preview.agreement.textHash } })).planId;
}

describe.each(SIZES)('agency console areas at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let receiver: Server;
  let receiverUrl: string;
  const received: { path: string; type: string }[] = [];
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // the worker delivers webhooks and makes snapshots; webhooks may go to the loopback receiver
    site = await startDemoSite({ accounts: 60, worker: true, config: { webhookAllowPrivate: true } });
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '/', type: String(req.headers['collectkit-event-type'] ?? (JSON.parse(body || '{}') as { type?: string }).type ?? '') });
        res.writeHead(200).end('ok');
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    page = await site.newPage();
    await page.setViewport({ width: size.width, height: size.height });
    await page.setBypassCSP(true); // to add axe-core's script
  });
  afterAll(async () => {
    await site.close();
    await new Promise((r) => receiver.close(r));
  });

  it('offer, plan pause, resume and cancel, API key, webhook with a delivery, Run now and the snapshot — by clicks and keys', async () => {
    onTestFailed(async () => console.error(`[console e2e] ${await explain(page, [AC, 'ck-offer-manager', 'ck-plan-list', 'ck-webhooks', 'ck-report-schedules'])}`));
    const agency = await login(site, 'demo.agency', 'Northwind-Admin-2026!');
    const accounts = (await api<{ data: { id: string; agencyAccountNumber: string; balance: { amountCents: number } }[] }>(site, agency, '/accounts?status=active&pageSize=50')).data.filter((a) => a.balance.amountCents > 20_000);
    const [offerAccount, planAccount] = [accounts[0]!, accounts[1]!];
    const planId = await acceptedPlan(site, agency, planAccount.id);

    await page.goto(`${site.url}/agency.html`, { waitUntil: 'networkidle0' });
    await typeInto(page, `${AC} >>> ck-login >>> #username`, 'demo.agency');
    await typeInto(page, `${AC} >>> ck-login >>> #password`, 'Northwind-Admin-2026!');
    await page.keyboard.press('Enter');
    await focusedHeading(page, 'Inbox');

    // an offer: a settlement of 60 % by a date
    await clickMenu(page, 'Offers');
    await view(page, size, 'Offers and pay settings', 'console-offers');
    await typeInto(page, `${AC} >>> ck-offer-manager >>> #offerAccount`, offerAccount.id);
    await typeInto(page, `${AC} >>> ck-offer-manager >>> #percent`, '60');
    // Tab into the date field: its month segment takes the keys
    await page.keyboard.press('Tab');
    await page.keyboard.type(typedDate(day(10)));
    await click(page, `${AC} >>> ck-offer-manager >>> form[part=form] button[type=submit]`);
    await until(page, '(root) => q(root.querySelector("ck-offer-manager"), "[data-field=message]")?.textContent.includes("settlement offer")');
    const offers = await site.db('offers').join('accounts', 'accounts.id', 'offers.account_id').where('accounts.public_id', offerAccount.id).select('offers.status', 'offers.percent_bps');
    expect(offers).toEqual([{ status: 'open', percentBps: 6000 }]);
    await shot(page, size, 'console-offer-made');

    // a plan cancelled after the confirmation
    await clickMenu(page, 'Plans');
    await view(page, size, 'Payment plans', 'console-plans');
    await typeInto(page, `${AC} >>> ck-plan-list >>> #f-account`, planAccount.id);
    await page.keyboard.press('Enter');
    await until(page, '(root, id) => qa(root.querySelector("ck-plan-list"), "tbody tr").length === 1 && q(root.querySelector("ck-plan-list"), `tr[data-id="${id}"]`)', planId);
    // pause it, see it paused, resume it
    await click(page, `${AC} >>> ck-plan-list >>> tr[data-id="${planId}"] [data-action=pause]`);
    await until(page, '(root, id) => q(root.querySelector("ck-plan-list"), `tr[data-id="${id}"]`)?.getAttribute("data-status") === "paused"', planId);
    await shot(page, size, 'console-plan-paused');
    await click(page, `${AC} >>> ck-plan-list >>> tr[data-id="${planId}"] [data-action=resume]`);
    await until(page, '(root, id) => q(root.querySelector("ck-plan-list"), `tr[data-id="${id}"]`)?.getAttribute("data-status") === "active"', planId);
    await click(page, `${AC} >>> ck-plan-list >>> tr[data-id="${planId}"] [data-action=cancel]`);
    await deepSelector(page, `${AC} >>> ck-plan-list >>> dialog.confirm[open] #confirm-reason`, { visible: true });
    await axe(page, `cancel plan dialog (${size.name})`);
    await shot(page, size, 'console-plan-cancel-dialog');
    await page.keyboard.type('Debtor asked by phone.');
    await page.keyboard.press('Enter');
    await until(page, '(root, id) => q(root.querySelector("ck-plan-list"), `tr[data-id="${id}"]`)?.getAttribute("data-status") === "cancelled"', planId);
    expect(await site.db('payment_plans').where({ public_id: planId }).first('status', 'cancel_reason')).toEqual({ status: 'cancelled', cancelReason: 'Debtor asked by phone.' });
    await shot(page, size, 'console-plan-cancelled');

    // an API key, shown once
    await clickMenu(page, 'Integrations');
    await view(page, size, 'Integrations', 'console-integrations');
    await typeInto(page, `${AC} >>> ck-api-keys >>> #keyName`, `Collection system ${size.name}`);
    await click(page, `${AC} >>> ck-api-keys >>> input[value="events:read"]`);
    await click(page, `${AC} >>> ck-api-keys >>> form[part=form] button[type=submit]`);
    const secret = await deepSelector(page, `${AC} >>> ck-api-keys >>> [data-field=secret]`, { visible: true });
    expect(await secret.evaluate((el) => (el as HTMLInputElement).value)).toMatch(/^ck_int_/);
    await click(page, `${AC} >>> ck-api-keys >>> [data-action=copy]`);
    await axe(page, `API key shown once (${size.name})`);
    await shot(page, size, 'console-api-key');
    await click(page, `${AC} >>> ck-api-keys >>> [data-action=done]`);
    expect(await site.db('integration_keys').where({ name: `Collection system ${size.name}` }).whereNull('revoked_at').count({ n: '*' })).toEqual([{ n: 1 }]);

    // a webhook to the local receiver; an event happens; the delivery reaches it and shows in the log
    await typeInto(page, `${AC} >>> ck-webhooks >>> #hookUrl`, `${receiverUrl}/hook-${size.name}`);
    await click(page, `${AC} >>> ck-webhooks >>> input[value="account.*"]`);
    await click(page, `${AC} >>> ck-webhooks >>> form[part=form] button[type=submit]`);
    await deepSelector(page, `${AC} >>> ck-webhooks >>> [data-field=secret]`, { visible: true });
    await click(page, `${AC} >>> ck-webhooks >>> tbody tr [data-action=log]`);
    await deepSelector(page, `${AC} >>> ck-webhooks >>> ck-webhook-deliveries >>> [data-field=empty]`);
    const client = await login(site, 'demo.client', 'Cascade-Demo-2026!');
    const clientAccount = (await api<{ data: { id: string }[] }>(site, client, '/accounts?pageSize=1')).data[0]!;
    await api(site, client, `/accounts/${clientAccount.id}/notes`, { body: `A note for the ${size.name} webhook.` });
    await until(page, '(root) => { const log = q(root.querySelector("ck-webhooks"), "ck-webhook-deliveries"); const code = q(log, "tbody tr [data-field=code]"); return code?.textContent.trim() === "HTTP 200"; }');
    expect(received.some((r) => r.path === `/hook-${size.name}`)).toBe(true);
    await axe(page, `webhook delivery log (${size.name})`);
    await shot(page, size, 'console-webhook-log');

    // a report schedule, run now, its snapshot opened
    await clickMenu(page, 'Schedules');
    await view(page, size, 'Report schedules', 'console-schedules');
    await deepSelector(page, `${AC} >>> ck-report-schedules >>> #report option`);
    await page.select(`${AC} >>> ck-report-schedules >>> #report`, 'status');
    await click(page, `${AC} >>> ck-report-schedules >>> form[part=form] button[type=submit]`);
    await until(page, '(root) => q(root.querySelector("ck-report-schedules"), "[data-field=message]")?.textContent.includes("scheduled")');
    const scheduleId = (await site.db('report_schedules').orderBy('id', 'desc').first('public_id')).publicId as string;
    await click(page, `${AC} >>> ck-report-schedules >>> tr[data-id="${scheduleId}"] [data-action=run-now]`);
    await deepSelector(page, `${AC} >>> ck-report-schedules >>> tr[data-id="${scheduleId}"] [data-field=run]`);
    await shot(page, size, 'console-run-now');
    const open = await deepSelector(page, `${AC} >>> ck-report-schedules >>> tr[data-id="${scheduleId}"] [data-action=open-snapshot]`, { visible: true, timeout: 60_000 });
    await open.click();
    await view(page, size, 'Snapshot', 'console-snapshot');
    await deepSelector(page, `${AC} >>> ck-snapshot-view >>> [data-field=snapshot-title]`);
    expect(page.url()).toMatch(/#\/report-schedules\/snapshots\/rsnap_/);
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
