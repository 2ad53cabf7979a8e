import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkLogin } from '../../widgets/login/login.js';
import { API, RESET_USER, expectAccessible, find, shadow, signOut, type } from './helpers.js';

async function mount(): Promise<CkLogin> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-login></ck-login></ck-portal>`);
  return portal.querySelector('ck-login')!;
}

const submit = (el: Element) => shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
const heading = (el: Element) => shadow(el).querySelector('h2')?.textContent ?? '';
const notice = (el: Element) => shadow(el).querySelector('[part=notice]')?.textContent?.trim() ?? '';

describe('ck-login: forgot password, forgot username, reset link', () => {
  afterEach(async () => {
    history.replaceState(null, '', location.pathname + location.search);
    await signOut();
  });

  it('"Forgot password?" sends the address and shows the same answer whoever asks', async () => {
    const el = await mount();
    (await find<HTMLButtonElement>(el, '[data-action=forgot-password]')).click();
    await waitUntil(() => heading(el) === 'Reset your password');
    await expectAccessible(el);
    type(el, 'email', 'nobody-here@example.test');
    submit(el);
    await waitUntil(() => notice(el) !== '', 'the answer', { timeout: 10000 });
    const unknownAnswer = notice(el);
    expect(unknownAnswer).to.match(/^If this address belongs to a portal user/);
    expect(shadow(el).querySelector('[part=notice]')!.getAttribute('aria-live')).to.equal('polite');
    type(el, 'email', 'dana.whitfield@cascadepower.example'); // demo.client: a real address
    submit(el);
    await waitUntil(() => !shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.disabled);
    expect(notice(el)).to.equal(unknownAnswer);
  });

  it('"Forgot username?" shows the agency\'s client support contact', async () => {
    const el = await mount();
    (await find<HTMLButtonElement>(el, '[data-action=forgot-username]')).click();
    const support = await find(el, '[part=support]');
    expect(support.textContent).to.contain('(503) 555-0100');
    expect(support.textContent).to.contain('clientsupport@northwind-recovery.example');
    expect(support.querySelector('a[href^="tel:"]')!.getAttribute('href')).to.equal('tel:5035550100');
    await expectAccessible(el);
    [...shadow(el).querySelectorAll<HTMLButtonElement>('button.link')].find((b) => b.textContent!.includes('Back'))!.click();
    await find(el, 'input[name=username]');
  });

  it('opening the emailed link shows the new-password form, takes the token out of the address, and the new password works', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#reset-password=${RESET_USER.token}`);
    const el = await mount();
    await waitUntil(() => heading(el) === 'Choose a new password');
    expect(location.hash).to.equal('');
    await find(el, '[part=rules] li');
    await expectAccessible(el);
    type(el, 'newPassword', 'short');
    type(el, 'confirmPassword', 'short');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('newPassword-error')?.textContent, 'the policy error', { timeout: 10000 });

    type(el, 'newPassword', 'Fresh-Reset-Pass-2026');
    type(el, 'confirmPassword', 'Fresh-Reset-Pass-2026');
    submit(el);
    await waitUntil(() => notice(el).startsWith('Your password is changed'), 'the success notice', { timeout: 10000 });
    await find(el, 'input[name=username]');
    type(el, 'username', RESET_USER.username);
    type(el, 'password', 'Fresh-Reset-Pass-2026');
    const login = oneEvent(el, 'ck-login');
    submit(el);
    expect((await login).detail.user.username).to.equal(RESET_USER.username);
  });
});
