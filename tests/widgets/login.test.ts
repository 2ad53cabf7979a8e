import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import type { CkLogin } from '../../widgets/login/login.js';
import { API, DEMO, ONBOARDING_PASSWORD, expectAccessible, find, shadow, signOut, type } from './helpers.js';

async function mount(): Promise<CkLogin> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-login></ck-login></ck-portal>`);
  return portal.querySelector('ck-login')!;
}

const submit = (el: Element) => shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
const formError = (el: Element) => shadow(el).querySelector('[part~=error]')!.textContent!.trim();

describe('ck-login', () => {
  afterEach(signOut);

  it('is accessible', async () => {
    const el = await mount();
    await find(el, 'form');
    await expectAccessible(el);
  });

  it('labels its fields and links errors with aria-describedby in a polite live region', async () => {
    const el = await mount();
    submit(el);
    await waitUntil(() => formError(el) !== '');
    const username = shadow(el).querySelector('input[name=username]')!;
    expect(shadow(el).querySelector('label[for=username]')!.textContent).to.equal('Username');
    expect(username.getAttribute('aria-invalid')).to.equal('true');
    expect(username.getAttribute('aria-describedby')).to.contain('username-error');
    expect(shadow(el).getElementById('username-error')!.textContent).to.equal('This field is required.');
    expect(shadow(el).querySelector('[part~=error]')!.getAttribute('aria-live')).to.equal('polite');
  });

  it('shows the API detail for a wrong password', async () => {
    const el = await mount();
    type(el, 'username', DEMO.group.username);
    type(el, 'password', 'not-the-password');
    submit(el);
    await waitUntil(() => formError(el) !== '', 'an error', { timeout: 10000 });
    expect(formError(el)).to.equal('The username or password is incorrect.');
    expect(shadow(el).querySelector('input[name=password]')).to.exist;
  });

  it('shows "Too many attempts" once the server locks a username (429)', async () => {
    const el = await mount();
    for (let i = 0; i < 6; i++) {
      type(el, 'username', 'nobody.locked');
      type(el, 'password', `wrong-${i}`);
      submit(el);
      await el.updateComplete; // the request is in flight: the button is disabled
      await waitUntil(() => !shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.disabled, 'an answer', { timeout: 10000 });
    }
    expect(formError(el)).to.match(/^Too many attempts/);
  });

  it('signs in, fires ck-login with the user, and signs out', async () => {
    const el = await mount();
    type(el, 'username', DEMO.client.username);
    type(el, 'password', DEMO.client.password);
    const login = oneEvent(el, 'ck-login');
    submit(el);
    const { detail } = await login;
    expect(detail.user.username).to.equal('demo.client');
    expect(detail.user.onboarding.required).to.equal(false);
    expect(sessionStorage.getItem(`collectkit:${API}`)).to.be.a('string');
    await find(el, '.signed-in');
    expect(shadow(el).querySelector('.signed-in')!.textContent).to.contain('Dana Whitfield');
    await expectAccessible(el);

    const logout = oneEvent(el, 'ck-logout');
    shadow(el).querySelector<HTMLButtonElement>('.signed-in button')!.click();
    await logout;
    await find(el, 'input[name=username]');
    expect(sessionStorage.getItem(`collectkit:${API}`)).to.equal(null);
  });

  it('forces profile confirmation and a password change, showing the policy rules first', async () => {
    const el = await mount();
    type(el, 'username', 'new.user1');
    type(el, 'password', ONBOARDING_PASSWORD);
    let fired = false;
    el.addEventListener('ck-login', () => (fired = true));
    submit(el);

    // Step 1: the profile, prefilled from GET /me.
    const firstName = await find<HTMLInputElement>(el, 'input[name=firstName]');
    expect(firstName.value).to.equal('Nia');
    expect(shadow(el).querySelector<HTMLInputElement>('input[name=email]')!.value).to.equal('new.user1@cascadepower.example');
    expect(fired).to.equal(false);
    await expectAccessible(el);
    type(el, 'firstName', 'Niamh');
    submit(el);

    // Step 2: the policy rules are on screen before anything is typed.
    await find(el, 'input[name=newPassword]');
    const rules = await find(el, '[part~=rules]');
    expect(rules.textContent).to.contain('At least 12 characters');
    const newPassword = shadow(el).querySelector('input[name=newPassword]')!;
    expect(newPassword.getAttribute('aria-describedby')).to.contain('policy-rules');
    expect(newPassword.getAttribute('aria-describedby')).to.contain('newPassword-error');
    await expectAccessible(el);

    // A weak password: the server's message appears next to the field.
    type(el, 'currentPassword', ONBOARDING_PASSWORD);
    type(el, 'newPassword', 'short');
    type(el, 'confirmPassword', 'short');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('newPassword-error')!.textContent !== '', 'field error', { timeout: 10000 });
    expect(shadow(el).getElementById('newPassword-error')!.textContent).to.match(/at least/i);
    expect(newPassword.getAttribute('aria-invalid')).to.equal('true');

    // A wrong current password: the error is next to that field.
    type(el, 'currentPassword', 'not-it');
    type(el, 'newPassword', 'Brand-New-Secret-2026!');
    type(el, 'confirmPassword', 'Brand-New-Secret-2026!');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('currentPassword-error')!.textContent !== '', 'field error', { timeout: 10000 });
    expect(shadow(el).getElementById('currentPassword-error')!.textContent).to.equal('The current password is incorrect.');

    type(el, 'currentPassword', ONBOARDING_PASSWORD);
    const login = oneEvent(el, 'ck-login');
    submit(el);
    const { detail } = await login;
    expect(detail.user.firstName).to.equal('Niamh');
    expect(detail.user.onboarding.required).to.equal(false);
    await find(el, '.signed-in');
  });

  it('asks for the current password only when the profile\'s email changes, and shows a wrong one next to the field', async () => {
    const el = await mount();
    type(el, 'username', 'new.user2');
    type(el, 'password', ONBOARDING_PASSWORD);
    submit(el);
    await find<HTMLInputElement>(el, 'input[name=email]');
    expect(shadow(el).querySelector('input[name=currentPassword]')).to.equal(null);

    type(el, 'email', 'nia.home@example.test');
    const current = await find<HTMLInputElement>(el, 'input[name=currentPassword]');
    expect(current.type).to.equal('password');
    expect(current.getAttribute('aria-describedby')).to.contain('email-change-hint');
    expect(shadow(el).querySelector('label[for=currentPassword]')!.textContent).to.equal('Current password');
    await expectAccessible(el);

    // typed back to the address on file: no password needed any more
    type(el, 'email', 'New.User2@cascadepower.example');
    await el.updateComplete;
    expect(shadow(el).querySelector('input[name=currentPassword]')).to.equal(null);

    type(el, 'email', 'nia.home@example.test');
    await find(el, 'input[name=currentPassword]');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('currentPassword-error')!.textContent !== '', 'required', { timeout: 10000 });
    expect(shadow(el).getElementById('currentPassword-error')!.textContent).to.equal('This field is required.');

    type(el, 'currentPassword', 'not-it');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('currentPassword-error')!.textContent === 'The current password is incorrect.', 'server field error', { timeout: 10000 });
    expect(shadow(el).querySelector('input[name=currentPassword]')!.getAttribute('aria-invalid')).to.equal('true');

    type(el, 'currentPassword', ONBOARDING_PASSWORD);
    submit(el);
    await find(el, 'input[name=newPassword]');
    expect(el.user!.email).to.equal('nia.home@example.test');
  });
});
