/**
 * Issue 17, item 3: a client manager's compliance export held raw audit rows — internal-note bodies,
 * agency user ids and IPs, debtor IPs, payment-link creation. Client callers now get client-visible
 * rows only, with IPs and staff identities redacted; the agency's export is unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { consent, makeDebtor } from './compliance-helpers.js';

const SECRET_NOTE = 'Internal: debtor sounded evasive, skip-trace the employer';

describe.each(DIALECTS)('compliance export for client callers (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 30 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
  });
  afterAll(() => api.close());

  it('shows a client only client-visible rows, without IPs or agency staff', async () => {
    const d = await makeDebtor(api, 3, { state: 'OR', zip: '97201' });
    await api.db('accounts').where({ id: d.accountId }).update({ status: 'active', balanceCents: 50_000 });
    await consent(api, d); // the debtor's IP 203.0.113.9 is on the consent and its audit row
    const agencyUser = (await api.db('users').where({ username: 'demo.agency' }).first('public_id')) as { publicId: string };
    const clientUser = (await api.db('users').where({ username: 'demo.client' }).first('public_id')) as { publicId: string };
    const headers = { 'X-Forwarded-For': '198.51.100.77' };
    expect((await api.request(`/accounts/${d.accountPublicId}/notes`, { token: agency, headers, body: { body: SECRET_NOTE, visibility: 'internal' } })).status).toBe(201);
    expect((await api.request(`/accounts/${d.accountPublicId}/notes`, { token: agency, body: { body: 'Shared: payment plan offered', visibility: 'client' } })).status).toBe(201);
    expect((await api.request(`/accounts/${d.accountPublicId}/notes`, { token: client, body: { body: 'Client: customer called us' } })).status).toBe(201);
    expect((await api.request(`/agency/accounts/${d.accountPublicId}/payment-links`, { token: agency, body: {} })).status).toBe(201);
    expect((await api.request(`/accounts/${d.accountPublicId}/opt-outs`, { token: agency, body: { channel: 'sms', address: d.phone, note: 'No texts.' } })).status).toBe(201);

    // the agency still sees everything
    const full = await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: agency });
    expect(full.status).toBe(200);
    expect(full.text).toContain(SECRET_NOTE);
    expect(full.body.audit.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['payment_link.created', 'account.note_added', 'esign.consented']));
    expect(full.body.consents[0].ip).toBe('203.0.113.9');

    const mine = await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: client });
    expect(mine.status).toBe(200);
    const actions = mine.body.audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['esign.consented', 'contact.opted_out', 'account.note_added']));
    expect(actions).not.toContain('payment_link.created');
    expect(mine.text).not.toContain(SECRET_NOTE);
    expect(mine.body.audit.filter((a: { action: string }) => a.action === 'account.note_added')).toHaveLength(2);
    expect(mine.text).toContain('Shared: payment plan offered');
    // no IP anywhere, no agency user id; the client's own user stays named
    expect(mine.text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|::1|::ffff/);
    expect(mine.text).not.toContain(agencyUser.publicId);
    expect(mine.body.audit.every((a: { ip: unknown }) => a.ip === null)).toBe(true);
    expect(mine.body.consents[0]).toMatchObject({ ip: null, userAgent: null });
    const actors = mine.body.audit.map((a: { actor: unknown }) => a.actor);
    expect(actors).toContainEqual({ type: 'agency', id: null });
    expect(actors).toContainEqual({ type: 'user', id: clientUser.publicId });
    expect(actors).toContainEqual({ type: 'debtor', id: null });

    const csv = await api.request(`/accounts/${d.accountPublicId}/compliance-export?format=csv`, { token: client });
    expect(csv.status).toBe(200);
    expect(csv.text).not.toContain(SECRET_NOTE);
    expect(csv.text).not.toContain('payment_link');
    expect(csv.text).not.toMatch(/\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|::1|::ffff/);
    expect(csv.text).not.toContain(agencyUser.publicId);
  });
});
