import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkNewAccount } from '../../widgets/new-account/new-account.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

async function mount(): Promise<CkNewAccount> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-new-account></ck-new-account></ck-portal>`);
  const el = portal.querySelector('ck-new-account')!;
  await find(el, 'form');
  return el;
}

const number = () => `W-${Date.now().toString(36).toUpperCase()}`;

function fill(el: CkNewAccount, values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) type(el, name, value);
}

const GOOD = {
  'responsible.firstName': 'mary k.', 'responsible.lastName': "O'Neil Jr.", 'responsible.dob': '1979-05-06', 'responsible.ssn': '512-34-6789',
  'responsible.address.address1': '12 N. Oak St Apt 4B', 'responsible.address.city': 'Portland', 'responsible.address.state': 'Oregon',
  'responsible.address.zip': '97205', 'responsible.phones.0.number': '(503) 555-0142', 'balance.principal': '1,250.50', 'serviceDate': '2026-03-01',
};

const click = (el: Element, action: string) => shadow(el).querySelector<HTMLButtonElement>(`[data-action=${action}]`)!.click();

describe('ck-new-account', () => {
  afterEach(signOut);

  it('is accessible, with the review showing', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    await expectAccessible(el);
    fill(el, { ...GOOD, clientAccountNumber: number() });
    click(el, 'review');
    await find(el, '[part~=changes]');
    await expectAccessible(el);
  });

  it('asks to sign in when nobody is signed in', async () => {
    const portal = await fixture(html`<ck-portal api=${API}><ck-new-account></ck-new-account></ck-portal>`);
    const el = portal.querySelector('ck-new-account')!;
    await el.updateComplete;
    expect(shadow(el).textContent).to.contain('Sign in to place accounts.');
  });

  it('shows the normalisation before submit, then places the account pending review', async () => {
    const client = await signIn(DEMO.client);
    const el = await mount();
    const acct = number();
    fill(el, { ...GOOD, clientAccountNumber: acct.toLowerCase() });
    click(el, 'review');
    const changes = await find(el, '[part~=changes]');
    const text = changes.textContent!;
    expect(text).to.contain('ONEIL');
    expect(text).to.contain('APT 4B');
    expect(changes.querySelector('[data-field="responsible.suffix"]')!.textContent).to.contain('JR');
    // each change is named by its field's label, not its key
    expect(changes.querySelector('[data-field="responsible.suffix"] strong')!.textContent).to.equal('Suffix');
    expect(shadow(el).textContent).not.to.contain('512-34-6789'.replace(/-/g, ''));
    // the review takes focus so a screen reader hears it
    expect(shadow(el).activeElement?.id).to.equal('review');
    // a document goes with it
    const documents = shadow(el).querySelector<HTMLInputElement>('#f-documents')!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['Itemized statement: $1,250.50'], 'statement.txt', { type: 'text/plain' }));
    documents.files = transfer.files;
    // choosing a document does not discard the review (documents are sent after placing)
    documents.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    documents.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(shadow(el).querySelector('#review')).to.not.equal(null);
    setTimeout(() => click(el, 'place'));
    const event = await oneEvent(el, 'ck-placement-created');
    expect(event.detail.clientAccountNumber).to.equal(acct);
    const result = await find(el, '[part~=result]');
    expect(result.textContent).to.contain('pending the agency');
    expect(result.textContent).to.contain('ONEIL, MARY K JR');
    expect(result.querySelector('[data-documents]')!.textContent).to.contain('statement.txt');
    const placement = await client.get<{ status: string; balance: { amountCents: number } }>(`/placements/${event.detail.placementId}`);
    expect(placement.status).to.equal('pending_review');
    expect(placement.balance.amountCents).to.equal(125050);
  });

  it('puts what cannot be fixed next to its field, linked for screen readers', async () => {
    await signIn(DEMO.client);
    const el = await mount();
    fill(el, { ...GOOD, clientAccountNumber: number(), 'responsible.phones.0.number': '555-0142', 'responsible.address.state': 'TX', 'balance.principal': 'lots' });
    click(el, 'review');
    const principal = await find<HTMLInputElement>(el, '[name="balance.principal"][aria-invalid=true]');
    expect(shadow(el).querySelector(`#${principal.getAttribute('aria-describedby')}`)!.textContent).to.contain('Enter an amount');
    type(el, 'balance.principal', '100');
    click(el, 'review');
    const phone = await find<HTMLInputElement>(el, '[name="responsible.phones.0.number"][aria-invalid=true]');
    expect(shadow(el).querySelector(`#${phone.getAttribute('aria-describedby')}`)!.textContent).to.contain('area code');
    const zip = shadow(el).querySelector<HTMLInputElement>('[name="responsible.address.zip"]')!;
    expect(zip.getAttribute('aria-invalid')).to.equal('true');
    expect(shadow(el).querySelector('[part~=error]')!.textContent).to.contain('need fixing');
    expect(shadow(el).querySelector('[data-action=place]')).to.equal(null);
    await waitUntil(() => shadow(el).activeElement === phone || shadow(el).activeElement?.getAttribute('aria-invalid') === 'true', 'focus on the first invalid field');
  });

  it('a group user chooses the client', async () => {
    await signIn(DEMO.group);
    const el = await mount();
    const select = shadow(el).querySelector<HTMLSelectElement>('[name=clientId]')!;
    expect([...select.options].map((o) => o.textContent)).to.include('Lakeside Family Clinic');
    fill(el, { ...GOOD, clientAccountNumber: number() });
    click(el, 'review');
    await find(el, '[name=clientId][aria-invalid=true]');
  });
});
