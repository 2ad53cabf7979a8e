import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkClientPortal } from '../../widgets/client-portal/client-portal.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';

const START = location.href;

/** The view heading, once it has focus (focus follows sign-in and navigation). */
async function focusedHeading(el: Element, text: string): Promise<HTMLElement> {
  await waitUntil(() => {
    const active = shadow(el).activeElement;
    return active?.tagName === 'H1' && active.textContent?.trim() === text;
  }, `focus on the “${text}” heading`, { timeout: 10000 });
  return shadow(el).activeElement as HTMLElement;
}

const menuLabels = (el: Element) => [...shadow(el).querySelectorAll('nav a')].map((a) => a.textContent!.trim());

describe('ck-client-portal', () => {
  afterEach(async () => {
    await signOut();
    history.replaceState(null, '', START);
  });

  it('signed out: the sign-in form under its heading, accessible', async () => {
    await signOut();
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    const login = await find(el, 'ck-login');
    await find(login, '#username');
    expect(shadow(el).querySelector('h1')!.textContent).to.equal('Sign in to your client portal');
    expect(shadow(el).querySelector('nav')).to.equal(null);
    await expectAccessible(el);
  });

  it('signing in moves focus to the Accounts heading; the menu shows the client areas; the area was loaded on demand', async () => {
    await signOut();
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    const login = await find(el, 'ck-login');
    (await find<HTMLInputElement>(login, '#username')).value = DEMO.client.username;
    (shadow(login).querySelector('#password') as HTMLInputElement).value = DEMO.client.password;
    shadow(login).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await focusedHeading(el, 'Accounts');
    expect(menuLabels(el)).to.deep.equal(['Accounts', 'Messages', 'Reports', 'Collaboration Center', 'Place accounts']);
    expect(shadow(el).querySelector('nav a[aria-current=page]')!.textContent!.trim()).to.equal('Accounts');
    const search = await find(el, 'ck-account-search');
    await find(search, 'tr[data-id]', 'the first page of accounts');
    await expectAccessible(el);
  });

  it('routes are URLs: a menu link sets the hash, the back button returns, a row opens its account deep link', async () => {
    await signIn(DEMO.client);
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    const search = await find(el, 'ck-account-search');
    const row = await find(search, 'tr[data-id]');
    const accountId = row.dataset.id!;
    row.click();
    await focusedHeading(el, 'Account');
    expect(location.hash).to.equal(`#/accounts/${accountId}`);
    expect(shadow(el).querySelector('ck-account-pane')!.getAttribute('account-id')).to.equal(accountId);

    shadow(el).querySelector<HTMLAnchorElement>('nav a[data-route=reports]')!.click();
    await focusedHeading(el, 'Reports');
    expect(location.hash).to.equal('#/reports');
    await find(el, 'ck-report-viewer');
    await expectAccessible(el);

    history.back();
    await focusedHeading(el, 'Account');
    expect(location.hash).to.equal(`#/accounts/${accountId}`);
  });

  it('history routing: real paths below base, links navigate without a reload', async () => {
    await signIn(DEMO.client);
    history.replaceState(null, '', '/portal-test/messages');
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API} routing="history" base="/portal-test/"></ck-client-portal>`);
    await find(el, 'h1[data-view=messages]');
    const link = shadow(el).querySelector<HTMLAnchorElement>('nav a[data-route=collab]')!;
    expect(link.getAttribute('href')).to.equal('/portal-test/collab');
    link.click();
    await focusedHeading(el, 'Collaboration Center');
    expect(location.pathname).to.equal('/portal-test/collab');
    history.back();
    await focusedHeading(el, 'Messages');
  });

  it('user menu: opens and closes with Escape (focus back on its button), its pages, sign out', async () => {
    await signIn(DEMO.client);
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API}></ck-client-portal>`);
    await focusedHeading(el, 'Accounts').catch(() => undefined);
    const button = await find<HTMLButtonElement>(el, '#user-button');
    expect(button.textContent).to.contain('Dana Whitfield');
    button.click();
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    const items = [...shadow(el).querySelectorAll('#user-menu li')].map((li) => li.textContent!.trim());
    expect(items).to.deep.equal(['Edit my info', 'Change password', 'Two-step sign-in', 'Sign out']);
    await expectAccessible(el);
    shadow(el).querySelector('#user-menu a')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    expect(shadow(el).activeElement).to.equal(button);

    button.click();
    await el.updateComplete;
    shadow(el).querySelector<HTMLAnchorElement>('#user-menu a[data-route="me/password"]')!.click();
    await focusedHeading(el, 'Change password');
    const settings = await find(el, 'ck-user-settings');
    await find(settings, '#currentPassword');
    await expectAccessible(el);

    button.click();
    await el.updateComplete;
    shadow(el).querySelector<HTMLButtonElement>('[data-action=sign-out]')!.click();
    await focusedHeading(el, 'Sign in to your client portal');
    expect(shadow(el).querySelector('ck-login')).to.not.equal(null);
    // the next person to sign in starts at the portal's home, not on the last user's page
    expect(location.hash).to.not.contain('me/password');
    expect(location.hash.replace(/^#\/?/, '')).to.equal('');
  });
});
