import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { decrypt } from '../../api/platform/crypto.js';

const count = async (api: TestApi, table: string) => Number(((await api.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);

describe.each(DIALECTS)('integration inbound upserts (%s)', (dialect) => {
  let api: TestApi;
  let key: string;
  let agency: string;
  let client: string;
  const post = (path: string, body: unknown, token = key) => api.request(`/integration/${path}`, { token, body });

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    key = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Core system', scopes: ['clients:write', 'accounts:write', 'activity:write'] } })).body.key;
  });
  afterAll(() => api.close());

  it('needs the scope for each kind of record', async () => {
    const feedOnly = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Feed', scopes: ['events:read'] } })).body.key;
    const res = await post('accounts', { agencyAccountNumber: 'X1' }, feedOnly);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
    expect((await post('clients', { code: 'X' }, agency)).status).toBe(401);
  });

  it('upserts a client; the same payload again changes nothing', async () => {
    const body = { code: 'HVW', name: 'Hood View Water', kind: 'utility' };
    const first = await post('clients', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ results: [{ index: 0, key: 'HVW', status: 'created', id: ID('cli') }], counts: { created: 1, updated: 0, unchanged: 0, failed: 0 } });
    const [audits, events] = [await count(api, 'audit_log'), await count(api, 'events')];
    const again = await post('clients', body);
    expect(again.body.results[0]).toEqual({ index: 0, key: 'HVW', status: 'unchanged', id: first.body.results[0].id });
    expect([await count(api, 'audit_log'), await count(api, 'events')]).toEqual([audits, events]);
    const renamed = await post('clients', { code: 'HVW', name: 'Hood View Water District' });
    expect(renamed.body.results[0].status).toBe('updated');
    expect((await api.db('clients').where({ code: 'HVW' }).first()).name).toBe('Hood View Water District');
    const audit = await api.db('audit_log').where({ action: 'client.update' }).orderBy('id', 'desc').first();
    expect(audit.actorType).toBe('integration');
    expect(JSON.parse(audit.afterJson)).toEqual({ name: 'Hood View Water District' });
  });

  const account = {
    agencyAccountNumber: 'INT0000001', clientCode: 'CPL', clientAccountNumber: 'CP-555-1', debtorName: "O'NEIL, PAT Q", accountType: 'utility',
    placedOn: '2026-10-01', serviceDate: '2026-08-15',
    parties: [{ role: 'responsible', firstName: 'PAT', middleName: 'Q', lastName: "O'NEIL", ssn: '123-45-6789', dob: '1980-02-03', phones: [{ type: 'mobile', number: '(503) 555-0199' }], emails: ['Pat@Mail.example'], city: 'PORTLAND', state: 'or', zip: '97201' }],
    balances: [{ component: 'principal', originalCents: 12000, currentCents: 12000 }, { component: 'fees', originalCents: 2500, currentCents: 1500 }],
  };

  it('creates an account with parties and balances, visible to the client; a resend is unchanged', async () => {
    const res = await post('accounts', account);
    expect(res.body.results[0]).toMatchObject({ status: 'created', key: 'INT0000001', id: ID('acct') });
    const id = res.body.results[0].id;
    const row = await api.db('accounts').where({ publicId: id }).first();
    expect(Number(row.balanceCents)).toBe(13500);
    expect(row.reviewStatus).toBe('accepted');
    expect(row.debtorNameKey).toBe('ONEIL PAT Q');
    expect(row.ssnLast4).toBe('6789');
    const party = await api.db('account_parties').where({ accountId: row.id }).first();
    expect(party.ssnEncrypted).not.toContain('6789');
    expect(decrypt(party.ssnEncrypted, api.config.secrets.dataKey)).toBe('123456789');
    expect(party.state).toBe('OR');
    expect(JSON.parse(party.emails)).toEqual(['pat@mail.example']);
    expect(await api.db('account_phones').where({ accountId: row.id }).select('phone')).toEqual([{ phone: '5035550199' }]);
    const seen = await api.request(`/accounts/${id}`, { token: client });
    expect(seen.status).toBe(200);
    expect(seen.body.balanceDetail.totalCents).toBe(13500);
    expect(seen.body.parties[0]).toMatchObject({ firstName: 'PAT', ssnLast4: '6789' });
    expect(seen.text).not.toContain('123456789');
    const created = await api.db('events').where({ type: 'account.created', accountId: row.id }).first();
    expect(JSON.parse(created.payloadJson)).toMatchObject({ accountId: id, agencyAccountNumber: 'INT0000001' });

    const state = [await count(api, 'audit_log'), await count(api, 'events'), await count(api, 'activity'), await count(api, 'account_parties')];
    const again = await post('accounts', account);
    expect(again.body.results[0].status).toBe('unchanged');
    expect([await count(api, 'audit_log'), await count(api, 'events'), await count(api, 'activity'), await count(api, 'account_parties')]).toEqual(state);
    // Only what differs is written, and the event names fields, never the SSN.
    const moved = await post('parties', { agencyAccountNumber: 'INT0000001', role: 'responsible', ssn: '987654321', address1: '1 MAIN ST' });
    expect(moved.body.results[0]).toMatchObject({ key: 'INT0000001/responsible', status: 'updated', id });
    const event = await api.db('events').where({ type: 'account.contact_updated', accountId: row.id }).orderBy('id', 'desc').first();
    expect(JSON.parse(event.payloadJson).fields.sort()).toEqual(['address1', 'ssn']);
    expect(event.payloadJson).not.toContain('987654321');
    expect((await api.db('accounts').where({ id: row.id }).first()).ssnLast4).toBe('4321');
  });

  it('moves balances and statuses idempotently, with a client-visible status entry', async () => {
    const bal = { agencyAccountNumber: 'INT0000001', component: 'principal', originalCents: 12000, currentCents: 9000 };
    expect((await post('balances', bal)).body.results[0].status).toBe('updated');
    expect((await post('balances', bal)).body.results[0].status).toBe('unchanged');
    expect(Number((await api.db('accounts').where({ agencyAccountNumber: 'INT0000001' }).first()).balanceCents)).toBe(10500);
    const status = { agencyAccountNumber: 'INT0000001', status: 'hold', reason: 'Debtor requested validation.' };
    expect((await post('statuses', status)).body.results[0].status).toBe('updated');
    expect((await post('statuses', status)).body.results[0].status).toBe('unchanged');
    const acct = await api.db('accounts').where({ agencyAccountNumber: 'INT0000001' }).first();
    expect(acct.status).toBe('hold');
    const entries = await api.db('activity').where({ accountId: acct.id, type: 'status_change' });
    expect(entries).toHaveLength(1);
    expect(entries[0].body).toBe('Status changed to hold. Debtor requested validation.');
    const ev = await api.db('events').where({ type: 'account.status_changed', accountId: acct.id });
    expect(ev.map((e: { payloadJson: string }) => JSON.parse(e.payloadJson))).toEqual([expect.objectContaining({ from: 'active', to: 'hold' })]);
  });

  it('answers per record: bad records fail alone, good ones are stored', async () => {
    const res = await post('accounts', [
      { ...account, agencyAccountNumber: 'INT0000002', parties: undefined, balances: undefined },
      { agencyAccountNumber: 'INT0000003', clientCode: 'CPL', status: 'sleeping' },
      { agencyAccountNumber: 'INT0000004', clientCode: 'NOPE', clientAccountNumber: 'A', debtorName: 'A, B', accountType: 'utility', placedOn: '2026-01-01' },
      { agencyAccountNumber: 'INT0000005', clientCode: 'CPL' },
      { ...account, clientCode: 'LFC', parties: undefined, balances: undefined },
      'not an object',
    ]);
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({ created: 1, updated: 0, unchanged: 0, failed: 5 });
    const [ok, badStatus, noClient, missing, mismatch, junk] = res.body.results;
    expect(ok.status).toBe('created');
    expect(badStatus.errors[0]).toMatchObject({ path: 'status' });
    expect(noClient.errors[0]).toMatchObject({ code: 'client_not_found', path: 'clientCode' });
    expect(missing.errors[0].code).toBe('missing_fields');
    expect(mismatch.errors[0].code).toBe('client_mismatch');
    expect(junk).toMatchObject({ index: 5, key: null, status: 'error' });
    expect(await api.db('accounts').whereIn('agencyAccountNumber', ['INT0000003', 'INT0000004', 'INT0000005'])).toEqual([]);
    expect((await post('accounts', [])).status).toBe(400);
    expect((await post('accounts', 7)).status).toBe(400);
    expect((await post('accounts', Array.from({ length: 10_001 }, () => ({})))).status).toBe(413);
  });

  it('takes NDJSON bulk activity; the same bulk again is all unchanged', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({
      externalId: `CALL-${i}`, agencyAccountNumber: i % 2 ? 'INT0000001' : 'INT0000002', type: i % 3 ? 'call_attempt' : 'note',
      visibility: i % 5 ? 'client' : 'internal', body: `Outbound call ${i}; left message.`, actorName: 'Collector 7', occurredAt: `2026-11-0${1 + (i % 9)}T1${i % 10}:00:00Z`,
    }));
    const send = () => api.request('/integration/activity', { token: key, rawBody: `${lines.join('\n')}\n`, headers: { 'Content-Type': 'application/x-ndjson' } });
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ created: 300, updated: 0, unchanged: 0, failed: 0 });
    const events = await count(api, 'events');
    const second = await send();
    expect(second.body.counts).toEqual({ created: 0, updated: 0, unchanged: 300, failed: 0 });
    expect(await count(api, 'events')).toBe(events);
    expect(await api.db('activity').where('external_id', 'like', 'CALL-%').count({ n: '*' })).toEqual([{ n: 300 }]);
    // an edit updates the one row; internal entries stay away from the client
    const edit = await post('activity', { externalId: 'CALL-0', agencyAccountNumber: 'INT0000002', type: 'note', visibility: 'internal', body: 'Debtor hostile; escalate.', occurredAt: '2026-11-01T10:00:00Z' });
    expect(edit.body.results[0].status).toBe('updated');
    const acctId = (await api.db('accounts').where({ agencyAccountNumber: 'INT0000002' }).first()).publicId;
    const timeline = await api.request(`/accounts/${acctId}/activity?pageSize=100`, { token: client });
    expect(timeline.text).not.toContain('escalate');
    const visible = await api.db('activity').join('accounts', 'accounts.id', 'activity.account_id').where({ 'accounts.agency_account_number': 'INT0000002', 'activity.visibility': 'client' }).count({ n: '*' });
    expect(timeline.body.total).toBe(Number(visible[0]!.n));
    const wrongAccount = await post('activity', { externalId: 'CALL-0', agencyAccountNumber: 'INT0000001', type: 'note', body: 'x', occurredAt: '2026-11-01T10:00:00Z' });
    expect(wrongAccount.body.results[0].errors[0].code).toBe('external_id_conflict');
    const badLine = await api.request('/integration/activity', { token: key, rawBody: '{"externalId":"A"}\n{oops', headers: { 'Content-Type': 'application/x-ndjson' } });
    expect(badLine.status).toBe(400);
    expect(badLine.body.errors[0].path).toBe('line.2');
    // a line nested thousands deep is refused as too deep (not malformed, not a 500), and nothing of the body is stored
    const before = await count(api, 'activity');
    const deepLine = await api.request('/integration/activity', { token: key, rawBody: `{"externalId":"DEEP-1","agencyAccountNumber":"INT0000001","type":"note","body":"x","occurredAt":"2026-11-01T10:00:00Z"}\n{"externalId":"DEEP-2","extra":${'['.repeat(20_000)}${']'.repeat(20_000)}}\n`, headers: { 'Content-Type': 'application/x-ndjson' } });
    expect(deepLine.status).toBe(400);
    expect(deepLine.body.code).toBe('body_too_deep');
    expect(deepLine.body.detail).toContain('Line 2');
    expect(await count(api, 'activity')).toBe(before);
    expect((await api.request('/integration/activity', { token: key, rawBody: 'x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
  });

  it('honours Idempotency-Key: a replay gets the stored answer, another body with the same key a 409', async () => {
    const body = { code: 'IDEM1', name: 'Idem Clinic', kind: 'clinic' };
    const headers = { 'Idempotency-Key': 'batch-2026-11-23-001' };
    const first = await api.request('/integration/clients', { token: key, body, headers });
    expect(first.body.results[0].status).toBe('created');
    const replay = await api.request('/integration/clients', { token: key, body, headers });
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    const other = await api.request('/integration/clients', { token: key, body: { ...body, name: 'Other' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('two concurrent creates of one account make one row', async () => {
    const rec = { ...account, agencyAccountNumber: 'INT0000009', parties: undefined, balances: [{ component: 'principal', originalCents: 500, currentCents: 500 }] };
    const results = await Promise.all([post('accounts', rec), post('accounts', rec), post('accounts', rec)]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.results[0].status).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    expect(await api.db('accounts').where({ agencyAccountNumber: 'INT0000009' }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
