/**
 * Issue 19: with the API unreachable, GETs are retried quietly with back-off, the client portal says
 * "Can't reach the server — retrying in N s" with "Retry now", and everything recovers without a
 * reload once the API answers again. The server really drops connections (serve-test-api.ts's
 * switch); no fetch is mocked.
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/all.js';
import { ApiClient, ApiError, clientFor, type Connection } from '../../widgets/internal/api-client.js';
import type { CkClientPortal } from '../../widgets/client-portal/client-portal.js';
import { API_FLAKY, DEMO, expectAccessible, find, outage, shadow } from './helpers.js';

const START = location.href;

describe('automatic retry with back-off', () => {
  afterEach(async () => {
    await outage(0);
    const client = clientFor(API_FLAKY);
    client.retryDelaysMs = [1000, 2000, 4000, 8000, 16000, 30000];
    if (client.user) await client.logout();
    sessionStorage.clear();
    history.replaceState(null, '', START);
  });

  it('a GET during an outage is retried with growing pauses and succeeds once the server is back; connection goes retrying → online', async () => {
    const client = new ApiClient(API_FLAKY);
    await client.login(DEMO.client.username, DEMO.client.password);
    client.retryDelaysMs = [300, 600, 1200, 2400];
    const seen: Connection[] = [];
    client.addEventListener('connection-change', () => seen.push(client.connection));
    await outage(1200);
    const started = performance.now();
    const me = await client.get<{ username: string }>('/me');
    expect(me.username).to.equal(DEMO.client.username);
    expect(performance.now() - started).to.be.greaterThan(800); // 300 + 600 ms of pauses at least
    const states = seen.map((c) => c.state);
    expect(states[0]).to.equal('retrying');
    expect(states.at(-1)).to.equal('online');
    expect(Math.max(...seen.map((c) => (c.state === 'retrying' ? c.attempt : 0)))).to.be.greaterThan(1);
    expect(client.connection.state).to.equal('online');
    await client.logout();
  });

  it('gives up after the last attempt (status 0, connection offline); never retries a POST', async () => {
    const client = new ApiClient(API_FLAKY);
    await client.login(DEMO.client.username, DEMO.client.password);
    client.retryDelaysMs = [100, 100];
    await outage(5000);
    const error = await client.get('/me').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).status).to.equal(0);
    expect(client.connection.state).to.equal('offline');
    const started = performance.now();
    await client.request('POST', '/auth/logout').catch(() => undefined);
    expect(performance.now() - started).to.be.lessThan(90); // no pause: not retried
    await outage(0);
    await client.get('/me');
    expect(client.connection.state).to.equal('online');
  });

  it('the client portal shows "Can\'t reach the server — retrying in N s" with Retry now, and recovers without a reload', async () => {
    const client = clientFor(API_FLAKY);
    await client.login(DEMO.client.username, DEMO.client.password);
    history.replaceState(null, '', `${location.pathname}#/accounts`);
    const el = await fixture<CkClientPortal>(html`<ck-client-portal api=${API_FLAKY}></ck-client-portal>`);
    await find(el, 'h1[data-view=accounts]');
    await outage(60_000);
    shadow(el).querySelector<HTMLAnchorElement>('nav a[data-route=messages]')!.click();
    const banner = await find(el, '[data-connection=retrying]', 'the retrying status');
    expect(banner.getAttribute('role')).to.equal('status');
    expect(banner.textContent).to.match(/Can't reach the server — retrying in \d+ s\./);
    await expectAccessible(el);
    // the server comes back; Retry now does not wait for the back-off
    await outage(0);
    shadow(el).querySelector<HTMLButtonElement>('[data-action=retry-now]')!.click();
    await waitUntil(() => !shadow(el).querySelector('[data-connection]'), 'the status to go', { timeout: 3000 });
    const messages = await find(el, 'ck-unread-messages');
    await waitUntil(() => shadow(messages).querySelector('[data-field=empty], [data-field=total]'), 'the messages', { timeout: 3000 });

    // and by itself: a short outage while opening Reports
    await outage(1500);
    shadow(el).querySelector<HTMLAnchorElement>('nav a[data-route=collab]')!.click();
    await find(el, '[data-connection=retrying]', 'the retrying status');
    await waitUntil(() => !shadow(el).querySelector('[data-connection]'), 'recovery without a click', { timeout: 8000 });
  });
});
