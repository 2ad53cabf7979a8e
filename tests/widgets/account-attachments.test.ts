import { fixture, html, expect, waitUntil, oneEvent } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkAccountAttachments } from '../../widgets/account-attachments/account-attachments.js';
import type { CkAccountPane } from '../../widgets/account-pane/account-pane.js';
import type { AccountPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { dropFiles, pdfFile } from './upload-helpers.js';

describe('ck-account-attachments', () => {
  afterEach(signOut);

  it('lists, uploads with a display name, downloads and deletes — accessible, with an empty state', async () => {
    const client = await signIn(DEMO.client);
    // an account nobody in these tests has touched
    const account = (await client.get<AccountPage>('/accounts', { pageSize: 1, sort: 'balance', order: 'asc' })).data[0]!.id;
    const portal = await fixture(html`<ck-portal api=${API}><ck-account-attachments account-id=${account}></ck-account-attachments></ck-portal>`);
    const el = portal.querySelector<CkAccountAttachments>('ck-account-attachments')!;
    const empty = await find(el, '[data-empty]');
    expect(empty.textContent).to.contain('No attachments yet');
    await expectAccessible(el);

    const upload = await find(el, 'ck-upload');
    expect(upload.getAttribute('hint')).to.contain('PDF');
    dropFiles(upload, [pdfFile('dispute-letter.pdf')]);
    await waitUntil(() => upload.shadowRoot!.querySelector('[data-action=upload]'), 'the Upload button');
    const done = oneEvent(upload, 'ck-upload-complete');
    upload.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=upload]')!.click();
    await done;
    const row = await find(el, 'tbody tr');
    expect(row.querySelector('th')!.textContent).to.equal('dispute-letter');
    expect(row.textContent).to.contain('dispute-letter.pdf');
    expect(row.textContent).to.contain('Dana Whitfield');
    await expectAccessible(el);

    row.querySelector<HTMLButtonElement>('[data-action=download]')!.click();
    await waitUntil(() => shadow(el).querySelector('[role=status]')!.textContent!.includes('downloaded'), 'downloaded');

    row.querySelector<HTMLButtonElement>('[data-action=delete]')!.click();
    const confirm = await find<HTMLButtonElement>(el, '[data-action=confirm-delete]');
    confirm.click();
    await find(el, '[data-empty]');
    expect(shadow(el).querySelector('[role=status]')!.textContent).to.contain('dispute-letter deleted');
  });

  it('View opens the file in a new tab and does not also download it', async () => {
    const client = await signIn(DEMO.client);
    const account = (await client.get<AccountPage>('/accounts', { pageSize: 1, page: 2, sort: 'balance', order: 'asc' })).data[0]!.id;
    const portal = await fixture(html`<ck-portal api=${API}><ck-account-attachments account-id=${account}></ck-account-attachments></ck-portal>`);
    const el = portal.querySelector<CkAccountAttachments>('ck-account-attachments')!;
    const upload = await find(el, 'ck-upload');
    dropFiles(upload, [pdfFile('viewed-letter.pdf')]);
    await waitUntil(() => upload.shadowRoot!.querySelector('[data-action=upload]'), 'the Upload button');
    const done = oneEvent(upload, 'ck-upload-complete');
    upload.shadowRoot!.querySelector<HTMLButtonElement>('[data-action=upload]')!.click();
    await done;
    const row = await find(el, 'tbody tr');

    // window.open as Chromium behaves (a pop-up opened with the 'noopener' feature returns null), without
    // opening a real tab in the test browser; and any save-as link clicked on the page is recorded.
    const realOpen = window.open;
    const opened: { url: string; features: string; tab: { opener: unknown } | null }[] = [];
    window.open = ((url: string, _target: string, features = '') => {
      const tab = /noopener/.test(features) ? null : { opener: window as unknown };
      opened.push({ url: String(url), features, tab });
      return tab;
    }) as typeof window.open;
    const saved: string[] = [];
    const onClick = (e: Event) => {
      const a = e.target as HTMLAnchorElement;
      if (a instanceof HTMLAnchorElement && a.hasAttribute('download')) {
        saved.push(a.download);
        e.preventDefault();
      }
    };
    document.addEventListener('click', onClick, true);
    try {
      row.querySelector<HTMLButtonElement>('[data-action=view]')!.click();
      await waitUntil(() => opened.length === 1, 'the file opened');
      await new Promise((r) => setTimeout(r, 200));
      expect(opened[0]!.url).to.match(/^blob:/);
      expect(opened[0]!.tab).to.not.equal(null);
      expect(opened[0]!.tab!.opener).to.equal(null);
      expect(saved).to.deep.equal([]);
    } finally {
      window.open = realOpen;
      document.removeEventListener('click', onClick, true);
    }
  });

  it('is the account pane’s Attachments tab', async () => {
    const client = await signIn(DEMO.client);
    const account = (await client.get<AccountPage>('/accounts', { pageSize: 1 })).data[0]!.id;
    const portal = await fixture(html`<ck-portal api=${API}><ck-account-pane account-id=${account}></ck-account-pane></ck-portal>`);
    const pane = portal.querySelector<CkAccountPane>('ck-account-pane')!;
    const tab = await find<HTMLButtonElement>(pane, '#tab-attachments');
    tab.click();
    const inner = await find(pane, 'ck-account-attachments');
    await find(inner, 'ck-upload');
    await expectAccessible(pane);
  });
});
