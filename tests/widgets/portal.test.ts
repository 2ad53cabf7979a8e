import { fixture, html, expect, oneEvent, waitUntil, aTimeout } from '@open-wc/testing';
import '../../widgets/all.js';
import { ApiClient, ApiError, type User } from '../../widgets/internal/api-client.js';
import { CkElement } from '../../widgets/internal/ck-element.js';
import { CkLogin } from '../../widgets/login/login.js';
import type { CkPortal } from '../../widgets/portal/portal.js';
import { API, API_SHORT_TOKENS, DEMO, expectAccessible, find, shadow, signIn, signOut, type } from './helpers.js';

describe('ck-portal', () => {
  afterEach(signOut);

  it('is accessible with the elements inside it', async () => {
    const portal = await fixture<CkPortal>(html`<ck-portal api=${API}><ck-login></ck-login><ck-account-search></ck-account-search></ck-portal>`);
    await find(portal.querySelector('ck-login')!, 'form');
    await expectAccessible(portal);
  });

  it('provides one session to its elements and fires ck-session-change', async () => {
    const portal = await fixture<CkPortal>(html`<ck-portal api=${API}><ck-login></ck-login><ck-account-search></ck-account-search></ck-portal>`);
    const login = portal.querySelector('ck-login')!;
    const search = portal.querySelector('ck-account-search')!;
    expect(shadow(search).textContent).to.contain('Sign in to search accounts.');
    type(login, 'username', DEMO.client.username);
    type(login, 'password', DEMO.client.password);
    const changed = oneEvent(portal, 'ck-session-change');
    shadow(login).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    expect((await changed).detail.user?.username).to.equal('demo.client');
    expect(portal.user?.username).to.equal('demo.client');
    // The search, which never saw the login form, now searches as that user.
    await find(search, 'tbody tr');

    const ended = oneEvent(portal, 'ck-session-change');
    await (login as CkLogin).logout();
    expect((await ended).detail.user).to.equal(null);
    await waitUntil(() => shadow(search).textContent!.includes('Sign in to search accounts.'));
  });

  it('resumes the session from sessionStorage after a reload', async () => {
    await signIn(DEMO.group);
    const stored = sessionStorage.getItem(`collectkit:${API}`);
    expect(stored).to.be.a('string');
    // A reload: a new client with nothing in memory but the host page's sessionStorage.
    const reloaded = new ApiClient(API);
    expect(reloaded.user).to.equal(null);
    const user = (await reloaded.restore()) as User;
    expect(user.username).to.equal('demo.group');
    expect(sessionStorage.getItem(`collectkit:${API}`)).to.not.equal(stored); // rotated
    const me = await reloaded.get<User>('/me');
    expect(me.username).to.equal('demo.group');
    await reloaded.logout();
  });

  it('refreshes an expired access token once and retries the call', async () => {
    const client = new ApiClient(API_SHORT_TOKENS);
    await client.login(DEMO.client.username, DEMO.client.password);
    const before = sessionStorage.getItem(`collectkit:${API_SHORT_TOKENS}`);
    await aTimeout(2200); // the access token (1 s) has expired
    const [a, b] = await Promise.all([client.get<User>('/me'), client.get<User>('/me')]); // one shared refresh
    expect(a.username).to.equal('demo.client');
    expect(b.username).to.equal('demo.client');
    expect(sessionStorage.getItem(`collectkit:${API_SHORT_TOKENS}`)).to.not.equal(before);
    await client.logout();
    expect(sessionStorage.getItem(`collectkit:${API_SHORT_TOKENS}`)).to.equal(null);
  });

  it('throws ApiError with the problem body, and honours an AbortSignal', async () => {
    const client = new ApiClient(API);
    const error = await client.get('/me').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    const problem = (error as ApiError).problem;
    expect(problem.status).to.equal(401);
    expect(problem.code).to.equal('unauthorized');
    expect(problem.requestId).to.be.a('string');

    const controller = new AbortController();
    const pending = client.get('/health', undefined, controller.signal);
    controller.abort();
    const aborted = await pending.catch((e: unknown) => e);
    expect((aborted as Error).name).to.equal('AbortError');
  });

  it('defines elements harmlessly when the bundle is loaded again', () => {
    expect(() => CkLogin.define('ck-login')).to.not.throw();
    expect(customElements.get('ck-login')).to.equal(CkLogin);
    // The same constructor under a second name (another copy of the page's setup) still works.
    CkLogin.define('ck-login-again');
    expect(document.createElement('ck-login-again')).to.be.instanceOf(CkLogin);
    expect(document.createElement('ck-login')).to.be.instanceOf(CkElement);
  });
});
