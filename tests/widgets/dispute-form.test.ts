import { fixture, html, expect, waitUntil, oneEvent } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkDisputeForm, DisputeRequestDetail, DisputeSubmittedDetail, Validation } from '../../widgets/dispute-form/dispute-form.js';
import type { Account, AccountPage } from '../../widgets/internal/api-client.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';
import { PayApi } from '../../widgets/pay-form/pay-api.js';

const usd = (cents: number) => new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(cents / 100);

/**
 * Active accounts of Lakeside Family Clinic from the end of the alphabet, so that the disputes this
 * file opens (which change an account's status) stay away from the accounts other widget tests pick.
 */
async function activeAccounts(): Promise<Account[]> {
  const client = await signIn(DEMO.agency);
  const page = await client.get<AccountPage>('/accounts', { status: 'active', sort: 'name', order: 'desc', pageSize: 100 });
  const lakeside = page.data.filter((a) => a.client.name === 'Lakeside Family Clinic');
  return Promise.all(lakeside.slice(0, 7).map((a) => client.get<Account>(`/accounts/${a.id}`)));
}

async function mount(accountId: string): Promise<CkDisputeForm> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-dispute-form account-id=${accountId}></ck-dispute-form></ck-portal>`);
  const el = portal.querySelector('ck-dispute-form')!;
  await find(el, '[part~=validation], [part~=error]', 'the validation information to load');
  return el;
}

const choose = (el: CkDisputeForm, action: string) => {
  const radio = shadow(el).querySelector<HTMLInputElement>(`input[name=action][value=${action}]`)!;
  radio.click();
  return el.updateComplete;
};
/** A tiny valid PDF, and bytes no upload accepts (a Windows executable header). */
const PDF_TEXT = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
const pdfFile = () => new File([PDF_TEXT], 'receipt.pdf', { type: 'application/pdf' });
const exeFile = () => new File([new Uint8Array([0x4d, 0x5a, ...new Array(510).fill(0)])], 'proof.exe', { type: 'application/octet-stream' });

/** Picks a file in the document field as a person would (the input's files, then its change event). */
function attach(el: CkDisputeForm, file: File) {
  const input = shadow(el).querySelector<HTMLInputElement>('#document')!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const submit = (el: CkDisputeForm) => shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();

describe('ck-dispute-form', () => {
  let accounts: Account[];
  before(async () => {
    accounts = await activeAccounts();
  });
  afterEach(signOut);

  it('is accessible, with the form and after an error', async () => {
    await signIn(DEMO.agency);
    const el = await mount(accounts[0]!.id);
    await expectAccessible(el);
    // staff record what the debtor said: the form speaks about the debtor, not as the debtor
    const form = shadow(el).querySelector('form')!.textContent!;
    expect(form).to.contain('The debtor disputes all of this debt');
    expect(form).not.to.match(/I dispute|Send me|What would you like/);
    await choose(el, 'dispute_part');
    submit(el);
    await waitUntil(() => shadow(el).querySelector('#amount-error')!.textContent, 'the amount error');
    await expectAccessible(el);
  });

  it('shows the validation information the server computed, adding up to the current amount', async () => {
    const client = await signIn(DEMO.agency);
    const account = accounts[0]!;
    const v = await client.get<Validation>(`/accounts/${account.id}/validation`);
    const el = await mount(account.id);
    const text = (field: string) => shadow(el).querySelector(`[data-field=${field}]`)!.textContent!.trim();
    expect(text('current-creditor')).to.equal('Lakeside Family Clinic');
    expect(text('original-creditor')).to.equal(v.originalCreditor);
    expect(text('itemization-balance')).to.equal(usd(v.itemization.balanceCents));
    expect(text('payments')).to.equal(`− ${usd(v.changesSinceItemization.paymentsCents)}`);
    expect(text('current-amount')).to.equal(usd(account.balanceDetail.totalCents));
    expect(shadow(el).querySelector('caption')!.textContent).to.contain('changed since');
  });

  it('on a phone, each amount of the itemization stays on one line with its sign', async () => {
    const client = await signIn(DEMO.agency);
    // payments as long as the balance they paid down (the widest amount sets the column): "− $1,121.36"
    // against "$5,901.88" broke after the sign on the pay page at 390 px
    const account = accounts[6]!;
    await client.request('POST', `/accounts/${account.id}/payments`, {
      body: { amountCents: account.balanceDetail.totalCents - 100, paidOn: new Date().toISOString().slice(0, 10), method: 'check' },
      headers: { 'Idempotency-Key': `itemization-${Math.random()}` },
    });
    // as wide as the table is inside the pay form's card at 390 px, narrower than its words want
    const portal = await fixture(html`<div style="width: 275px"><ck-portal api=${API}><ck-dispute-form account-id=${account.id}></ck-dispute-form></ck-portal></div>`);
    const el = portal.querySelector('ck-dispute-form')!;
    await find(el, '[part~=validation]', 'the validation information to load');
    const lines = (cell: Element) => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    };
    const broken = [...shadow(el).querySelectorAll('td.num')].filter((td) => lines(td) > 1).map((td) => td.textContent!.trim());
    // "−" on one line and "$1,121.36" on the next read as two amounts
    expect(broken).to.deep.equal([]);
  });

  it('sends a partial dispute: confirmation shown and focused, the account is on hold at once', async () => {
    const client = await signIn(DEMO.agency);
    const account = accounts[1]!;
    const el = await mount(account.id);
    await choose(el, 'dispute_part');
    type(el, 'amount', '12.50');
    type(el, 'reasonCode', 'wrong_amount');
    type(el, 'reason', 'Billed twice for one visit.');
    const submitted = oneEvent(el, 'ck-dispute-submitted');
    submit(el);
    const event = (await submitted) as CustomEvent<DisputeSubmittedDetail>;
    expect(event.detail.dispute).to.include({ kind: 'dispute', scope: 'part', disputedAmountCents: 1250, accountStatus: 'disputed' });
    const confirmation = await find(el, '[part~=confirmation]');
    expect(confirmation.getAttribute('role')).to.equal('status');
    expect(shadow(el).activeElement).to.equal(confirmation);
    expect(confirmation.querySelector('[data-field=reference]')!.textContent).to.equal(event.detail.dispute.id);
    expect((await client.get<Account>(`/accounts/${account.id}`)).status).to.equal('disputed');
    await expectAccessible(el);
  });

  it("shows the server's field errors next to the field (amount above the balance)", async () => {
    await signIn(DEMO.agency);
    const account = accounts[2]!;
    const el = await mount(account.id);
    await choose(el, 'dispute_part');
    type(el, 'amount', String((account.balanceDetail.totalCents + 100) / 100));
    submit(el);
    const alert = await find(el, '[part~=error][role=alert]:not(:empty)');
    expect(alert.textContent).to.contain('not more than the balance');
    expect(shadow(el).querySelector('#amount-error')!.textContent).to.contain('not more than the balance');
    expect(shadow(el).querySelector('#amount')!.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).querySelector('[part~=confirmation]')).to.equal(null);
  });

  it('attaches a supporting document: labelled and described, sent with the dispute, an attachment of the account', async () => {
    const client = await signIn(DEMO.agency);
    const account = accounts[4]!;
    const el = await mount(account.id);
    await choose(el, 'dispute_all');
    const input = shadow(el).querySelector<HTMLInputElement>('#document')!;
    expect(shadow(el).querySelector('label[for=document]')!.textContent).to.equal('Supporting document (optional)');
    expect(input.getAttribute('aria-describedby')).to.equal('document-hint document-error');
    await expectAccessible(el);
    type(el, 'reasonCode', 'already_paid');
    attach(el, pdfFile());
    const requested = oneEvent(el, 'ck-dispute-request');
    const submitted = oneEvent(el, 'ck-dispute-submitted');
    submit(el);
    expect(((await requested) as CustomEvent<DisputeRequestDetail>).detail.document?.name).to.equal('receipt.pdf');
    const receipt = ((await submitted) as CustomEvent<DisputeSubmittedDetail>).detail.dispute;
    expect(receipt.document).to.include({ fileName: 'receipt.pdf', contentType: 'application/pdf' });
    await find(el, '[part~=confirmation]');
    const list = await client.get<{ data: { id: string; fileName: string; sizeBytes: number }[] }>(`/accounts/${account.id}/attachments`);
    expect(list.data.find((a) => a.id === receipt.document!.attachmentId)).to.include({ fileName: 'receipt.pdf', sizeBytes: PDF_TEXT.length });
  });

  it('a file the server refuses: the reason under the file field, nothing sent, still accessible', async () => {
    await signIn(DEMO.agency);
    const el = await mount(accounts[5]!.id);
    await choose(el, 'dispute_all');
    type(el, 'reasonCode', 'not_mine');
    attach(el, exeFile());
    submit(el);
    await waitUntil(() => shadow(el).querySelector('#document-error')!.textContent, 'the file error');
    expect(shadow(el).querySelector('#document-error')!.textContent).to.contain('not accepted');
    expect(shadow(el).querySelector('#document')!.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).querySelector('[part~=confirmation]')).to.equal(null);
    await expectAccessible(el);
    // choosing another file clears the error; the dispute goes through with it
    attach(el, pdfFile());
    await el.updateComplete;
    expect(shadow(el).querySelector('#document')!.getAttribute('aria-invalid')).to.equal('false');
    submit(el);
    await find(el, '[part~=confirmation]');
  });

  it('speaks Spanish with lang="es"', async () => {
    await signIn(DEMO.agency);
    const portal = await fixture(html`<ck-portal api=${API}><ck-dispute-form lang="es" account-id=${accounts[0]!.id}></ck-dispute-form></ck-portal>`);
    const el = portal.querySelector('ck-dispute-form')!;
    await find(el, '[part~=validation]');
    expect(shadow(el).querySelector('#validation-heading')!.textContent).to.equal('Sobre esta deuda');
    // staff in a portal: the question is about the debtor
    expect(shadow(el).querySelector('legend')!.textContent).to.equal('¿Qué pidió el deudor?');
    expect(shadow(el).querySelector('tfoot th')!.textContent).to.equal('Monto actual');
    submit(el);
    await waitUntil(() => shadow(el).querySelector('#action-error')!.textContent === 'Elija lo que pidió el deudor.', 'the Spanish error');
    await expectAccessible(el);
  });

  it('asks for the original creditor; the host page can veto a request', async () => {
    await signIn(DEMO.agency);
    const el = await mount(accounts[3]!.id);
    await choose(el, 'original_creditor');
    const veto = (e: Event) => e.preventDefault();
    el.addEventListener('ck-dispute-request', veto, { once: true });
    submit(el);
    await el.updateComplete;
    expect(shadow(el).querySelector('[part~=confirmation]')).to.equal(null);
    submit(el);
    const confirmation = await find(el, '[part~=confirmation]');
    expect(confirmation.textContent).to.contain('original creditor');
  });

  it('in the debtor flow: the pay session client, pay/validation and pay/disputes', async () => {
    // The debtor opens a payment link the agency made: a real debtor session, as ck-pay-form holds it.
    const agency = await signIn(DEMO.agency);
    const account = accounts[2]!;
    const link = await agency.request<{ token: string }>('POST', `/agency/accounts/${account.id}/payment-links`, { body: {} });
    await signOut();
    const payApi = new PayApi(API);
    const session = await payApi.request<{ token: string }>('POST', '/pay/session/link', { linkToken: link.token });
    payApi.token = session.token;
    const el = await fixture<CkDisputeForm>(html`<ck-dispute-form .debtor=${payApi}></ck-dispute-form>`);
    await find(el, '[part~=validation]');
    const v = await payApi.request<Validation>('GET', '/pay/validation');
    expect(shadow(el).querySelector('[data-field=current-amount]')!.textContent).to.equal(usd(v.currentAmountCents));
    await expectAccessible(el);
    await choose(el, 'dispute_all');
    type(el, 'reasonCode', 'already_paid');
    attach(el, pdfFile());
    const submitted = oneEvent(el, 'ck-dispute-submitted');
    submit(el);
    const confirmation = await find(el, '[part~=confirmation]');
    expect(confirmation.textContent).to.contain('Dispute received');
    // the debtor's document went with it, through the pay session (multipart)
    expect(((await submitted) as CustomEvent<DisputeSubmittedDetail>).detail.dispute.document).to.include({ fileName: 'receipt.pdf' });
  });
});
