/**
 * A spreadsheet left at the mapping step is picked up again, at 1280×800 and 390×844, by clicks and
 * keys: the client uploads a file in the portal, changes a column of the suggested mapping (saved as
 * it changes), reloads (the mapping step comes back with that change), then leaves for another area
 * and comes back through My placements, where the upload is "Not started": Continue opens the
 * mapping step with the saved mapping, its heading focused; Place accounts runs it to the end.
 * axe and an overflow check on every view; screenshots in tests/e2e/screenshots/walk-<size>-resume-*.png.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { mixedRows, toXlsx } from '../api/fixtures/placement-sheets.js';
import { CLIENT, CP, SIZES, click, deep, heading, jsErrors, menu, onScreen, openPage, signIn, view, waitText } from './walk-helpers.js';

const BULK = `${CP} >>> ck-bulk-placement`;
const MINE = `${CP} >>> ck-my-placements`;

/** Which element has focus, through the shadow roots: `tag#id`. */
const focused = (page: Page) => page.evaluate(() => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a ? `${a.localName}${a.id ? `#${a.id}` : ''}` : '';
});

/** The mapping table fits the screen: no control or value needs a sideways scroll to be seen. */
async function mappingFits(page: Page): Promise<void> {
  const wide = await page.$eval(BULK, (host) => {
    const root = host.shadowRoot!;
    const out: string[] = [];
    for (const el of root.querySelectorAll('[part~=mapping] select, [part~=mapping] th, [part~=mapping] td, .actions button, h3, .hint')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.left < -1 || r.right > innerWidth + 1)) out.push(`${el.localName}${(el as HTMLElement).dataset.field ? `[${(el as HTMLElement).dataset.field}]` : ''} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    // each select shows the whole name of the column chosen (a squeezed select cuts it short)
    for (const sel of root.querySelectorAll<HTMLSelectElement>('[part~=mapping] select')) {
      const probe = document.createElement('span');
      const cs = getComputedStyle(sel);
      probe.style.cssText = `position:absolute;visibility:hidden;white-space:pre;font:${cs.font};letter-spacing:${cs.letterSpacing}`;
      probe.textContent = sel.selectedOptions[0]?.textContent ?? '';
      root.appendChild(probe);
      const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16; // the arrow
      if (probe.getBoundingClientRect().width > room) out.push(`select[${sel.dataset.field}] cuts “${probe.textContent}” short (${Math.round(probe.getBoundingClientRect().width)} > ${Math.round(room)})`);
      probe.remove();
    }
    const scroller = root.querySelector<HTMLElement>('.scroll');
    if (scroller && scroller.scrollWidth > scroller.clientWidth + 1) out.push(`.scroll scrolls sideways (${scroller.scrollWidth} > ${scroller.clientWidth})`);
    return out.slice(0, 6);
  });
  expect(wide, 'the mapping step fits the screen').toEqual([]);
}

describe.each(SIZES)('walk: continue a spreadsheet left at the mapping step at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let dir: string;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 60, worker: true });
    ({ page } = await openPage(site, size));
    dir = mkdtempSync(join(tmpdir(), 'ck-walk-sheet-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads, changes the mapping, reloads, continues from My placements and places the file', async () => {
    onTestFailed(async () => console.error(`[walk-resume] ${await explain(page, [CP, 'ck-bulk-placement', 'ck-my-placements'])}`));
    const file = join(dir, `Cascade ${size.name}.xlsx`);
    writeFileSync(file, await toXlsx(mixedRows(`RZ${size.name.slice(0, 1).toUpperCase()}`)));

    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await deep(page, `${CP} >>> ck-login >>> #username`);
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await menu(page, CP, 'Place accounts');

    // upload: the mapping step, and the upload's id in the URL
    const input = (await deep(page, `${BULK} >>> input[type=file]`)) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await deep(page, `${BULK} >>> [part~=mapping]`);
    await page.waitForFunction(() => /^#\/place\/batches\/plb_/.test(location.hash), { timeout: 20_000 });
    const batchId = (await page.evaluate(() => location.hash)).split('/').pop()!;
    expect(await page.$eval(`${BULK} >>> select[data-field=comments]`, (s) => (s as HTMLSelectElement).value)).toBe('Notes');

    // the Notes column is not to be used: chosen with the keyboard (Home: "— not in my file —")
    const notes = await deep(page, `${BULK} >>> select[data-field=comments]`);
    await onScreen(notes, 'the Comments select');
    await notes.focus();
    await page.keyboard.press('Home');
    await waitText(page, `${BULK} >>> [data-field=draft]`, 'Mapping saved');
    expect(await page.$eval(`${BULK} >>> select[data-field=comments]`, (s) => (s as HTMLSelectElement).value)).toBe('');
    await mappingFits(page);
    await view(page, CP, size, 'resume-01-mapping-changed');

    // a reload (the tab was closed, the phone locked): the mapping step again, with the change
    await page.reload({ waitUntil: 'load' });
    await deep(page, `${BULK} >>> [part~=mapping]`, 30_000);
    await waitText(page, `${BULK} >>> section`, 'The mapping you saved for this file is filled in.');
    expect(await page.$eval(`${BULK} >>> select[data-field=comments]`, (s) => (s as HTMLSelectElement).value)).toBe('');

    // away to another area, then back through My placements: "Not started", Continue
    await menu(page, CP, 'Accounts');
    await menu(page, CP, 'Place accounts');
    await click(page, `${CP} >>> .subnav a[data-route="place/mine"]`);
    await heading(page, CP, 'My placements');
    const row = `${MINE} >>> tr[data-batch="${batchId}"]`;
    await waitText(page, `${row} [part~=status]`, 'Not started');
    await view(page, CP, size, 'resume-02-my-placements');
    // keys: focus the row's Continue button and press Enter
    const cont = await deep(page, `${row} [data-action=continue]`);
    await onScreen(cont, 'Continue');
    await cont.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => location.hash === `#/place/batches/${id}`, { timeout: 20_000 }, batchId);
    await deep(page, `${BULK} >>> [part~=mapping]`);
    await page.waitForFunction(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.id === 'map-title';
    }, { timeout: 10_000 });
    expect(await focused(page)).toBe('h3#map-title');
    expect(await page.$eval(`${BULK} >>> select[data-field=comments]`, (s) => (s as HTMLSelectElement).value)).toBe('');
    expect(await page.$eval(`${BULK} >>> select[data-field=clientAccountNumber]`, (s) => (s as HTMLSelectElement).value)).toBe('Acct #');
    await mappingFits(page);
    await view(page, CP, size, 'resume-03-continued');

    // start it: the run to the end, its heading focused
    await click(page, `${BULK} >>> button[data-action=place]`);
    await waitText(page, `${BULK} >>> [data-field=outcome]`, 'accounts placed', 30_000);
    expect(await focused(page)).toBe('h3#run-title');
    const counts = await page.$$eval(`${BULK} >>> [data-count]`, (dds) => Object.fromEntries(dds.map((d) => [d.getAttribute('data-count'), d.textContent!.trim()])));
    expect(counts).toEqual({ placed: '6', invalid: '3', duplicate: '1' });
    await view(page, CP, size, 'resume-04-placed');

    // placed with the mapping saved: no comments taken from the Notes column
    const batch = await site.db('placement_batches').where({ publicId: batchId }).first();
    expect(batch.status).toBe('completed');
    expect(JSON.parse(batch.mappingJson).comments).toBeUndefined();
    const placed = await site.db('placements').where({ batchId: batch.id });
    expect(placed).toHaveLength(6);
    // (row 4's Notes say "Called, twice"; a name's AKA still becomes a comment, as always)
    expect(placed.map((p: { comments: string | null }) => p.comments ?? '').join('|')).not.toContain('Called');
    expect(await site.db('audit_log').where({ action: 'placement.batch.mapping', targetId: batchId })).toHaveLength(1);
    expect(jsErrors(page)).toEqual([]);
  });
});
