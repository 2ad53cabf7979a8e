/**
 * Issue 19's hand-driven list, the Collaboration Center, at 1280×800 and 390×844, by clicks and keys:
 * create a folder, upload a file into it, upload one of the same name (the refusal offers the
 * overwrite it speaks of, and taking it adds a version), replace it with a new version from its
 * details, comment, and download the current and an earlier version (bytes compared).
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'puppeteer-core';
import { explain, startDemoSite, type DemoSite } from './harness.js';
import { CLIENT, CP, SIZES, click, clickText, deep, downloaded, heading, jsErrors, menu, openPage, signIn, signOut, typeIn, view, waitText } from './walk-helpers.js';

const CC = `${CP} >>> ck-collab-center`;

describe.each(SIZES)('walk: Collaboration Center at $name size', (size) => {
  let site: DemoSite;
  let page: Page;
  let downloads: string;
  let work: string;
  beforeAll(async () => {
    site = await startDemoSite({ accounts: 40 });
    ({ page, downloads } = await openPage(site, size));
    work = mkdtempSync(join(tmpdir(), 'ck-walk-collab-'));
  });
  afterAll(async () => {
    await site?.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(downloads, { recursive: true, force: true });
  });

  const name = `walk-rates-${size.name}.txt`;
  const version = (n: number) => Buffer.from(`Rate card, version ${n} (${size.name})\n${'rate line\n'.repeat(200 * n)}`);
  const write = (n: number) => {
    const dir = mkdtempSync(join(work, `v${n}-`));
    const path = join(dir, name);
    writeFileSync(path, version(n));
    return path;
  };
  async function choose(button: string, path: string): Promise<void> {
    const [chooser] = await Promise.all([page.waitForFileChooser(), click(page, button)]);
    await chooser.accept([path]);
  }
  const row = () => page.waitForFunction((h, n) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-collab-center')?.shadowRoot?.querySelectorAll('table[part=files] tbody tr') ?? [])]
    .find((tr) => tr.querySelector('th')?.textContent?.trim() === n)?.getAttribute('data-id'), { timeout: 20_000 }, CP, name).then((h) => h.jsonValue() as Promise<string>);

  it('folder, upload, same name offers the overwrite, new version, comment, download', async () => {
    onTestFailed(async () => console.error(`[walk-collab] ${await explain(page, [CP, 'ck-collab-center', 'ck-upload'])}`));
    await page.goto(`${site.url}/`, { waitUntil: 'load' });
    await signIn(page, CP, CLIENT);
    await heading(page, CP, 'Accounts');
    await menu(page, CP, 'Collaboration Center');
    await deep(page, `${CC} >>> #folder-name`);
    await view(page, CP, size, 'collab-01-center');

    // a folder, chosen at once
    const folder = `Walk ${size.name} rates`;
    await typeIn(page, `${CC} >>> #folder-name`, folder);
    await click(page, `${CC} >>> [data-action=create-folder]`);
    await page.waitForFunction((h, f) => [...(document.querySelector(h)?.shadowRoot?.querySelector('ck-collab-center')?.shadowRoot?.querySelectorAll('button[data-folder]') ?? [])]
      .some((b) => b.textContent?.trim() === f && b.getAttribute('aria-current') === 'true'), { timeout: 15_000 }, CP, folder);
    await waitText(page, `${CC} >>> [data-empty]`, folder);

    // upload into it
    await choose(`${CC} >>> .main > ck-upload >>> button.choose`, write(1));
    const fileId = await row();
    const stored = await site.db('collab_files').where({ public_id: fileId }).first('folder_id', 'current_version');
    expect(stored.folderId).not.toBeNull();
    await view(page, CP, size, 'collab-02-uploaded');

    // the same name again: refused, and the overwrite it speaks of is offered
    await choose(`${CC} >>> .main > ck-upload >>> button.choose`, write(2));
    await waitText(page, `${CC} >>> .main > ck-upload >>> [part=error]`, 'already exists');
    await waitText(page, `${CC} >>> .taken`, name);
    await view(page, CP, size, 'collab-03-name-taken');
    await click(page, `${CC} >>> [data-action=overwrite]`);
    await waitText(page, `${CC} >>> section[part=detail] tr[data-version="2"]`, 'current');
    expect(await page.$(`${CC} >>> .main > ck-upload >>> [part=error]`), 'the refused upload is cleared').toBeNull();

    // replace with a new version from the file's details
    await choose(`${CC} >>> section[part=detail] ck-upload >>> button.choose`, write(3));
    await waitText(page, `${CC} >>> section[part=detail] tr[data-version="3"]`, 'current');
    await waitText(page, `${CC} >>> table[part=files] tr[data-id="${fileId}"]`, 'Version 3');
    await view(page, CP, size, 'collab-04-versions');

    // a comment
    await typeIn(page, `${CC} >>> #comment-body`, `Walk: version 3 has the ${size.name} rates.`);
    await click(page, `${CC} >>> [data-action=comment]`);
    await waitText(page, `${CC} >>> ol.comments`, `Walk: version 3 has the ${size.name} rates.`);
    await view(page, CP, size, 'collab-05-comment');

    // download the current file and version 1: the bytes that were uploaded
    await click(page, `${CC} >>> table[part=files] tr[data-id="${fileId}"] [data-action=download]`);
    const current = await downloaded(downloads, /^walk-rates-/);
    expect(current.bytes.equals(version(3))).toBe(true);
    unlinkSync(join(downloads, current.name));
    await click(page, `${CC} >>> section[part=detail] tr[data-version="1"] [data-action=download-version]`);
    const first = await downloaded(downloads, /^walk-rates-/);
    expect(first.bytes.equals(version(1))).toBe(true);
    unlinkSync(join(downloads, first.name));
    expect(await site.db('collab_file_versions').join('collab_files', 'collab_files.id', 'collab_file_versions.file_id').where('collab_files.public_id', fileId).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(3);

    // "Don't upload" also ends the offer
    await choose(`${CC} >>> .main > ck-upload >>> button.choose`, write(4));
    await waitText(page, `${CC} >>> .taken`, name);
    await clickText(page, `${CC} >>> .taken`, 'button', "Don't upload");
    await view(page, CP, size, 'collab-06-kept');
    expect(await page.$(`${CC} >>> .taken`)).toBeNull();
    await signOut(page, CP);
    expect(jsErrors(page)).toEqual([]);
  });
});
