import { fixture, html, expect, waitUntil, oneEvent } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkUpload } from '../../widgets/upload/upload.js';
import type { AccountPage } from '../../widgets/internal/api-client.js';
import type { AttachmentPage } from '../../widgets/internal/documents.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { chooseFiles, dropFiles, pdfFile, textFile } from './upload-helpers.js';

async function cascadeAccount(): Promise<string> {
  const client = await signIn(DEMO.client);
  return (await client.get<AccountPage>('/accounts', { pageSize: 1, sort: 'balance', order: 'desc' })).data[0]!.id;
}

const attachments = async (account: string) => (await (await signIn(DEMO.client)).get<AttachmentPage>(`/accounts/${account}/attachments`)).data;

describe('ck-upload', () => {
  afterEach(signOut);

  it('drop a file, name it, upload with a progress bar; the API has it; accessible throughout', async () => {
    const account = await cascadeAccount();
    const el = await fixture<CkUpload>(html`<ck-upload api=${API} multiple name-field="name" name-label="Display name" action="/accounts/${account}/attachments" hint="PDF up to 25 MB"></ck-upload>`);
    await expectAccessible(el);
    dropFiles(el, [pdfFile('signed-contract.pdf')]);
    const name = await find<HTMLInputElement>(el, 'input[name^=name-]');
    expect(name.value).to.equal('signed-contract');
    expect(shadow(el).querySelector(`label[for=${name.id}]`)!.textContent).to.contain('Display name for signed-contract.pdf');
    await expectAccessible(el);
    name.value = 'Signed contract';
    name.dispatchEvent(new Event('input'));
    const done = oneEvent(el, 'ck-upload-complete');
    shadow(el).querySelector<HTMLButtonElement>('[data-action=upload]')!.click();
    const { detail } = await done;
    expect((detail.result as { displayName: string }).displayName).to.equal('Signed contract');
    await el.updateComplete;
    const item = shadow(el).querySelector('[part~=item]')!;
    expect(item.getAttribute('data-status')).to.equal('done');
    expect(item.querySelector('progress')!.value).to.equal(100);
    await waitUntil(() => shadow(el).querySelector('[role=status]')!.textContent!.includes('signed-contract.pdf uploaded'), 'the announcement');
    expect((await attachments(account)).map((a) => a.displayName)).to.include('Signed contract');
  });

  it('a refused file shows the API’s problem, announces it, and offers Retry', async () => {
    const account = await cascadeAccount();
    const el = await fixture<CkUpload>(html`<ck-upload api=${API} action="/accounts/${account}/attachments" name-field="name"></ck-upload>`);
    chooseFiles(el, [new File([new Uint8Array([0x4d, 0x5a, 0, 0, 0, 0, 0, 0])], 'setup.exe')]);
    await find(el, '[data-action=upload]');
    const failed = oneEvent(el, 'ck-upload-error');
    shadow(el).querySelector<HTMLButtonElement>('[data-action=upload]')!.click();
    const { detail } = await failed;
    expect(detail.problem.status).to.equal(415);
    const error = await find(el, '[part~=error]');
    expect(error.textContent).to.contain('not accepted');
    expect(shadow(el).querySelector('[data-action=retry]')).to.exist;
    await waitUntil(() => shadow(el).querySelector('[role=status]')!.textContent!.includes('was not uploaded'), 'the announcement');
    await expectAccessible(el);
  });

  it('a name is required before sending', async () => {
    const account = await cascadeAccount();
    const before = (await attachments(account)).length;
    const el = await fixture<CkUpload>(html`<ck-upload api=${API} action="/accounts/${account}/attachments" name-field="name"></ck-upload>`);
    dropFiles(el, [pdfFile('x.pdf')]);
    const name = await find<HTMLInputElement>(el, 'input[name^=name-]');
    name.value = '  ';
    name.dispatchEvent(new Event('input'));
    shadow(el).querySelector<HTMLButtonElement>('[data-action=upload]')!.click();
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~=error]')!.textContent).to.contain('Give x.pdf a name');
    expect((await attachments(account)).length).to.equal(before);
  });

  it('cancel stops a running upload (nothing stored) and Retry sends it again, with real progress', async () => {
    const account = await cascadeAccount();
    const before = (await attachments(account)).length;
    const el = await fixture<CkUpload>(html`<ck-upload api=${API} action="/accounts/${account}/attachments" .fields=${{ name: 'Big export' }}></ck-upload>`);
    const big = textFile('export.txt', 8 * 1024 * 1024);
    dropFiles(el, [big]); // no name-field: starts at once
    await el.updateComplete;
    const cancel = shadow(el).querySelector<HTMLButtonElement>('[data-action=cancel]')!;
    expect(cancel.getAttribute('aria-label')).to.equal('Cancel upload of export.txt');
    cancel.click();
    await waitUntil(() => shadow(el).querySelector('[part~=item]')?.getAttribute('data-status') === 'cancelled', 'cancelled');
    expect((await attachments(account)).length).to.equal(before);

    const seen: number[] = [];
    const watch = setInterval(() => {
      const bar = shadow(el).querySelector('progress');
      if (bar) seen.push(bar.value);
    }, 5);
    const done = oneEvent(el, 'ck-upload-complete');
    shadow(el).querySelector<HTMLButtonElement>('[data-action=retry]')!.click();
    await done;
    clearInterval(watch);
    await el.updateComplete;
    expect(shadow(el).querySelector('progress')!.value).to.equal(100);
    expect(seen.length).to.be.greaterThan(0);
    const list = await attachments(account);
    expect(list.length).to.equal(before + 1);
    expect(list.find((a) => a.displayName === 'Big export')!.sizeBytes).to.equal(big.size);
  });

  it('refuses files over max-bytes before sending', async () => {
    const account = await cascadeAccount();
    const el = await fixture<CkUpload>(html`<ck-upload api=${API} action="/accounts/${account}/attachments" max-bytes="1000" .fields=${{ name: 'x' }}></ck-upload>`);
    dropFiles(el, [textFile('big.txt', 2000)]);
    const error = await find(el, '[part~=error]');
    expect(error.textContent).to.contain('larger than the limit');
  });
});
