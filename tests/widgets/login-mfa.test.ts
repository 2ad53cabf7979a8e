import { fixture, html, expect, oneEvent, waitUntil } from '@open-wc/testing';
import { Secret, TOTP } from 'otpauth';
import '../../widgets/all.js';
import type { CkLogin } from '../../widgets/login/login.js';
import { API, MFA_PASSWORD, expectAccessible, find, shadow, signOut, type } from './helpers.js';

async function mount(): Promise<CkLogin> {
  const portal = await fixture(html`<ck-portal api=${API}><ck-login></ck-login></ck-portal>`);
  return portal.querySelector('ck-login')!;
}

const submit = (el: Element) => shadow(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
const formError = (el: Element) => shadow(el).querySelector('[part~=error]')?.textContent?.trim() ?? '';
const code = (secret: string, offsetSeconds = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() + offsetSeconds * 1000 });

async function signInWithPassword(el: CkLogin, username: string) {
  await find(el, 'input[name=username]');
  type(el, 'username', username);
  type(el, 'password', MFA_PASSWORD);
  submit(el);
}

describe('ck-login two-step sign-in', () => {
  afterEach(signOut);

  it('enrols when the role requires it (QR, first code, recovery codes), then asks for a code at each sign-in', async () => {
    // 1. first sign-in: the role requires MFA, so the user sets up an authenticator app
    let el = await mount();
    await signInWithPassword(el, 'mfa.user1');
    const qr = await find<HTMLImageElement>(el, 'img[part=qr]');
    expect(qr.src).to.match(/^data:image\/svg\+xml;base64,/);
    expect(qr.alt).to.contain('QR code');
    expect(shadow(el).querySelector('.steps')!.textContent).to.equal('Step 3 of 3');
    const secret = shadow(el).querySelector('[part=secret]')!.textContent!.replace(/\s+/g, '');
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    expect(shadow(el).querySelector('input[name=code]')!.getAttribute('autocomplete')).to.equal('one-time-code');
    await expectAccessible(el);

    const right = code(secret);
    type(el, 'code', right === '000000' ? '111111' : '000000');
    submit(el);
    await waitUntil(() => shadow(el).getElementById('code-error')?.textContent, 'the wrong code to be flagged', { timeout: 10000 });
    expect(shadow(el).querySelector('input[name=code]')!.getAttribute('aria-invalid')).to.equal('true');

    type(el, 'code', right);
    submit(el);
    const list = await find(el, '[part=recovery-codes]');
    const recoveryCodes = [...list.querySelectorAll('code')].map((c) => c.textContent!);
    expect(recoveryCodes).to.have.length(10);
    await expectAccessible(el);
    const loggedIn = oneEvent(el, 'ck-login');
    shadow(el).querySelector<HTMLButtonElement>('button[part~=submit]')!.click();
    expect((await loggedIn).detail.user.onboarding.mfaEnrolmentRequired).to.equal(false);
    await find(el, '.signed-in');
    await el.logout();

    // 2. the next sign-in asks for the code after the password
    el = await mount();
    await signInWithPassword(el, 'mfa.user1');
    const input = await find<HTMLInputElement>(el, 'input[name=code]');
    expect(shadow(el).querySelector('h2')!.textContent).to.equal('Two-step sign-in');
    expect(input.getAttribute('inputmode')).to.equal('numeric');
    await expectAccessible(el);
    // the code used to enrol was spent: replaying it is refused
    type(el, 'code', right);
    submit(el);
    await waitUntil(() => formError(el) !== '', 'the replayed code to be refused', { timeout: 10000 });
    expect(formError(el)).to.match(/already used/);
    const signedIn = oneEvent(el, 'ck-login');
    type(el, 'code', code(secret, 30));
    submit(el);
    expect((await signedIn).detail.user.username).to.equal('mfa.user1');
    await el.logout();

    // 3. a recovery code works instead of the app, once
    el = await mount();
    await signInWithPassword(el, 'mfa.user1');
    await find(el, 'input[name=code]');
    [...shadow(el).querySelectorAll<HTMLButtonElement>('button.link')].find((b) => b.textContent!.includes('recovery code'))!.click();
    await find(el, 'input[name=recoveryCode]');
    const viaRecovery = oneEvent(el, 'ck-login');
    type(el, 'recoveryCode', recoveryCodes[0]!);
    submit(el);
    await viaRecovery;
  });

  it('"Back to sign in" leaves the second step', async () => {
    const el = await mount();
    await signInWithPassword(el, 'mfa.user1');
    await find(el, 'input[name=code]');
    [...shadow(el).querySelectorAll<HTMLButtonElement>('button.link')].find((b) => b.textContent!.includes('Back'))!.click();
    await find(el, 'input[name=username]');
  });
});
