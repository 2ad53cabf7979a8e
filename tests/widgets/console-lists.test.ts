/**
 * What the console's list elements share (widgets/agency-console/managed-list.ts), on the real API:
 * focus is kept when a change removes the button that started it, and a change cannot be started
 * twice by a double click while its first request is still out.
 */
import { fixture, html, expect, waitUntil } from '@open-wc/testing';
import '../../widgets/agency-console/api-keys.js';
import '../../widgets/agency-console/report-schedules.js';
import { API, DEMO, expectAccessible, find, shadow, signIn, signOut } from './helpers.js';
import { otherUser } from './other-user.js';

/** Confirms the open confirmation dialog of `host`. */
async function confirm(host: Element): Promise<void> {
  const dialog = await find<HTMLDialogElement>(host, 'dialog.confirm[open]');
  dialog.querySelector<HTMLButtonElement>('[data-action=confirm]')!.click();
}

describe('console lists (managed-list)', () => {
  afterEach(signOut);

  it('a key revoked from the keyboard leaves focus on the list, not lost with the Revoke button', async () => {
    const agency = await otherUser(DEMO.agency);
    const key = await agency.call<{ id: string }>('POST', '/agency/integration-keys', { name: `Focus test ${Date.now().toString(36)}`, scopes: ['events:read'] });
    await signIn(DEMO.agency);
    const keys = await fixture(html`<ck-api-keys api=${API}></ck-api-keys>`);
    const revoke = await find<HTMLButtonElement>(keys, `tr[data-id="${key.id}"] [data-action=revoke]`);
    revoke.focus();
    revoke.click();
    await confirm(keys);
    await waitUntil(() => shadow(keys).querySelector(`tr[data-id="${key.id}"] [data-field=status]`)?.textContent?.startsWith('Revoked'), 'the key to be revoked', { timeout: 10000 });
    expect(shadow(keys).querySelector(`tr[data-id="${key.id}"] [data-action=revoke]`)).to.equal(null);
    await waitUntil(() => shadow(keys).activeElement !== null, 'focus to stay inside the element', { timeout: 3000 });
    expect(shadow(keys).activeElement!.getAttribute('aria-label')).to.equal('API keys');
    expect(shadow(keys).querySelector('[role=status]')!.textContent).to.contain('is revoked');
    await expectAccessible(keys);
  });

  it('a double click on Run now starts one snapshot, not two', async () => {
    const agency = await otherUser(DEMO.agency);
    const schedule = await agency.call<{ id: string }>('POST', '/reports/status/schedules', { frequency: 'weekly' });
    await signIn(DEMO.agency);
    const schedules = await fixture(html`<ck-report-schedules api=${API}></ck-report-schedules>`);
    const run = await find<HTMLButtonElement>(schedules, `tr[data-id="${schedule.id}"] [data-action=run-now]`);
    run.click();
    // a person's second click: a moment later, in its own task, while the first request is out
    await new Promise((resolve) => setTimeout(resolve, 0));
    run.click();
    await find(schedules, `tr[data-id="${schedule.id}"] [data-field=run]`, 'the run');
    // a second request would have left with the second click, before the first answer: give it a moment to land
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const audit = await agency.call<{ data: { target: { id: string } | null }[] }>('GET', '/agency/audit?action=report_schedule.run_now&pageSize=200');
    expect(audit.data.filter((e) => e.target?.id === schedule.id)).to.have.length(1);
    await agency.call('DELETE', `/reports/schedules/${schedule.id}`);
  });

  it('a failed progress check of Run now is said and checked again, not left "waiting" until a reload', async () => {
    const agency = await otherUser(DEMO.agency);
    const schedule = await agency.call<{ id: string }>('POST', '/reports/status/schedules', { frequency: 'weekly' });
    await signIn(DEMO.agency);
    const schedules = await fixture(html`<ck-report-schedules api=${API}></ck-report-schedules>`);
    // The first check of the run's progress meets a server error; the API itself is fine.
    const realFetch = window.fetch;
    const checks: number[] = [];
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.includes(`/reports/schedules/${schedule.id}/runs/`)) {
        checks.push(Date.now());
        if (checks.length === 1) {
          return new Response(JSON.stringify({ type: 'about:blank', title: 'Internal error', status: 500, detail: 'Something went wrong.' }), { status: 500, headers: { 'content-type': 'application/problem+json' } });
        }
      }
      return realFetch(input, init);
    };
    try {
      (await find<HTMLButtonElement>(schedules, `tr[data-id="${schedule.id}"] [data-action=run-now]`)).click();
      await waitUntil(() => checks.length >= 1, 'the first progress check', { timeout: 10000 });
      await waitUntil(() => shadow(schedules).textContent?.includes("Can't check the snapshot's progress"), 'the failed check to be said', { timeout: 5000 });
      await waitUntil(() => checks.length >= 2, 'the progress to be checked again', { timeout: 10000 });
      await waitUntil(() => !shadow(schedules).textContent?.includes("Can't check the snapshot's progress"), 'the message to go once a check answers', { timeout: 10000 });
    } finally {
      window.fetch = realFetch;
      await agency.call('DELETE', `/reports/schedules/${schedule.id}`);
    }
  });
});
