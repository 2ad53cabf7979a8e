import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { accountPicker, userToken, type PickedAccount } from './account-fixtures.js';
import { readEvents } from '../../api/platform/events.js';

describe.each(DIALECTS)('notes and the agency inbox (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let agency: string;
  let staff: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 120 });
    client = await api.login('demo.client');
    agency = await api.login('demo.agency');
    staff = await userToken(api, `staff.inbox.${dialect}`, 'agency_staff', []);
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  const note = (acct: PickedAccount, body: unknown, token = client) => api.request(`/accounts/${acct.publicId}/notes`, { token, body });

  it('a client note is posted at once, flags the account and opens an inbox task, with audit and events', async () => {
    const acct = await pick();
    const res = await note(acct, { body: 'Debtor called us and promised to pay on Friday.' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('act'), accountId: acct.publicId, visibility: 'client', body: 'Debtor called us and promised to pay on Friday.',
      authorName: 'Dana Whitfield', createdAt: ISO_DATETIME, flagged: true, taskId: null,
    });
    const timeline = await api.request(`/accounts/${acct.publicId}/activity`, { token: client });
    expect(timeline.body.data[0]).toMatchObject({ id: res.body.id, type: 'note', visibility: 'client', actorName: 'Dana Whitfield' });
    expect((await api.db('accounts').where({ id: acct.id }).first()).flaggedAt).toBeTruthy();
    const task = await api.db('tasks').where({ sourceId: res.body.id }).first();
    expect(task).toMatchObject({ kind: 'client_note', status: 'open', sourceType: 'note', accountId: acct.id });
    const inbox = await api.request(`/agency/inbox?accountId=${acct.publicId}`, { token: staff });
    expect(inbox.status).toBe(200);
    expect(inbox.body.data[0]).toEqual({
      id: ID('task'), kind: 'client_note', title: expect.stringContaining('promised to pay'), detail: 'Debtor called us and promised to pay on Friday.',
      status: 'open', account: { id: acct.publicId, debtorName: expect.any(String), agencyAccountNumber: expect.any(String), status: 'active', flagged: true },
      client: { id: ID('cli'), name: 'Cascade Power & Light' }, source: { type: 'note', id: res.body.id }, assignedTo: null,
      createdBy: 'Dana Whitfield', createdAt: ISO_DATETIME, closedAt: null,
    });
    expect(await api.db('audit_log').where({ action: 'account.note_added', targetId: acct.publicId }).first()).toBeTruthy();
    const events = await readEvents(api.db, { after: 0, limit: 1000, clientIds: 'all', clientVisibleOnly: false, types: ['account.note_added', 'task.opened'] });
    expect(events.filter((e) => e.accountId === acct.id).map((e) => [e.type, e.visibility])).toEqual([['task.opened', 'internal'], ['account.note_added', 'client']]);
  });

  it('agency notes are internal by default and never reach a client by any route or event', async () => {
    const acct = await pick();
    const secret = await note(acct, { body: 'INTERNAL: skip-trace hit, new employer' }, staff);
    expect(secret.status).toBe(201);
    expect(secret.body).toMatchObject({ visibility: 'internal', flagged: false, taskId: null });
    const shared = await note(acct, { body: 'We reached the debtor; plan proposed.', visibility: 'client' }, staff);
    expect(shared.body.visibility).toBe('client');
    const timeline = await api.request(`/accounts/${acct.publicId}/activity?pageSize=100`, { token: client });
    expect(timeline.text).not.toContain('skip-trace');
    expect(timeline.body.data.map((a: { id: string }) => a.id)).toContain(shared.body.id);
    const pane = await api.request(`/accounts/${acct.publicId}`, { token: client });
    expect(pane.text).not.toContain('skip-trace');
    const clientEvents = await readEvents(api.db, { after: 0, limit: 1000, clientIds: [acct.clientId], clientVisibleOnly: true });
    expect(clientEvents.some((e) => e.payload.noteId === secret.body.id)).toBe(false);
    expect(clientEvents.some((e) => e.payload.noteId === shared.body.id)).toBe(true);
    // the agency sees both
    const agencyView = await api.request(`/accounts/${acct.publicId}/activity?pageSize=100`, { token: staff });
    expect(agencyView.text).toContain('skip-trace');
    // no task for agency notes
    expect(await api.db('tasks').where({ accountId: acct.id }).first()).toBeUndefined();
  });

  it('a client cannot write an internal note; notes need notes.write and the account to be theirs', async () => {
    const acct = await pick();
    const notes = async () => Number((await api.db('activity').where({ accountId: acct.id, type: 'note' }).count({ n: '*' }))[0]!.n);
    const before = await notes();
    const internal = await note(acct, { body: 'hidden?', visibility: 'internal' });
    expect(internal.status).toBe(400);
    expect(internal.body.errors[0].path).toBe('visibility');
    expect((await note(acct, { body: '' })).status).toBe(400);
    const viewer = await userToken(api, `viewer.notes.${dialect}`, 'client_viewer', ['CPL']);
    expect((await note(acct, { body: 'hello' }, viewer)).status).toBe(403);
    const group = await api.login('demo.group');
    expect((await note(acct, { body: 'hello' }, group)).status).toBe(404);
    expect(await notes()).toBe(before);
    expect(await api.db('tasks').where({ accountId: acct.id }).first()).toBeUndefined();
  });

  it('staff claim a task (someone else then gets 409), reply with a client-visible note and close it: the flag clears', async () => {
    const acct = await pick();
    const n = await note(acct, { body: 'Please call the debtor at work.' });
    const n2 = await note(acct, { body: 'Also: new phone 503-555-0199.' });
    const tasks = (await api.request(`/agency/inbox?accountId=${acct.publicId}`, { token: staff })).body.data as { id: string; source: { id: string } }[];
    expect(tasks).toHaveLength(2);
    const first = tasks.find((t) => t.source.id === n.body.id)!;
    const claimed = await api.request(`/agency/inbox/${first.id}/claim`, { token: staff, method: 'POST' });
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignedTo).toEqual({ id: ID('usr'), name: `Test staff.inbox.${dialect}` });
    expect((await api.request(`/agency/inbox/${first.id}/claim`, { token: staff, method: 'POST' })).status).toBe(200);
    const taken = await api.request(`/agency/inbox/${first.id}/claim`, { token: agency, method: 'POST' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('already_claimed');
    const mine = await api.request('/agency/inbox?assigned=me', { token: staff });
    expect(mine.body.data.map((t: { id: string }) => t.id)).toEqual([first.id]);
    expect(mine.body.counts.mine).toBe(1);
    const reply = await api.request(`/agency/inbox/${first.id}/reply`, { token: staff, body: { body: 'Called at work; debtor will pay Friday.', close: true } });
    expect(reply.status).toBe(200);
    expect(reply.body.reply).toEqual({ kind: 'note', id: ID('act') });
    expect(reply.body.task).toMatchObject({ status: 'done', closedAt: ISO_DATETIME });
    const seen = await api.request(`/accounts/${acct.publicId}/activity`, { token: client });
    expect(seen.body.data[0]).toMatchObject({ id: reply.body.reply.id, visibility: 'client', body: 'Called at work; debtor will pay Friday.' });
    // one task still open: still flagged
    expect((await api.db('accounts').where({ id: acct.id }).first()).flaggedAt).toBeTruthy();
    const second = tasks.find((t) => t.source.id === n2.body.id)!;
    const closed = await api.request(`/agency/inbox/${second.id}/close`, { token: agency, body: { resolution: 'Phone added' } });
    expect(closed.status).toBe(200);
    expect(closed.body.account.flagged).toBe(false);
    expect((await api.db('accounts').where({ id: acct.id }).first()).flaggedAt).toBeNull();
    const again = await api.request(`/agency/inbox/${second.id}/close`, { token: agency, body: {} });
    expect(again.status).toBe(409);
    expect(await api.db('audit_log').where({ action: 'task.close', targetId: second.id }).first()).toBeTruthy();
    expect(await api.db('audit_log').where({ action: 'task.claim', targetId: first.id }).first()).toBeTruthy();
    const done = await api.request(`/agency/inbox?status=done&accountId=${acct.publicId}`, { token: staff });
    expect(done.body.total).toBe(2);
  });

  it('marking an account disputed puts a dispute in the inbox', async () => {
    const acct = await pick();
    await api.request(`/accounts/${acct.publicId}/status`, { token: client, body: { status: 'disputed', reason: 'Debtor says the bill was paid in 2024' } });
    const inbox = await api.request(`/agency/inbox?kind=dispute&accountId=${acct.publicId}`, { token: staff });
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.data[0]).toMatchObject({ kind: 'dispute', detail: expect.stringContaining('Debtor says the bill was paid in 2024'), account: { status: 'disputed', flagged: true } });
  });

  it('the inbox is for agency staff only', async () => {
    expect((await api.request('/agency/inbox', { token: client })).status).toBe(403);
    const task = await api.db('tasks').first('public_id');
    expect((await api.request(`/agency/inbox/${task.publicId}/close`, { token: client, body: {} })).status).toBe(403);
    expect((await api.request('/agency/inbox/task_00000000000000000000000000/claim', { token: staff, method: 'POST' })).status).toBe(404);
    expect((await api.request('/agency/inbox?status=maybe', { token: staff })).status).toBe(400);
  });
});
