import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { accountPicker, userToken, type PickedAccount } from './account-fixtures.js';
import { releaseExpiredHolds } from '../../api/account-status/account-status.service.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import '../../api/jobs-registry.js';
import { atInstant } from './test-clock.js';

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(DIALECTS)('account status actions (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 150 });
    client = await api.login('demo.client');
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  const post = (acct: PickedAccount, action: string, body: unknown, token = client) => api.request(`/accounts/${acct.publicId}/${action}`, { token, body });
  const status = async (acct: PickedAccount) => (await api.db('accounts').where({ id: acct.id }).first('status')).status as string;

  it('hold with an until-date, then release back to active: timeline, audit and events each time', async () => {
    const acct = await pick();
    const until = dayAfter(10);
    const held = await post(acct, 'hold', { reason: 'Debtor in hospital', until, documentRef: 'Letter 2026-11-20' });
    expect(held.status).toBe(200);
    expect(held.body).toEqual({ accountId: acct.publicId, from: 'active', status: 'hold', holdUntil: until, reason: 'Debtor in hospital', documentRef: 'Letter 2026-11-20', activityId: ID('act') });
    const row = await api.db('accounts').where({ id: acct.id }).first();
    expect(row.status).toBe('hold');
    expect(row.statusBeforeHold).toBe('active');
    const pane = await api.request(`/accounts/${acct.publicId}`, { token: client });
    expect(pane.body.status).toBe('hold');
    expect(pane.body.recentActivity[0]).toMatchObject({ type: 'hold', visibility: 'client', actorName: 'Dana Whitfield' });
    expect(pane.body.recentActivity[0].body).toContain('Letter 2026-11-20');
    const audit = await api.db('audit_log').where({ action: 'account.hold', targetId: acct.publicId }).first();
    expect(JSON.parse(audit.beforeJson)).toEqual({ status: 'active', holdUntil: null });
    expect(JSON.parse(audit.afterJson)).toMatchObject({ status: 'hold', holdUntil: until, reason: 'Debtor in hospital' });
    const released = await post(acct, 'release', { reason: 'Back home' });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ from: 'hold', status: 'active', holdUntil: null });
    expect(await api.db('audit_log').where({ action: 'account.release', targetId: acct.publicId }).first()).toBeTruthy();
    const events = await api.db('events').where({ type: 'account.status_changed', accountId: acct.id }).orderBy('id').select('payload_json');
    expect(events.map((e: { payloadJson: string }) => JSON.parse(e.payloadJson).status)).toEqual(['hold', 'active']);
    // the feed's documented fields (docs/integration.md), the same as an inbound status change carries
    expect(events.map((e: { payloadJson: string }) => JSON.parse(e.payloadJson))).toEqual([
      expect.objectContaining({ accountId: acct.publicId, from: 'active', to: 'hold', reason: 'Debtor in hospital' }),
      expect.objectContaining({ accountId: acct.publicId, from: 'hold', to: 'active', reason: 'Back home' }),
    ]);
  });

  it('a hold on a disputed account releases back to disputed', async () => {
    const acct = await pick();
    expect((await post(acct, 'status', { status: 'disputed', reason: 'Debtor disputes the amount' })).status).toBe(200);
    expect((await post(acct, 'hold', { reason: 'Waiting for records' })).status).toBe(200);
    const released = await post(acct, 'release', {});
    expect(released.body).toMatchObject({ from: 'hold', status: 'disputed' });
  });

  it('holds are released automatically when the until-date comes, by the system', async () => {
    const acct = await pick();
    const until = dayAfter(3);
    await post(acct, 'hold', { reason: 'Insurance pending', until });
    expect(await releaseExpiredHolds(api.db, new Date(Date.now() + 86_400_000))).toBe(0);
    expect(await status(acct)).toBe('hold');
    // the worker tick does it (the ticker registered through api/jobs-registry.ts)
    await atInstant(new Date(`${until}T00:00:01Z`), () => runWorkerOnce({ db: api.db, config: api.config }));
    expect(await status(acct)).toBe('active');
    expect(await releaseExpiredHolds(api.db, new Date(`${until}T00:00:02Z`))).toBe(0);
    const audit = await api.db('audit_log').where({ action: 'account.release', targetId: acct.publicId }).first();
    expect(audit.actorType).toBe('system');
    const activity = await api.db('activity').where({ accountId: acct.id }).orderBy('id', 'desc').first();
    expect(activity).toMatchObject({ type: 'hold', actorName: 'CollectKit' });
    expect(activity.body).toContain(`Hold ended on ${until}`);
  });

  it('only sensible moves: a recalled account cannot be held, released, marked or recalled again', async () => {
    const acct = await pick();
    const recalled = await post(acct, 'recall', { reason: 'Client settled with the debtor', documentRef: 'att_123' });
    expect(recalled.status).toBe(200);
    expect(recalled.body).toMatchObject({ from: 'active', status: 'recalled', documentRef: 'att_123' });
    for (const [action, body] of [['hold', { reason: 'pause it' }], ['release', {}], ['recall', { reason: 'again' }], ['status', { status: 'disputed', reason: 'dispute' }]] as const) {
      const res = await post(acct, action, body);
      expect(res.status, action).toBe(409);
      expect(res.body.code).toBe('invalid_transition');
    }
    expect(await status(acct)).toBe('recalled');
    expect(await api.db('audit_log').where({ targetId: acct.publicId }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
    // releasing an account that is not on hold
    const active = await pick();
    expect((await post(active, 'release', {})).body.code).toBe('invalid_transition');
  });

  it('marking paid needs a zero balance; other marks take a required reason', async () => {
    const acct = await pick();
    const paid = await post(acct, 'status', { status: 'paid', reason: 'Paid in full' });
    expect(paid.status).toBe(409);
    expect(paid.body.code).toBe('balance_not_zero');
    await api.request(`/accounts/${acct.publicId}/adjustments`, { token: client, body: { type: 'write_off', reason: 'Paid elsewhere' } });
    expect((await post(acct, 'status', { status: 'paid', reason: 'Paid in full' })).status).toBe(200);
    const other = await pick();
    const noReason = await post(other, 'status', { status: 'bankrupt' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');
    expect((await post(other, 'status', { status: 'closed', reason: 'not markable' })).status).toBe(400);
    const bk = await post(other, 'status', { status: 'bankrupt', reason: 'Chapter 7 filing', documentRef: 'Case 26-10442' });
    expect(bk.body).toMatchObject({ status: 'bankrupt' });
    expect((await post(other, 'hold', { reason: 'pause' })).status).toBe(409);
  });

  it('a hold until-date must be after today', async () => {
    const acct = await pick();
    const res = await post(acct, 'hold', { reason: 'pause', until: new Date().toISOString().slice(0, 10) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('until');
  });

  it('needs accounts.status and the account to be the caller\'s', async () => {
    const acct = await pick();
    const viewer = await userToken(api, `viewer.st.${dialect}`, 'client_viewer', ['CPL']);
    expect((await post(acct, 'hold', { reason: 'pause' }, viewer)).status).toBe(403);
    const group = await api.login('demo.group');
    expect((await post(acct, 'recall', { reason: 'not mine' }, group)).status).toBe(404);
    expect(await status(acct)).toBe('active');
    // agency staff may act on any client's account
    const staff = await userToken(api, `staff.st.${dialect}`, 'agency_staff', []);
    expect((await post(acct, 'hold', { reason: 'Agency pause' }, staff)).status).toBe(200);
  });
});
