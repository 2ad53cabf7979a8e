import { fixture, html, expect, waitUntil, oneEvent } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../widgets/all.js';
import type { CkCollabCenter } from '../../widgets/collab-center/collab-center.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { dropFiles, pdfFile } from './upload-helpers.js';

async function mount(): Promise<CkCollabCenter> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-collab-center></ck-collab-center></ck-portal>`);
  const el = portal.querySelector<CkCollabCenter>('ck-collab-center')!;
  await find(el, 'ck-upload', 'the center to load');
  return el;
}

const stamp = () => Date.now().toString(36);

describe('ck-collab-center', () => {
  afterEach(signOut);

  it('folders, add a file by drop, details with versions, overwrite, comment — accessible', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    // the upload control renders before the folder tree (which names the client) has loaded
    await waitUntil(() => shadow(el).querySelector('h2')?.textContent?.includes(' — '), 'the folder tree to load', { timeout: 10000 });
    expect(shadow(el).querySelector('h2')!.textContent).to.contain('Cascade Power');
    await expectAccessible(el);

    // a folder, created under the top level and then chosen
    const folderName = `Contracts ${stamp()}`;
    const input = shadow(el).querySelector<HTMLInputElement>('input[name=folderName]')!;
    input.value = folderName;
    shadow(el).querySelector<HTMLButtonElement>('[data-action=create-folder]')!.click();
    const folderButton = await find<HTMLButtonElement>(el, 'nav button[aria-current=true][data-folder^=fld_]');
    expect(folderButton.textContent).to.equal(folderName);
    await find(el, '[data-empty]');
    expect(shadow(el).querySelector('[data-empty]')!.textContent).to.contain(`No files in ${folderName} yet`);

    // drop a file into it
    const fileName = `agreement-${stamp()}.pdf`;
    const upload = shadow(el).querySelector('ck-upload')!;
    const added = oneEvent(el, 'ck-collab-file-added');
    dropFiles(upload, [pdfFile(fileName)]);
    await added;
    const row = await find(el, 'tbody tr[data-id]');
    expect(row.querySelector('th')!.textContent).to.equal(fileName);
    expect(row.textContent).to.contain('Version 1');

    // details: one version; upload a second one
    row.querySelector<HTMLButtonElement>('[data-action=details]')!.click();
    const detail = await find(el, '[part~=detail]');
    expect(detail.querySelectorAll('tr[data-version]').length).to.equal(1);
    await expectAccessible(el);
    const versionUpload = detail.querySelector('ck-upload')!;
    const updated = oneEvent(el, 'ck-collab-file-updated');
    dropFiles(versionUpload, [pdfFile('agreement-v2.pdf', '% v2\n')]);
    await updated;
    await waitUntil(() => shadow(el).querySelectorAll('[part~=detail] tr[data-version]').length === 2, 'two versions');
    const versions = [...shadow(el).querySelectorAll('[part~=detail] tr[data-version]')].map((r) => r.querySelector('th')!.textContent!.trim());
    expect(versions).to.deep.equal(['Version 2 (current)', 'Version 1']);
    expect(shadow(el).querySelector('[part~=detail] tr[data-version="1"] [data-action=download-version]')!.getAttribute('aria-label')).to.equal(`Download version 1 of ${fileName}`);

    // comment
    const textarea = shadow(el).querySelector<HTMLTextAreaElement>('#comment-body')!;
    textarea.value = 'Countersigned, see v2.';
    shadow(el).querySelector<HTMLButtonElement>('[data-action=comment]')!.click();
    const comment = await find(el, 'ol.comments li');
    expect(comment.textContent).to.contain('Dana Whitfield');
    expect(comment.textContent).to.contain('Countersigned, see v2.');
    expect(comment.querySelector('time')).to.exist;
    await expectAccessible(el);

    // download a version: the bytes come back through the session
    shadow(el).querySelector<HTMLButtonElement>('[part~=detail] tr[data-version="1"] [data-action=download-version]')!.click();
    await waitUntil(() => shadow(el).querySelector('[role=status]')!.textContent!.includes('version 1 downloaded'), 'downloaded');
  });

  it('on a phone: a file card labels its version ("Version 1", not "v1"); Create folder looks like a button', async () => {
    await signIn(DEMO.client);
    await setViewport({ width: 390, height: 844 });
    try {
      const el = await mount();
      const row = await find(el, 'tbody tr[data-id]');
      expect(row.querySelector('td.num:nth-of-type(2)')!.textContent!.trim()).to.match(/^Version \d+$/);
      const create = shadow(el).querySelector<HTMLButtonElement>('[data-action=create-folder]')!;
      const look = getComputedStyle(create);
      expect(look.borderTopStyle === 'none' || look.borderTopWidth === '0px', 'Create folder has a border').to.equal(false);
      const folder = getComputedStyle(shadow(el).querySelector<HTMLButtonElement>('nav li button')!);
      expect(folder.borderTopWidth, 'the folder tree stays flat').to.equal('0px');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('a duplicate name is refused with the API’s 409 message on the file’s row', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    const name = `dup-${stamp()}.pdf`;
    const upload = shadow(el).querySelector('ck-upload')!;
    const first = oneEvent(upload, 'ck-upload-complete');
    dropFiles(upload, [pdfFile(name)]);
    await first;
    const second = oneEvent(upload, 'ck-upload-error');
    dropFiles(upload, [pdfFile(name)]);
    const { detail } = await second;
    expect(detail.problem.status).to.equal(409);
    await waitUntil(() => upload.shadowRoot!.querySelector('[part~=error]'), 'the error');
    expect(upload.shadowRoot!.querySelector('[part~=error]')!.textContent).to.contain('already exists');

    // the message says "overwrite that file": the center offers it, and taking it adds a version
    const overwrite = await find<HTMLButtonElement>(el, '.taken [data-action=overwrite]', 'the overwrite offer');
    expect(shadow(el).querySelector('.taken')!.textContent).to.contain(name);
    await expectAccessible(el);
    const updated = oneEvent(el, 'ck-collab-file-updated');
    overwrite.click();
    await updated;
    await waitUntil(() => shadow(el).querySelector('[part~=detail] tr[data-version="2"]'), 'version 2 in the details');
    expect(shadow(el).querySelector('.taken')).to.equal(null);
    // the add-files upload starts afresh: the refused file is no longer listed
    await waitUntil(() => !shadow(el).querySelector('ck-upload')!.shadowRoot!.querySelector('[part~=error]'), 'the refusal cleared');
  });

  it('users of several clients choose the client', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    const select = shadow(el).querySelector<HTMLSelectElement>('select#client')!;
    expect(select.options.length).to.equal(2);
    const before = shadow(el).querySelector('h2')!.textContent;
    select.value = select.options[1]!.value;
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => shadow(el).querySelector('h2')!.textContent !== before, 'the other client');
    await expectAccessible(el);
  });
});
