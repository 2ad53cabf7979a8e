/**
 * A spreadsheet uploaded by mistake is discarded from the bulk placement itself, at 1280×800 and
 * 390×844, by keys: the client uploads a file in the portal (the mapping step, its id in the URL),
 * presses "Discard this spreadsheet", lands on "Keep it" in the dialog, tabs to "Discard the
 * spreadsheet" and presses Enter: the upload is gone from the database, the URL is back at
 * Place accounts, the first step's heading has focus and the live region says what was discarded.
 * axe and an overflow check with the dialog open and after; screenshots walk-<size>-discard-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { mixedRows, toXlsx } from '../api/fixtures/placement-sheets.js';
import { CLIENT, CP, SIZES, deep, heading, jsErrors, menu, onScreen, openPage, signIn, view, waitText } from './walk-helpers.js';

const BULK = `${CP} >>> ck-bulk-placement`;

/** Which element has focus, through the shadow roots: `tag#id` or `tag[data-action]`. */
const focused = (page: Page) => page.evaluate(() => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.localName}${a.id ? `#${a.id}` : ''}${a.getAttribute('data-action') ? `[${a.getAttribute('data-action')}]` : ''}` : '';
});

/** Waits (10 s) until `focused` names `want`. */
async function focusBecomes(page: Page, want: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; (await focused(page)) !== want;) {
    if (Date.now() > deadline) throw new Error(`the focus on ${want} (now ${await focused(page)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(SIZES)('walk: discard a spreadsheet from bulk placement at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let dir: string;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 20, worker: true });
    ({ page } = await openPage(site, size));
    dir = mkdtempSync(join(tmpdir(), 'ck-walk-discard-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, discards with the keyboard after a confirmation, and is back at the first step', async () => {
    onTestFailed(async () => console.error(`[walk-discard] ${await explain(page, [CP, 'ck-bulk-placement'])}`));
    const name = `Wrong file ${size.name}.xlsx`;
    const file = join(dir, name);
    writeFileSync(file, await toXlsx(mixedRows(`DZ${size.name.slice(0, 1).toUpperCase()}`)));

    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await deep(page, `${CP} >>> ck-login >>> #username`);
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await menu(page, CP, 'Place accounts');

    const input = (await deep(page, `${BULK} >>> input[type=file]`)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await deep(page, `${BULK} >>> [part~=mapping]`);
    await page.waitForFunction(() => /^#\/place\/batches\/plb_/.test(location.hash), { timeout: 20_000 });
    const batchId = (await page.evaluate(() => location.hash)).split('/').pop()!;

    // keys: focus the button, Enter; the dialog opens on "Keep it"
    const discard = await deep(page, `${BULK} >>> section [data-action=discard]`);
    await onScreen(discard, 'Discard this spreadsheet');
    await discard.focus();
    await page.keyboard.press('Enter');
    await waitText(page, `${BULK} >>> dialog[open] h3`, `Discard ${name}?`);
    await focusBecomes(page, 'button[cancel-discard]');
    await view(page, CP, size, 'discard-01-confirm');

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button[confirm-discard]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/place', { timeout: 20_000 });
    await deep(page, `${BULK} >>> input[type=file]`);
    await focusBecomes(page, 'h3#upload-title');
    await waitText(page, `${BULK} >>> [data-field=announcement]`, `${name} was discarded.`);
    expect(await site.db('placement_batches').where({ publicId: batchId })).toHaveLength(0);
    expect(await site.db('audit_log').where({ action: 'placement.batch.discard', targetId: batchId })).toHaveLength(1);
    await view(page, CP, size, 'discard-02-discarded');
    expect(jsErrors(page)).toEqual([]);
  });
});
