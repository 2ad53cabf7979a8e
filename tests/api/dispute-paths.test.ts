/**
 * One dispute path. Marking an account disputed (account-status, issue 3) opens a dispute record in
 * the disputes service (issue 9) — one record per dispute whichever way it came in, with the hold,
 * the inbox task, the audit row and the compliance export — and the two stay consistent both ways:
 * leaving collection closes the open records, answering a record restores the status it
 * interrupted, and a hold cannot end in collecting while a record is open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { accountPicker, type PickedAccount } from './account-fixtures.js';
import { releaseExpiredHolds } from '../../api/account-status/account-status.service.js';
import { linkSession } from './pay-helpers.js';

const dayAfter = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(DIALECTS)('one dispute path (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let pick: (minBalance?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 150 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api?.close());

  const act = (acct: PickedAccount, action: string, body: unknown, token = client) => api.request(`/accounts/${acct.publicId}/${action}`, { token, body });
  const resolve = (disputeId: string, resolution = 'Verification mailed.') => api.request(`/agency/disputes/${disputeId}/resolve`, { token: agency, body: { resolution } });
  const records = async (acct: PickedAccount) =>
    (await api.db('disputes').where({ accountId: acct.id }).orderBy('id').select('publicId', 'status', 'submittedVia', 'resolution')) as { publicId: string; status: string; submittedVia: string; resolution: string | null }[];
  const status = async (acct: PickedAccount) => (await api.db('accounts').where({ id: acct.id }).first('status', 'holdUntil', 'statusBeforeHold', 'flaggedAt'));

  it('a client marking the account disputed opens one dispute record: hold, inbox task, audit, events, export', async () => {
    const acct = await pick();
    const res = await act(acct, 'status', { status: 'disputed', reason: 'Debtor called: says it was paid in 2024', documentRef: 'Call log 11/20' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accountId: acct.publicId, from: 'active', status: 'disputed', holdUntil: null, reason: 'Debtor called: says it was paid in 2024',
      documentRef: 'Call log 11/20', activityId: ID('act'), disputeId: ID('dsp'),
    });
    const [record] = await records(acct);
    expect(await records(acct)).toHaveLength(1);
    expect(record).toMatchObject({ publicId: res.body.disputeId, status: 'open', submittedVia: 'client' });
    const row = await api.db('disputes').where({ publicId: res.body.disputeId }).first('kind', 'scope', 'reasonCode', 'reason', 'previousStatus', 'disputedAmountCents');
    expect(row).toEqual({ kind: 'dispute', scope: 'all', reasonCode: 'other', reason: 'Debtor called: says it was paid in 2024 Supporting document: Call log 11/20.', previousStatus: 'active', disputedAmountCents: acct.balanceCents });
    expect((await status(acct)).status).toBe('disputed');
    expect((await status(acct)).flaggedAt).toBeTruthy();
    // one inbox task, the dispute's
    const tasks = await api.db('tasks').where({ accountId: acct.id, kind: 'dispute' }).select('sourceType', 'sourceId', 'status');
    expect(tasks).toEqual([{ sourceType: 'dispute', sourceId: res.body.disputeId, status: 'open' }]);
    // one audit row for the change (the dispute's), the timeline entry the response names, both events
    expect(await api.db('audit_log').where({ targetId: acct.publicId }).pluck('action')).toEqual(['dispute.opened']);
    expect(await api.db('activity').where({ publicId: res.body.activityId }).first('type', 'visibility', 'actorName')).toEqual({ type: 'dispute', visibility: 'client', actorName: 'Dana Whitfield' });
    const events = await api.db('events').where({ accountId: acct.id }).whereIn('type', ['account.status_changed', 'dispute.opened']).orderBy('id').pluck('type');
    expect(events).toEqual(['account.status_changed', 'dispute.opened']);
    // the client sees it with the account's disputes; the compliance export lists it
    expect((await api.request(`/accounts/${acct.publicId}/disputes`, { token: client })).body.data.map((d: { id: string }) => d.id)).toEqual([res.body.disputeId]);
    const exported = await api.request(`/accounts/${acct.publicId}/compliance-export`, { token: agency });
    expect(exported.status).toBe(200);
    expect(exported.body.disputes).toEqual([expect.objectContaining({ id: res.body.disputeId, status: 'open', submittedVia: 'client' })]);
    expect(exported.body.audit.map((a: { action: string }) => a.action)).toContain('dispute.opened');
  });

  it('one record per dispute whichever path opened it: a disputed account is not marked disputed again', async () => {
    // the debtor online first
    const online = await pick();
    const debtor = await linkSession(api, agency, online.publicId);
    expect((await api.request('/pay/disputes', { token: debtor, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' } })).status).toBe(201);
    const again = await act(online, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');
    expect((await records(online)).map((r) => r.submittedVia)).toEqual(['debtor']);
    // staff entry first (agency)
    const entered = await pick();
    expect((await api.request(`/accounts/${entered.publicId}/disputes`, { token: agency, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_owed' } })).status).toBe(201);
    expect((await act(entered, 'status', { status: 'disputed', reason: 'again' }, agency)).status).toBe(409);
    expect((await records(entered)).map((r) => r.submittedVia)).toEqual(['agency']);
    // marked by the agency: the record says so
    const marked = await pick();
    expect((await act(marked, 'status', { status: 'disputed', reason: 'Letter from debtor' }, agency)).status).toBe(200);
    expect((await records(marked)).map((r) => r.submittedVia)).toEqual(['agency']);
  });

  it('answering the dispute restores the status; a later dispute is a second record', async () => {
    const acct = await pick();
    const first = await act(acct, 'status', { status: 'disputed', reason: 'Debtor disputes the amount' });
    const answered = await resolve(first.body.disputeId);
    expect(answered.body).toMatchObject({ status: 'resolved', accountStatus: 'active' });
    expect((await status(acct)).status).toBe('active');
    const second = await act(acct, 'status', { status: 'disputed', reason: 'Disputes again after verification' });
    expect(second.status).toBe(200);
    expect((await records(acct)).map((r) => [r.publicId, r.status])).toEqual([[first.body.disputeId, 'resolved'], [second.body.disputeId, 'open']]);
    const exported = await api.request(`/accounts/${acct.publicId}/compliance-export`, { token: agency });
    expect(exported.body.disputes.map((d: { id: string; status: string }) => [d.id, d.status])).toEqual([[first.body.disputeId, 'resolved'], [second.body.disputeId, 'open']]);
  });

  it('leaving collection (recall, a final status) closes the open dispute records', async () => {
    const recalled = await pick();
    const d1 = await act(recalled, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    expect((await act(recalled, 'recall', { reason: 'Client takes the account back' })).status).toBe(200);
    expect(await records(recalled)).toEqual([{ publicId: d1.body.disputeId, status: 'resolved', submittedVia: 'client', resolution: 'Closed: the account was recalled (Client takes the account back).' }]);
    const audit = await api.db('audit_log').where({ action: 'dispute.resolved', targetId: recalled.publicId }).first('afterJson');
    expect(JSON.parse(audit.afterJson)).toMatchObject({ disputeId: d1.body.disputeId, status: 'recalled', dispute: 'resolved' });
    expect((await resolve(d1.body.disputeId)).status).toBe(409);

    // a dispute and an original-creditor request, then bankrupt: both close
    const bankrupt = await pick();
    await api.request(`/accounts/${bankrupt.publicId}/disputes`, { token: agency, body: { kind: 'original_creditor_request' } });
    await act(bankrupt, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    expect((await act(bankrupt, 'status', { status: 'bankrupt', reason: 'Chapter 7 filing' })).status).toBe(200);
    expect((await records(bankrupt)).map((r) => [r.status, r.resolution])).toEqual([
      ['resolved', 'Closed: the account was marked bankrupt (Chapter 7 filing).'],
      ['resolved', 'Closed: the account was marked bankrupt (Chapter 7 filing).'],
    ]);
    expect((await status(bankrupt)).status).toBe('bankrupt');
    const exported = await api.request(`/accounts/${bankrupt.publicId}/compliance-export`, { token: agency });
    expect(exported.body.disputes.every((d: { status: string }) => d.status === 'resolved')).toBe(true);
  });

  it("answering or closing a record marks its inbox task done: audited with it, a task.closed event for ck-inbox, the flag cleared when nothing else is open", async () => {
    const taskOf = async (disputeId: string) => (await api.db('tasks').where({ sourceType: 'dispute', sourceId: disputeId }).first('publicId', 'status', 'closedAt', 'assignedUserId'));
    const agencyUser = (await api.db('users').where({ username: 'demo.agency' }).first('id')) as { id: number };
    // answered by the agency
    const acct = await pick();
    const d = await act(acct, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    const task = await taskOf(d.body.disputeId);
    expect(task.status).toBe('open');
    const answered = await resolve(d.body.disputeId, 'Verification mailed 11/25.');
    expect(answered.status).toBe(200);
    expect(await taskOf(d.body.disputeId)).toMatchObject({ status: 'done', closedAt: expect.anything(), assignedUserId: agencyUser.id });
    const resolved = await api.db('audit_log').where({ action: 'dispute.resolved', targetId: acct.publicId }).first('requestId');
    const closed = await api.db('audit_log').where({ action: 'task.close', targetId: task.publicId }).select('requestId', 'actorType', 'afterJson');
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ requestId: resolved.requestId, actorType: 'user' });
    expect(JSON.parse(closed[0].afterJson)).toMatchObject({ status: 'done', resolution: 'Dispute answered: Verification mailed 11/25.', accountUnflagged: true });
    const event = await api.db('events').where({ type: 'task.closed', accountId: acct.id }).first('visibility', 'payloadJson');
    expect(event.visibility).toBe('internal');
    expect(JSON.parse(event.payloadJson)).toMatchObject({ taskId: task.publicId, status: 'done' });
    expect((await status(acct)).flaggedAt).toBeNull();
    const inbox = await api.request(`/agency/inbox?status=done&accountId=${acct.publicId}`, { token: agency });
    expect(inbox.body.data.map((t: { id: string }) => t.id)).toContain(task.publicId);

    // leaving collection closes both records and both tasks; another open task keeps the flag
    const recalled = await pick();
    const oc = await api.request(`/accounts/${recalled.publicId}/disputes`, { token: agency, body: { kind: 'original_creditor_request' } });
    const dispute = await act(recalled, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    await api.request(`/accounts/${recalled.publicId}/notes`, { token: client, body: { body: 'Please call me about this one.' } });
    expect((await act(recalled, 'recall', { reason: 'Client takes the account back' })).status).toBe(200);
    for (const id of [oc.body.id, dispute.body.disputeId]) {
      const t = await taskOf(id);
      expect(t.status).toBe('done');
      const row = await api.db('audit_log').where({ action: 'task.close', targetId: t.publicId }).first('afterJson');
      expect(JSON.parse(row.afterJson)).toMatchObject({ status: 'done', resolution: 'Closed: the account was recalled (Client takes the account back).', accountUnflagged: false });
    }
    expect(await api.db('tasks').where({ accountId: recalled.id, status: 'open' }).pluck('kind')).toEqual(['client_note']);
    expect((await status(recalled)).flaggedAt).toBeTruthy();

    // a task already closed in the inbox stays as it was when the dispute is answered later
    const early = await pick();
    const e = await act(early, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    const earlyTask = await taskOf(e.body.disputeId);
    expect((await api.request(`/agency/inbox/${earlyTask.publicId}/close`, { token: agency, body: { resolution: 'Sent to the client' } })).status).toBe(200);
    const closedAt = (await taskOf(e.body.disputeId)).closedAt;
    expect((await resolve(e.body.disputeId)).status).toBe(200);
    expect((await taskOf(e.body.disputeId)).closedAt).toEqual(closedAt);
    expect(await api.db('audit_log').where({ action: 'task.close', targetId: earlyTask.publicId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('closing the task in the inbox while the dispute is answered or the account leaves collection: both succeed, never a deadlock', async () => {
    for (let i = 0; i < 8; i++) {
      const acct = await pick(1);
      const d = await act(acct, 'status', { status: 'disputed', reason: `Race ${i}` });
      const task = await api.db('tasks').where({ sourceType: 'dispute', sourceId: d.body.disputeId }).first('publicId');
      const close = api.request(`/agency/inbox/${task.publicId}/close`, { token: agency, body: {} });
      const other = i % 2 ? resolve(d.body.disputeId) : act(acct, 'recall', { reason: 'Client takes it back' });
      const [closed, answered] = await Promise.all([close, other]);
      // whichever came second: the inbox close finds the task done (409) or the dispute finds it closed (no-op)
      expect([200, 409]).toContain(closed.status);
      expect(answered.status, answered.text).toBe(200);
      expect(await api.db('tasks').where({ publicId: task.publicId }).first('status')).toEqual({ status: 'done' });
      expect(await api.db('audit_log').where({ action: 'task.close', targetId: task.publicId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    }
  });

  it('a hold placed on a disputed account: answering the dispute during it makes the release return to collection', async () => {
    const acct = await pick();
    const d = await act(acct, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    expect((await act(acct, 'hold', { reason: 'Waiting for records' })).body).toMatchObject({ from: 'disputed', status: 'hold' });
    const answered = await resolve(d.body.disputeId);
    expect(answered.body.accountStatus).toBe('hold');
    expect((await status(acct)).statusBeforeHold).toBe('active');
    expect((await act(acct, 'release', {})).body).toMatchObject({ from: 'hold', status: 'active' });
    // without the answer the release goes back to disputed and the record stays open
    const other = await pick();
    await act(other, 'status', { status: 'disputed', reason: 'Debtor disputes it' });
    await act(other, 'hold', { reason: 'Waiting for records' });
    expect((await act(other, 'release', {})).body).toMatchObject({ status: 'disputed' });
    expect((await records(other)).map((r) => r.status)).toEqual(['open']);
  });

  it('an open original-creditor request keeps a hold from ending in collection (release refused, expiry stays on hold)', async () => {
    const acct = await pick();
    const until = dayAfter(3);
    await act(acct, 'hold', { reason: 'Insurance pending', until });
    const oc = await api.request(`/accounts/${acct.publicId}/disputes`, { token: agency, body: { kind: 'original_creditor_request' } });
    expect(oc.body.accountStatus).toBe('hold');
    const release = await act(acct, 'release', {});
    expect(release.status).toBe(409);
    expect(release.body.code).toBe('dispute_open');
    expect(await releaseExpiredHolds(api.db, new Date(`${until}T00:00:01Z`))).toBeGreaterThanOrEqual(1);
    expect(await status(acct)).toMatchObject({ status: 'hold', holdUntil: null });
    expect((await records(acct))[0]!.status).toBe('open');
    // answering the request now returns the account to collection
    expect((await resolve(oc.body.id, 'Original creditor named in a letter.')).body.accountStatus).toBe('active');
    expect((await status(acct)).status).toBe('active');
  });
});
