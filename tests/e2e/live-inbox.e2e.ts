/**
 * A client adds a note on the demo page; an agency user, signed in on the agency page in another
 * tab, sees it arrive in the inbox without reloading — two real sessions, one real server.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';

/**
 * Waits by polling on a timer, not on animation frames or DOM mutations: frames stall in the tab
 * that is in the background, and mutations inside shadow roots are not seen from the document.
 */
async function deep(page: Page, selector: string, timeout = 20_000): Promise<ElementHandle<Element>> {
  await page.waitForFunction((sel: string) => {
    // `a >>> b >>> c`: each step inside the previous match's shadow root
    let scope: Document | ShadowRoot | null = document;
    let found: Element | null = null;
    for (const part of sel.split('>>>').map((s) => s.trim())) {
      found = scope?.querySelector(part) ?? null;
      scope = found?.shadowRoot ?? null;
    }
    return Boolean(found);
  }, { polling: 100, timeout }, selector);
  return (await page.$(selector))!;
}

async function typeDeep(page: Page, selector: string, text: string): Promise<void> {
  const el = await deep(page, selector);
  await el.click({ count: 3 });
  await el.type(text);
}

const paneText = (page: Page) => page.$eval('ck-client-portal >>> ck-account-pane', (el) => el.shadowRoot!.textContent ?? '');

describe('demo site: a client note reaches the agency inbox live', () => {
  let site: DemoSite;
  let client: Page;
  let agency: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 120 });
    client = await site.newPage();
    agency = await site.newPage();
  });
  afterAll(() => site.close());

  it('client writes a note from Account functions; the agency inbox shows it, then the agency answers', async () => {
    onTestFailed(async () => console.error(`[live-inbox e2e] client page\n${await explain(client, ['ck-login', 'ck-account-search'])}\nagency page\n${await explain(agency, ['ck-login', 'ck-inbox'])}`));
    // The agency user opens the inbox first and leaves it open.
    await agency.bringToFront();
    await agency.goto(`${site.url}/agency.html`, { waitUntil: 'networkidle0' });
    await typeDeep(agency, 'ck-agency-console >>> ck-login >>> #username', 'demo.agency');
    await typeDeep(agency, 'ck-agency-console >>> ck-login >>> #password', 'Northwind-Admin-2026!');
    await agency.keyboard.press('Enter');
    await agency.waitForFunction(() => (document.querySelector('ck-agency-console')?.shadowRoot?.querySelector('ck-inbox') as HTMLElement & { live: boolean })?.live, { polling: 100, timeout: 20_000 });

    // The client signs in on the portal page, opens an account and adds a note.
    await client.bringToFront();
    await client.goto(`${site.url}/`, { waitUntil: 'networkidle0' });
    await typeDeep(client, 'ck-client-portal >>> ck-login >>> #username', 'demo.client');
    await typeDeep(client, 'ck-client-portal >>> ck-login >>> #password', 'Cascade-Demo-2026!');
    await client.keyboard.press('Enter');
    const row = await deep(client, 'ck-client-portal >>> ck-account-search >>> tr[data-id]');
    const debtor = await row.evaluate((tr) => tr.querySelector('td[data-field=name]')!.textContent!.trim());
    await row.click();
    await deep(client, 'ck-client-portal >>> ck-account-pane >>> header[part=header] h2');
    await (await deep(client, 'ck-client-portal >>> ck-account-pane >>> ck-account-functions >>> [part~=trigger]')).click();
    await (await deep(client, 'ck-client-portal >>> ck-account-pane >>> ck-account-functions >>> [role=menuitem][data-action=note]')).click();
    const note = `Debtor phoned us: will pay on the 15th (${Date.now()})`;
    await typeDeep(client, 'ck-client-portal >>> ck-account-pane >>> ck-account-functions >>> dialog textarea[name=body]', note);
    await (await deep(client, 'ck-client-portal >>> ck-account-pane >>> ck-account-functions >>> dialog button[type=submit]')).click();
    await client.waitForFunction(() => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector('ck-account-functions')
      ?.shadowRoot?.querySelector('[part~=status]')?.textContent === 'Note added.', { polling: 100, timeout: 20_000 });
    // The client's own timeline shows the note at once.
    await client.waitForFunction((text: string) => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector('[part~=timeline] li')?.textContent?.includes(text),
      { polling: 100, timeout: 20_000 }, note);

    // The agency inbox, left open in the other tab, shows it without a reload.
    await agency.bringToFront();
    await agency.waitForFunction((text: string) => [...(document.querySelector('ck-agency-console')?.shadowRoot?.querySelector('ck-inbox')?.shadowRoot?.querySelectorAll('[part~=task]') ?? [])]
      .some((t) => t.textContent?.includes(text)), { polling: 100, timeout: 20_000 }, note);
    const task = await agency.$eval('ck-agency-console >>> ck-inbox', (el, text) => {
      const li = [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=task]')].find((t) => t.textContent!.includes(text))!;
      return { id: li.dataset.id!, text: li.textContent! };
    }, note);
    expect(task.text).toContain(debtor);
    expect(task.text).toContain('Dana Whitfield');

    // The agency answers from the inbox; the client's pane shows the answer live.
    await (await deep(agency, `ck-agency-console >>> ck-inbox >>> [data-id="${task.id}"] [data-action=reply]`)).click();
    await typeDeep(agency, `ck-agency-console >>> ck-inbox >>> #reply-${task.id}`, 'Thank you, noted for the 15th.');
    await (await deep(agency, `ck-agency-console >>> ck-inbox >>> [data-id="${task.id}"] form button[type=submit]`)).click();
    await client.bringToFront();
    await client.waitForFunction(() => document.querySelector('ck-client-portal')?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector('[part~=timeline] li')?.textContent
      ?.includes('Thank you, noted for the 15th.'), { polling: 100, timeout: 20_000 });
    expect(await paneText(client)).toContain('Thank you, noted for the 15th.');

    const row2 = await site.db('tasks').where({ publicId: task.id }).first();
    expect(row2.status).toBe('done');
    expect((client as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
    expect((agency as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
