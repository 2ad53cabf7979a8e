import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { accountPicker, userToken, type PickedAccount } from './account-fixtures.js';

describe.each(DIALECTS)('contact updates and special instructions (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let pick: (min?: number) => Promise<PickedAccount>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    client = await api.login('demo.client');
    pick = accountPicker(api, 'CPL');
  });
  afterAll(() => api.close());

  it('updates address, phones, do-not-call windows, channel and instructions, keeping the history', async () => {
    const acct = await pick();
    const res = await api.request(`/accounts/${acct.publicId}/contact`, {
      token: client,
      body: {
        address: { line1: '12 Alder St', city: 'Salem', state: 'or', zip: '97301' },
        phones: [{ type: 'mobile', number: '(503) 555-0177' }],
        preferredChannel: 'sms',
        doNotCall: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        specialInstructions: 'Works nights; text first.',
        reason: 'Debtor called in',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.preferences).toEqual({ preferredChannel: 'sms', doNotCall: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }] });
    expect(res.body.specialInstructions).toBe('Works nights; text first.');
    expect(res.body.history).toHaveLength(1);
    expect(res.body.history[0]).toMatchObject({ id: ID('cch'), party: 'responsible', reason: 'Debtor called in', changedBy: 'Dana Whitfield', changedAt: ISO_DATETIME });
    expect(res.body.history[0].changes.address.after).toEqual({ line1: '12 Alder St', line2: null, city: 'Salem', state: 'OR', zip: '97301' });
    expect(res.body.history[0].changes.phones.after).toEqual([{ type: 'mobile', number: '5035550177' }]);
    const pane = await api.request(`/accounts/${acct.publicId}`, { token: client });
    const responsible = pane.body.parties.find((p: { role: string }) => p.role === 'responsible');
    expect(responsible.address).toMatchObject({ line1: '12 Alder St', city: 'Salem', state: 'OR' });
    expect(pane.body.specialInstructions).toBe('Works nights; text first.');
    expect(pane.body.recentActivity[0]).toMatchObject({ type: 'contact_update', body: expect.stringContaining('address, phones, preferred channel, do-not-call windows, special instructions') });
    // search by the new phone finds it at once
    const search = await api.request('/accounts?phone=503-555-0177', { token: client });
    expect(search.body.data.map((a: { id: string }) => a.id)).toContain(acct.publicId);
    const audit = await api.db('audit_log').where({ action: 'account.contact_update', targetId: acct.publicId }).first();
    expect(JSON.parse(audit.afterJson).preferredChannel).toBe('sms');
    expect(await api.db('events').where({ type: 'account.contact_updated', accountId: acct.id }).first()).toBeTruthy();
    // the same values again change nothing and add no history
    const again = await api.request(`/accounts/${acct.publicId}/contact`, { token: client, body: { preferredChannel: 'sms', specialInstructions: 'Works nights; text first.' } });
    expect(again.body.history).toHaveLength(1);
    const cleared = await api.request(`/accounts/${acct.publicId}/contact`, { token: client, body: { specialInstructions: null } });
    expect(cleared.body.specialInstructions).toBeNull();
    expect(cleared.body.history[0].changes).toEqual({ specialInstructions: { before: 'Works nights; text first.', after: null } });
  });

  it('rejects bad values and empty updates; needs accounts.update; another client\'s account is a 404', async () => {
    const acct = await pick();
    const bad = async (body: unknown, path: string) => {
      const res = await api.request(`/accounts/${acct.publicId}/contact`, { token: client, body });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    };
    await bad({ doNotCall: [{ days: ['mon'], from: '18:00', to: '09:00' }] }, 'doNotCall.0.to');
    await bad({ doNotCall: [{ days: ['someday'], from: '08:00', to: '09:00' }] }, 'doNotCall.0.days.0');
    await bad({ emails: ['not-an-email'] }, 'emails.0');
    await bad({ phones: [{ type: 'mobile', number: '555' }] }, 'phones.0.number');
    await bad({ preferredChannel: 'pigeon' }, 'preferredChannel');
    expect((await api.request(`/accounts/${acct.publicId}/contact`, { token: client, body: { reason: 'nothing' } })).status).toBe(400);
    const patient = await api.request(`/accounts/${acct.publicId}/contact`, { token: client, body: { party: 'patient', emails: ['a@b.example'] } });
    expect(patient.status).toBe(404); // a utility account has no patient party
    const viewer = await userToken(api, `viewer.contact.${dialect}`, 'client_viewer', ['CPL']);
    expect((await api.request(`/accounts/${acct.publicId}/contact`, { token: viewer, body: { preferredChannel: 'email' } })).status).toBe(403);
    expect((await api.request(`/accounts/${acct.publicId}/contact`, { token: viewer })).status).toBe(200);
    const group = await api.login('demo.group');
    expect((await api.request(`/accounts/${acct.publicId}/contact`, { token: group, body: { preferredChannel: 'email' } })).status).toBe(404);
    expect((await api.request(`/accounts/${acct.publicId}/contact`, { token: group })).status).toBe(404);
    expect(await api.db('contact_changes').where({ accountId: acct.id }).first()).toBeUndefined();
  });
});
