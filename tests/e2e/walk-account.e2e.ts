/**
 * Issue 19's hand-driven list, one account's day, at 1280×800 and 390×844, by clicks and keys: open an
 * account and read every tab; report a direct payment from the Payments tab; post an adjustment; add
 * a note; message the agency, the agency replies in its console (a second browser context), the
 * client reads the reply; hold, release, recall; update contact details; upload, view and download
 * an attachment (same bytes back); place one account by the form (the review names every field and
 * survives choosing a document). axe and overflow checks on every view; screenshots walk-<size>-*.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import {
  AC, AGENCY, CLIENT, CP, SIZES, click, deep, downloaded, heading, jsErrors, menu, openPage, signIn, signOut, typeDate, typeIn, view, waitGone, waitText,
} from './walk-helpers.js';

const PANE = `${CP} >>> ck-account-pane`;
const FN = `${PANE} >>> ck-account-functions`;
const DIALOG = `${FN} >>> dialog`;

describe.each(SIZES)('walk: an account by hand at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let downloads: string;
  let work: string;
  let account: { publicId: string; agencyAccountNumber: string; id: number };
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 120 });
    ({ page, downloads } = await openPage(site, size));
    work = mkdtempSync(join(tmpdir(), 'ck-walk-files-'));
    account = await site.db('accounts as a').join('clients as c', 'c.id', 'a.client_id').where({ 'c.code': 'CPL', 'a.status': 'active' })
      .where('a.balance_cents', '>', 10_000).orderBy('a.id').offset(3).first('a.public_id', 'a.agency_account_number', 'a.id');
  });
  afterAll(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  });

  /** Opens an account function from the menu, fills its dialog, submits, and waits for the outcome. */
  async function act(id: string, fill: Record<string, string | true>, done: string | RegExp, step: string): Promise<void> {
    await click(page, `${FN} >>> [part~=trigger]`);
    await click(page, `${FN} >>> [role=menuitem][data-action=${id}]`);
    await deep(page, `${DIALOG}[open]`);
    for (const [name, value] of Object.entries(fill)) {
      const sel = `${DIALOG} [name=${name}]`;
      const tag = await (await deep(page, sel)).evaluate((e) => e.localName);
      if (value === true) await click(page, sel);
      else if (tag === 'select') await page.select(sel, value);
      else await typeIn(page, sel, value);
    }
    await view(page, CP, size, `${step}-dialog`);
    await click(page, `${DIALOG} button[type=submit]`);
    await waitGone(page, `${DIALOG}[open]`);
    await waitText(page, `${FN} >>> [part=status]`, done);
  }

  const tab = async (name: string) => {
    await click(page, `${PANE} >>> #tab-${name}`);
    await page.waitForFunction((h, t) => document.querySelector(h)?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelector(`#tab-${t}`)?.getAttribute('aria-selected') === 'true', {}, CP, name);
  };
  const status = () => site.db('accounts').where({ public_id: account.publicId }).first('status').then((r: { status: string }) => r.status);

  it('opens an account, reads every tab, reports a payment, posts an adjustment, adds a note', async () => {
    onTestFailed(async () => console.error(`[walk-account] ${await explain(page, [CP, 'ck-account-pane', 'ck-account-functions'])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await typeIn(page, `${CP} >>> ck-account-search >>> #agencyAccountNumber`, account.agencyAccountNumber);
    await page.keyboard.press('Enter');
    await click(page, `${CP} >>> ck-account-search >>> tr[data-id="${account.publicId}"]`);
    await heading(page, CP, 'Account');
    await deep(page, `${PANE} >>> header[part=header] h2`);
    await view(page, CP, size, 'account-01-opened');

    // every tab, each with its content loaded
    for (const [name, ready] of [
      ['activity', 'ol, ul, [data-empty], p'], ['parties', 'dl, table, section'], ['payments', 'table[part=payments], p'],
      ['messages', 'ul[part~=threads], p'], ['attachments', 'ck-account-attachments'],
    ] as const) {
      await tab(name);
      await deep(page, `${PANE} >>> #panel-${name} :is(${ready})`);
      await waitGone(page, `${PANE} >>> #panel-${name} [role=status][aria-busy=true]`).catch(() => undefined);
      await view(page, CP, size, `account-02-tab-${name}`);
    }

    // a direct payment, from the Payments tab
    await tab('payments');
    await click(page, `${PANE} >>> [data-action=ledger-payment]`);
    await typeIn(page, `${DIALOG} input[name=amount]`, '12.34');
    await page.select(`${DIALOG} select[name=method]`, 'check');
    await typeIn(page, `${DIALOG} input[name=reference]`, 'CHK 5521');
    await view(page, CP, size, 'account-03-payment-dialog');
    await click(page, `${DIALOG} button[type=submit]`);
    await waitText(page, `${FN} >>> [part=status]`, 'Payment of $12.34 reported');
    await waitText(page, `${PANE} >>> table[part=payments] tbody`, '$12.34');
    await view(page, CP, size, 'account-04-payment-listed');

    // an adjustment (a credit), and a note
    await act('adjustment', { type: 'credit', amount: '5.00', reason: 'Courtesy credit for a billing error.' }, 'Adjustment posted', 'account-05-adjustment');
    const credit = await site.db('transactions').where({ account_id: account.id, kind: 'credit' }).first('amount_cents');
    expect(Math.abs(Number(credit?.amountCents))).toBe(500);
    await act('note', { body: 'Walk note: the customer called our office about a plan.' }, 'Note added', 'account-06-note');
    await tab('activity');
    await waitText(page, `${PANE} >>> #panel-activity`, 'Walk note: the customer called our office');
    expect(jsErrors(page)).toEqual([]);
  });

  it('messages the agency and reads the reply the agency sent from its console', async () => {
    onTestFailed(async () => console.error(`[walk-account] ${await explain(page, [CP, 'ck-account-pane'])}`));
    const subject = `Walk question ${size.name}`;
    await act('message', { subject, body: 'Has the customer been sent a validation notice?' }, 'Message sent', 'account-07-message');

    // the agency, in its own browser context, replies from the inbox
    const context = await site.browser.createBrowserContext();
    const agency = await context.newPage();
    try {
      await agency.setViewport({ width: size.width, height: size.height });
      await agency.goto(`${site.url}/agency.html`, { waitUntil: 'load' });
      await signIn(agency, AC, AGENCY);
      await heading(agency, AC, 'Inbox');
      const taskId = (await agency.waitForFunction((h, s) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-inbox')?.shadowRoot?.querySelectorAll('li[data-kind=message]') ?? [])]
        .find((li) => li.textContent?.includes(s))?.getAttribute('data-id'), { timeout: 20_000 }, AC, subject).then((h) => h.jsonValue())) as string;
      await click(agency, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] [data-action=reply]`);
      await typeIn(agency, `${AC} >>> ck-inbox >>> #reply-${taskId}`, 'Yes: it went out by mail on Monday.');
      await click(agency, `${AC} >>> ck-inbox >>> [data-id="${taskId}"] form button[type=submit]`);
      await waitText(agency, `${AC} >>> ck-inbox >>> [role=status]`, /Replied/);
      await agency.screenshot({ path: `tests/e2e/screenshots/walk-${size.name}-account-08-agency-replied.png`, fullPage: true });
    } finally {
      await context.close();
    }

    // the client reads it in the Messages tab
    await tab('messages');
    // the thread's button carries the subject and the unread count
    // (once the list has the reply: the live notice that announces it moves the list down as it arrives)
    const thread = (await page.waitForFunction((h, s) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-account-pane')?.shadowRoot?.querySelectorAll('button[data-thread]') ?? [])]
      .find((b) => b.textContent?.includes(s) && b.textContent.includes('2 messages'))?.getAttribute('data-thread'), { timeout: 15_000 }, CP, subject).then((h) => h.jsonValue())) as string;
    await new Promise((r) => setTimeout(r, 300));
    // the thread's card fits its panel (its right edge was cut off on a phone)
    const fits = await page.$eval(`${PANE} >>> button[data-thread="${thread}"]`, (b) => {
      const panel = b.closest('[role=tabpanel]')!.getBoundingClientRect();
      if (b.getBoundingClientRect().right <= panel.right + 0.5) return '';
      const out: string[] = [];
      for (let e: Element | null = b; e; e = e.parentElement) out.push(`${e.localName}.${[...e.classList].join('.')} w=${Math.round(e.getBoundingClientRect().width)} r=${Math.round(e.getBoundingClientRect().right)}`);
      return out.join(' < ');
    });
    expect(fits, 'the thread card inside its panel').toBe('');
    await click(page, `${PANE} >>> button[data-thread="${thread}"]`);
    await waitText(page, `${PANE} >>> [part~=thread]`, 'Yes: it went out by mail on Monday.');
    await view(page, CP, size, 'account-09-reply-read');
    await click(page, `${PANE} >>> [data-action=back]`);
  });

  it('holds, releases and recalls the account after updating its contact details', async () => {
    onTestFailed(async () => console.error(`[walk-account] ${await explain(page, [CP, 'ck-account-pane', 'ck-account-functions'])}`));
    await act('contact', { phone: '5035550142', email: 'walk.customer@example.com', preferredChannel: 'email', reason: 'The customer called with new details.' }, /./, 'account-10-contact');
    await page.waitForFunction(async (id) => id, {}, account.publicId);
    const party = await site.db('account_parties').where({ account_id: account.id, role: 'responsible' }).first('phones', 'emails');
    expect(party.phones).toContain('5035550142');
    expect(party.emails).toContain('walk.customer@example.com');

    await act('hold', { reason: 'The customer asked for a week to gather papers.' }, 'on hold', 'account-11-hold');
    expect(await status()).toBe('hold');
    await waitText(page, `${PANE} >>> header[part=header]`, 'On hold');
    await act('release', { reason: 'Papers received.' }, 'released', 'account-12-release');
    expect(await status()).toBe('active');
    await act('recall', { reason: 'Settled directly with the customer.', confirm: true }, 'recalled', 'account-13-recall');
    expect(await status()).toBe('recalled');
    await waitText(page, `${PANE} >>> header[part=header]`, 'Recalled');
    await view(page, CP, size, 'account-14-recalled');
  });

  it('uploads an attachment, views it in a new tab and downloads the same bytes', async () => {
    onTestFailed(async () => console.error(`[walk-account] ${await explain(page, [CP, 'ck-account-pane', 'ck-account-attachments'])}`));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(40_000), Buffer.from('\n%%EOF\n')]);
    const file = join(work, `walk-statement-${size.name}.pdf`);
    writeFileSync(file, pdf);
    await tab('attachments');
    const ATT = `${PANE} >>> ck-account-attachments`;
    // the upload's "choose" button opens the file chooser, as a click would
    const [chooser] = await Promise.all([page.waitForFileChooser(), click(page, `${ATT} >>> ck-upload >>> button.choose`)]);
    await chooser.accept([file]);
    await typeIn(page, `${ATT} >>> ck-upload >>> input[name^=name-]`, 'Walk statement');
    await view(page, CP, size, 'account-15-upload-chosen');
    await click(page, `${ATT} >>> ck-upload >>> [data-action=upload]`);
    await waitText(page, `${ATT} >>> tbody`, 'Walk statement');
    await view(page, CP, size, 'account-16-attachment-listed');

    // View: a new tab shows it, nothing is downloaded
    const opened = site.browser.waitForTarget((t) => t.url().startsWith('blob:'), { timeout: 15_000 });
    await click(page, `${ATT} >>> tbody tr [data-action=view]`);
    const target = await opened;
    expect(target.url()).toMatch(/^blob:/);
    await (await target.page())?.close();
    // Download: the same bytes come back
    await click(page, `${ATT} >>> tbody tr [data-action=download]`);
    const got = await downloaded(downloads, new RegExp(`walk-statement-${size.name}\\.pdf$`));
    expect(got.bytes.equals(pdf)).toBe(true);
  });

  it('places one account by the form: the review names each change, survives choosing a document, and the account is placed', async () => {
    onTestFailed(async () => console.error(`[walk-account] ${await explain(page, [CP, 'ck-new-account'])}`));
    await menu(page, CP, 'Place accounts');
    const NA = `${CP} >>> ck-new-account`;
    const number = `WALK-${size.name.toUpperCase()}-1`;
    await typeIn(page, `${NA} >>> #f-clientAccountNumber`, number);
    await page.select(`${NA} >>> #f-accountType`, 'utility');
    await typeDate(page, `${NA} >>> #f-serviceDate`, '03012026');
    await typeIn(page, `${NA} >>> #f-responsible-firstName`, 'Walter');
    await typeIn(page, `${NA} >>> #f-responsible-lastName`, 'Hollis jr aka Walt Hollis');
    await typeIn(page, `${NA} >>> #f-responsible-address-address1`, '12 Oak St Apt 4');
    await typeIn(page, `${NA} >>> #f-responsible-address-city`, 'Salem');
    await typeIn(page, `${NA} >>> #f-responsible-address-state`, 'OR');
    await typeIn(page, `${NA} >>> #f-responsible-address-zip`, '97301');
    await typeIn(page, `${NA} >>> #f-balance-principal`, '250.00');
    await typeIn(page, `${NA} >>> #f-comments`, 'Moved twice in 2025.');
    await click(page, `${NA} >>> [data-action=review]`);
    const review = await waitText(page, `${NA} >>> #review`, 'Review before placing');
    await view(page, CP, size, 'place-01-review');
    // each change is named by its label, never by its key
    expect(review).not.toMatch(/responsible\.|\.suffix/);
    const changed = await page.$$eval(`${NA} >>> [part=changes] li strong`, (s) => s.map((e) => e.textContent));
    expect(changed).toEqual(expect.arrayContaining(['Suffix', 'Comments for the agency']));
    for (const label of changed) expect(label).not.toMatch(/^[a-z]+(\.[a-zA-Z0-9]+)+$|^comments$/);

    // choosing a document keeps the review
    const doc = join(work, 'walk-contract.pdf');
    writeFileSync(doc, Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2_000), Buffer.from('\n%%EOF\n')]));
    const [chooser] = await Promise.all([page.waitForFileChooser(), click(page, `${NA} >>> #f-documents`)]);
    await chooser.accept([doc]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.$(`${NA} >>> #review`), 'the review is still there after choosing a document').not.toBeNull();
    await click(page, `${NA} >>> [data-action=place]`);
    await waitText(page, `${NA} >>> [part=base]`, 'Account placed');
    await waitText(page, NA + ' >>> [data-documents]', 'walk-contract.pdf');
    await view(page, CP, size, 'place-02-placed');
    const placed = await site.db('placements').where({ client_account_number: number }).first('status');
    expect(placed).toEqual({ status: 'pending_review' });
    await signOut(page, CP);
    expect(jsErrors(page)).toEqual([]);
  });
});
