import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { accountPicker, userToken, type PickedAccount } from './account-fixtures.js';

describe.each(DIALECTS)('messages: contact the agency (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let staff: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    client = await api.login('demo.client');
    staff = await userToken(api, `staff.msg.${dialect}`, 'agency_staff', []);
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  it('a client starts a thread, the agency answers from the inbox, unread counts follow each side', async () => {
    const acct = await pick();
    const started = await api.request(`/accounts/${acct.publicId}/messages`, { token: client, body: { subject: 'Settlement offer?', body: 'Would you accept 60% in full?' } });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({
      id: ID('thr'), accountId: acct.publicId, subject: 'Settlement offer?', startedBy: 'client', messageCount: 1, unreadCount: 0,
      lastMessageAt: ISO_DATETIME, createdAt: ISO_DATETIME,
      messages: [{ id: ID('msg'), side: 'client', authorName: 'Dana Whitfield', body: 'Would you accept 60% in full?', createdAt: ISO_DATETIME }],
    });
    const threadId = started.body.id as string;
    // the agency has one unread message and an inbox task pointing at the thread
    expect((await api.request('/messages/unread', { token: staff })).body).toEqual({ total: 1, threads: [{ threadId, accountId: acct.publicId, subject: 'Settlement offer?', unreadCount: 1 }] });
    const inbox = await api.request(`/agency/inbox?kind=message&accountId=${acct.publicId}`, { token: staff });
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.data[0].source).toEqual({ type: 'message_thread', id: threadId });
    // a second client message in the same thread keeps the one task
    await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: client, body: { body: 'Or 70%?' } });
    expect((await api.request(`/agency/inbox?kind=message&accountId=${acct.publicId}`, { token: staff })).body.total).toBe(1);
    expect((await api.request(`/accounts/${acct.publicId}/messages`, { token: staff })).body.data[0].unreadCount).toBe(2);
    // reply from the inbox, closing the task
    const reply = await api.request(`/agency/inbox/${inbox.body.data[0].id}/reply`, { token: staff, body: { body: 'We can accept 70% by Dec 15.', close: true } });
    expect(reply.status).toBe(200);
    expect(reply.body.reply).toEqual({ kind: 'message', id: ID('msg') });
    expect(reply.body.task.status).toBe('done');
    // replying marks the agency user's read point; the client now has one unread
    expect((await api.request('/messages/unread', { token: staff })).body.total).toBe(0);
    const clientView = await api.request(`/accounts/${acct.publicId}/messages`, { token: client });
    expect(clientView.body.data[0]).toMatchObject({ id: threadId, messageCount: 3, unreadCount: 1 });
    const thread = await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: client });
    expect(thread.body.messages.map((m: { side: string }) => m.side)).toEqual(['client', 'client', 'agency']);
    expect(thread.body.unreadCount).toBe(1);
    const read = await api.request(`/accounts/${acct.publicId}/messages/${threadId}/read`, { token: client, method: 'POST' });
    expect(read.body.unreadCount).toBe(0);
    expect((await api.request('/messages/unread', { token: client })).body.total).toBe(0);
    // timeline, audit and client-visible events
    const timeline = await api.request(`/accounts/${acct.publicId}/activity`, { token: client });
    expect(timeline.body.data[0]).toMatchObject({ type: 'message', body: expect.stringContaining('Agency reply') });
    expect(Number((await api.db('audit_log').where({ action: 'account.message_posted', targetId: acct.publicId }).count({ n: '*' }))[0]!.n)).toBe(3);
    const events = await api.db('events').where({ type: 'account.message_posted', accountId: acct.id }).select('visibility');
    expect(events.map((e: { visibility: string }) => e.visibility)).toEqual(['client', 'client', 'client']);
    // a new client message after the task was closed opens a new one
    await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: client, body: { body: 'Agreed, thanks.' } });
    expect((await api.request(`/agency/inbox?kind=message&accountId=${acct.publicId}&status=all`, { token: staff })).body.total).toBe(2);
  });

  it('threads belong to their account and client: others get 404; posting needs notes.write', async () => {
    const acct = await pick();
    const started = await api.request(`/accounts/${acct.publicId}/messages`, { token: client, body: { subject: 'Question', body: 'Hello' } });
    const threadId = started.body.id as string;
    const group = await api.login('demo.group');
    expect((await api.request(`/accounts/${acct.publicId}/messages`, { token: group })).status).toBe(404);
    expect((await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: group })).status).toBe(404);
    expect((await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: group, body: { body: 'hi' } })).status).toBe(404);
    expect((await api.request('/messages/unread', { token: group })).body.total).toBe(0);
    // a thread id under another account of the same client is a 404 too
    const other = await pick();
    expect((await api.request(`/accounts/${other.publicId}/messages/${threadId}`, { token: client })).status).toBe(404);
    const viewer = await userToken(api, `viewer.msg.${dialect}`, 'client_viewer', ['CPL']);
    expect((await api.request(`/accounts/${acct.publicId}/messages`, { token: viewer })).status).toBe(200);
    expect((await api.request(`/accounts/${acct.publicId}/messages/${threadId}`, { token: viewer, body: { body: 'hi' } })).status).toBe(403);
    expect((await api.request(`/accounts/${acct.publicId}/messages`, { token: client, body: { subject: '', body: 'x' } })).status).toBe(400);
  });
});
