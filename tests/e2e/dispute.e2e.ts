/**
 * A client records a debtor's dispute on the demo site: the validation information is on screen,
 * the dispute is sent with the debtor's letter attached, the confirmation appears — and behind it the account is on hold, the agency
 * inbox has a task, the letter is one of the account's attachments and the confirmation email waits
 * in the outbox for the consent rules.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { deepSelector, explain, startDemoSite, typeInto, type DemoSite } from './harness.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('demo site: record a dispute', () => {
  let site: DemoSite;
  let page: Page;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 120 });
    page = await site.newPage();
  });
  afterAll(() => site.close());

  it('signs in as demo.client, opens an active account and disputes part of it', async () => {
    onTestFailed(async () => console.error(`[dispute e2e] ${await explain(page, ['ck-login', 'ck-account-search', 'ck-dispute-form'])}`));
    await page.goto(`${site.url}/disputes.html`, { waitUntil: 'networkidle0' });
    await typeInto(page, 'ck-login >>> #username', 'demo.client');
    await typeInto(page, 'ck-login >>> #password', 'Cascade-Demo-2026!');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#signed-in:not([hidden])');

    // Active accounts only, then open the first one.
    await deepSelector(page, 'ck-account-search >>> tr[data-id]');
    await page.select('ck-account-search >>> #status', 'active');
    await page.click('ck-account-search >>> button[type=submit]');
    await page.waitForFunction(() => {
      const rows = [...(document.querySelector('ck-account-search')?.shadowRoot?.querySelectorAll('td[data-field=status]') ?? [])];
      return rows.length > 0 && rows.every((td) => td.textContent?.trim() === 'Active');
    });
    const firstRow = await deepSelector(page, 'ck-account-search >>> tr[data-id]');
    const accountId = await firstRow!.evaluate((tr) => tr.getAttribute('data-id')!);
    await firstRow!.click();
    await page.waitForFunction((id) => document.querySelector('ck-dispute-form')?.getAttribute('account-id') === id, {}, accountId);

    // The validation information: the creditor and the current amount from the database.
    await deepSelector(page, 'ck-dispute-form >>> [part~=validation], ck-dispute-form >>> [part~=error]');
    expect(await page.$eval('ck-dispute-form', (el) => el.shadowRoot!.querySelector('[part~=error]')?.textContent ?? '')).toBe('');
    const account = await site.db('accounts').where({ publicId: accountId }).first('id', 'balance_cents');
    const dollars = (Number(account.balanceCents) / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
    expect(await page.$eval('ck-dispute-form >>> [data-field=current-amount]', (el) => el.textContent)).toBe(dollars);
    expect(await page.$eval('ck-dispute-form >>> [data-field=current-creditor]', (el) => el.textContent)).toBe('Cascade Power & Light');

    // Dispute $10.00 of it, because the amount is wrong.
    await page.click('ck-dispute-form >>> input[value=dispute_part]');
    await typeInto(page, 'ck-dispute-form >>> #amount', '10.00');
    await page.select('ck-dispute-form >>> #reasonCode', 'wrong_amount');
    await typeInto(page, 'ck-dispute-form >>> #reason', 'The debtor says the last bill was estimated.');
    // the debtor's letter, as a file the person picks in the document field
    const letter = join(mkdtempSync(join(tmpdir(), 'ck-e2e-')), 'meter-reading.pdf');
    writeFileSync(letter, PDF);
    const documentInput = (await page.$('ck-dispute-form >>> #document')) as ElementHandle<HTMLInputElement>;
    await documentInput.uploadFile(letter);
    await page.click('ck-dispute-form >>> button[type=submit]');
    await page.waitForFunction(() => {
      const root = document.querySelector('ck-dispute-form')?.shadowRoot;
      return Boolean(root?.querySelector('[part~=confirmation]') || root?.querySelector('[part~=error][role=alert]')?.textContent);
    });
    expect(await page.$eval('ck-dispute-form', (el) => el.shadowRoot!.querySelector('[part~=error][role=alert]')?.textContent ?? '')).toBe('');
    const reference = await page.$eval('ck-dispute-form >>> [data-field=reference]', (el) => el.textContent);
    expect(reference).toMatch(/^dsp_/);

    // Behind the screen: on hold at once, an inbox task, the confirmation queued for the outbox rules.
    expect(await site.db('accounts').where({ id: account.id }).first('status')).toEqual({ status: 'disputed' });
    expect(await site.db('disputes').where({ publicId: reference }).first('kind', 'scope', 'disputed_amount_cents', 'submitted_via'))
      .toEqual({ kind: 'dispute', scope: 'part', disputedAmountCents: 1000, submittedVia: 'client' });
    expect(await site.db('tasks').where({ sourceId: reference }).first('kind', 'status')).toEqual({ kind: 'dispute', status: 'open' });
    // the letter is stored with the dispute and is one of the account's attachments, byte for byte
    const dispute = await site.db('disputes').where({ publicId: reference }).first('id', 'documentName', 'documentKey');
    expect(dispute.documentName).toBe('meter-reading.pdf');
    const attachment = await site.db('attachments').where({ disputeId: dispute.id }).first('accountId', 'storageKey', 'sha256', 'contentType');
    expect(attachment).toEqual({ accountId: account.id, storageKey: dispute.documentKey, sha256: createHash('sha256').update(PDF).digest('hex'), contentType: 'application/pdf' });
    expect((page as Page & { jsErrors: string[] }).jsErrors).toEqual([]);
  });
});
