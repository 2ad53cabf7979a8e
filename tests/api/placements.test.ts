import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { agencyNumberKey, generatedAgencyNumber } from '../../api/placements/agency-number.js';
import { decrypt } from '../../api/platform/crypto.js';

let seq = 0;
const number = () => `T-${Date.now().toString(36).toUpperCase()}-${++seq}`;

const form = (over: Record<string, unknown> = {}) => ({
  clientAccountNumber: number(),
  accountType: 'utility',
  serviceDate: '2026-03-01',
  balance: { principalCents: 45_000, interestCents: 1_250, feesCents: 2_500 },
  responsible: {
    firstName: 'mary k.', lastName: "O'Neil Jr.", dob: '1979-05-06', ssn: '512-34-6789',
    address: { address1: '12 N. Oak St Apt 4B', city: 'Portland', state: 'Oregon', zip: '97205' },
    phones: [{ type: 'mobile', number: '(503) 555-0142' }], email: 'Mary.ONeil@Mail.Example', employer: 'Columbia Freight',
  },
  spouse: { firstName: 'Peter', lastName: "O'Neil aka Pete Neil", phones: [{ type: 'home', number: '503.555.0199' }] },
  comments: 'Moved in 2024.',
  ...over,
});

describe.each(DIALECTS)('placements: single form and agency review (%s)', (dialect) => {
  let api: TestApi;
  let client: string; // demo.client: Cascade Power & Light only
  let group: string; // demo.group: St. Brigid + Lakeside
  let agency: string;
  let clientIds: Record<string, string>;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    // one at a time: concurrent logins can deadlock on MySQL (reported to the lead)
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    agency = await api.login('demo.agency');
    const rows = (await api.db('clients').select('code', 'public_id')) as { code: string; publicId: string }[];
    clientIds = Object.fromEntries(rows.map((r) => [r.code, r.publicId]));
  });
  afterAll(() => api.close());

  it('places an account: normalised, every change reported, pending review, SSN encrypted, audited', async () => {
    const body = form();
    const res = await api.request('/placements', { token: client, body });
    expect(res.status).toBe(201);
    expect(res.body.placement).toEqual({
      id: ID('plc'), status: 'pending_review', client: { id: clientIds.CPL, name: 'Cascade Power & Light' },
      clientAccountNumber: body.clientAccountNumber, debtorName: 'ONEIL, MARY K JR', accountType: 'utility',
      balance: { amountCents: 48_750, currency: 'USD' }, comments: 'Moved in 2024.\nAKA PETE NEIL',
      placedAt: ISO_DATETIME, placedBy: 'Dana Whitfield', batchId: null, rowNumber: null,
      accountId: null, agencyAccountNumber: null, reviewedAt: null, rejectReason: null,
    });
    const changes = res.body.changes as { field: string; from: string; to: string }[];
    expect(changes).toEqual(expect.arrayContaining([
      expect.objectContaining({ field: 'responsible.lastName', from: "O'Neil Jr.", to: 'ONEIL' }),
      expect.objectContaining({ field: 'responsible.suffix', from: null, to: 'JR' }),
      expect.objectContaining({ field: 'responsible.middleName', from: null, to: 'K' }),
      expect.objectContaining({ field: 'responsible.address.address2', from: null, to: 'APT 4B' }),
      expect.objectContaining({ field: 'responsible.address.state', from: 'Oregon', to: 'OR' }),
      expect.objectContaining({ field: 'spouse.lastName', to: 'ONEIL' }),
    ]));
    expect(res.text).not.toContain('512-34-6789');
    expect(res.text).not.toContain('512346789');

    const p = await api.db('placements').where({ publicId: res.body.placement.id }).first();
    const account = await api.db('accounts').where({ id: p.accountId }).first();
    expect(account).toMatchObject({ reviewStatus: 'pending_review', ssnLast4: '6789', agencyAccountNumber: generatedAgencyNumber(Number(account.id), agencyNumberKey(api.config.secrets.lookupKey)), clientAccountNumber: body.clientAccountNumber });
    const parties = await api.db('account_parties').where({ accountId: p.accountId }).orderBy('id');
    expect(parties.map((x: { role: string }) => x.role)).toEqual(['responsible', 'spouse']);
    expect(parties[0]).toMatchObject({ firstName: 'MARY', middleName: 'K', lastName: 'ONEIL', suffix: 'JR', address1: '12 N OAK ST', address2: 'APT 4B', city: 'PORTLAND', state: 'OR', zip: '97205', employer: 'COLUMBIA FREIGHT', ssnLast4: '6789' });
    expect(parties[0].ssnEncrypted).not.toContain('6789');
    expect(decrypt(parties[0].ssnEncrypted, api.config.secrets.dataKey)).toBe('512346789');
    expect(JSON.parse(parties[0].emails)).toEqual(['mary.oneil@mail.example']);
    const phones = (await api.db('account_phones').where({ accountId: p.accountId }).orderBy('phone')).map((r: { phone: string }) => r.phone);
    expect(phones).toEqual(['5035550142', '5035550199']);
    const balances = await api.db('account_balances').where({ accountId: p.accountId }).orderBy('component');
    expect(balances.map((b: { component: string; originalCents: number }) => [b.component, Number(b.originalCents)])).toEqual([['costs', 0], ['fees', 2500], ['interest', 1250], ['principal', 45000]]);
    const audit = await api.db('audit_log').where({ action: 'placement.create', targetId: res.body.placement.id });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorType).toBe('user');
    expect(audit[0].afterJson).not.toContain('6789');
    expect(await api.db('events').where({ type: 'placement.created', accountId: p.accountId })).toHaveLength(1);
    // it lands in the agency inbox as a review task
    const task = await api.db('tasks').where({ sourceType: 'placement', sourceId: res.body.placement.id }).first();
    expect(task).toMatchObject({ kind: 'placement_review', status: 'open', accountId: p.accountId, title: expect.stringContaining('ONEIL, MARY K JR') });
  });

  it('a pending placement is not in the client search nor readable as an account, but listed among placements', async () => {
    const body = form();
    const placed = await api.request('/placements', { token: client, body });
    const accountId = (await api.db('placements').where('placements.public_id', placed.body.placement.id).join('accounts', 'accounts.id', 'placements.account_id').first('accounts.public_id as aid')).aid;
    const search = await api.request(`/accounts?clientAccountNumber=${body.clientAccountNumber}`, { token: client });
    expect(search.body.total).toBe(0);
    expect((await api.request(`/accounts/${accountId}`, { token: client })).status).toBe(404);
    const list = await api.request('/placements?status=pending_review&pageSize=100', { token: client });
    expect(list.status).toBe(200);
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(placed.body.placement.id);
    for (const x of list.body.data) expect(x.client.name).toBe('Cascade Power & Light');
  });

  it('field-level errors for what cannot be fixed; nothing written', async () => {
    const before = await api.db('accounts').count({ n: '*' });
    const bad = form({ responsible: { ...form().responsible, ssn: '000-12-3456', phones: [{ type: 'home', number: '555-0142' }], address: { address1: '1 Main', city: 'Austin', state: 'TX', zip: '97205' } } });
    const res = await api.request('/placements', { token: client, body: bad });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([
      { path: 'responsible.ssn', code: 'invalid_ssn', message: expect.any(String) },
      { path: 'responsible.phones.0.number', code: 'area_code_required', message: expect.any(String) },
      { path: 'responsible.address.zip', code: 'zip_state_mismatch', message: expect.any(String) },
    ]));
    expect(res.text).not.toContain('000-12-3456');
    const shape = await api.request('/placements', { token: client, body: { ...form(), balance: { principalCents: 1.5 }, colour: 'red' } });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['balance.principalCents', 'colour']));
    expect(await api.db('accounts').count({ n: '*' })).toEqual(before);
  });

  it('preview shows the normalised values and changes without storing anything or echoing the SSN', async () => {
    const before = await api.db('placements').count({ n: '*' });
    const res = await api.request('/placements/preview', { token: client, body: form() });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.normalized.responsible).toMatchObject({ lastName: 'ONEIL', suffix: 'JR', ssnLast4: '6789' });
    expect(res.body.normalized.responsible.ssn).toBeUndefined();
    expect(res.body.changes.length).toBeGreaterThan(3);
    expect(res.text).not.toContain('512346789');
    const invalid = await api.request('/placements/preview', { token: client, body: form({ balance: { principalCents: 0 } }) });
    expect(invalid.body).toMatchObject({ valid: false, errors: [{ path: 'balance.principalCents', code: 'zero_balance' }] });
    expect(await api.db('placements').count({ n: '*' })).toEqual(before);
  });

  it('duplicates: the same client account number twice, or one the agency already works, is a 409', async () => {
    const body = form();
    expect((await api.request('/placements', { token: client, body })).status).toBe(201);
    const again = await api.request('/placements', { token: client, body: { ...form(), clientAccountNumber: body.clientAccountNumber.toLowerCase() } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'duplicate_placement', errors: [{ path: 'clientAccountNumber', code: 'duplicate' }] });
    const cplId = (await api.db('clients').where({ code: 'CPL' }).first('id')).id;
    const worked = await api.db('accounts').where({ clientId: cplId }).first('client_account_number');
    const dup = await api.request('/placements', { token: client, body: form({ clientAccountNumber: worked.clientAccountNumber }) });
    expect(dup.status).toBe(409);
  });

  it('Idempotency-Key: a retried submit replays the first response; another body with the key is a 409', async () => {
    const body = form();
    const key = `place-${number()}`;
    const first = await api.request('/placements', { token: client, body, headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    const retry = await api.request('/placements', { token: client, body, headers: { 'Idempotency-Key': key } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.placement.id).toBe(first.body.placement.id);
    expect(await api.db('placements').where({ clientAccountNumber: body.clientAccountNumber })).toHaveLength(1);
    const other = await api.request('/placements', { token: client, body: form(), headers: { 'Idempotency-Key': key } });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('two simultaneous placements of one number: exactly one wins', async () => {
    const n = number();
    const results = await Promise.all([1, 2, 3].map(() => api.request('/placements', { token: client, body: form({ clientAccountNumber: n }) })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await api.db('placements').where({ clientAccountNumber: n })).toHaveLength(1);
  });

  it('tenancy: a group user must choose the client; another client is a 404; placements of others are invisible', async () => {
    const preview = await api.request('/placements/preview', { token: group, body: form({ accountType: 'medical' }) });
    expect(preview.body).toMatchObject({ valid: false, errors: [{ path: 'clientId', code: 'required' }] });
    const noClient = await api.request('/placements', { token: group, body: form({ accountType: 'medical' }) });
    expect(noClient.status).toBe(400);
    expect(noClient.body.errors).toEqual([{ path: 'clientId', code: 'required', message: expect.any(String) }]);
    const foreign = await api.request('/placements', { token: group, body: form({ clientId: clientIds.CPL }) });
    expect(foreign.status).toBe(404);
    const own = await api.request('/placements', { token: group, body: form({ clientId: clientIds.LFC, accountType: 'medical' }) });
    expect(own.status).toBe(201);
    expect(own.body.placement.client.name).toBe('Lakeside Family Clinic');
    expect((await api.request(`/placements/${own.body.placement.id}`, { token: client })).status).toBe(404);
    const list = await api.request('/placements?pageSize=100', { token: client });
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(own.body.placement.id);
    expect((await api.request(`/placements?clientId=${clientIds.LFC}`, { token: client })).status).toBe(404);
    // the agency must name the client too
    expect((await api.request('/placements', { token: agency, body: form() })).status).toBe(400);
  });

  it('permissions: clients cannot review; no token is a 401', async () => {
    expect((await api.request('/agency/placements', { token: client })).status).toBe(403);
    const p = await api.request('/placements', { token: client, body: form() });
    const review = await api.request('/agency/placements/review', { token: client, body: { placementIds: [p.body.placement.id], decision: 'accept' } });
    expect(review.status).toBe(403);
    expect((await api.request('/placements', { body: form() })).status).toBe(401);
  });

  it('agency review: accept puts the account in the client search with an activity entry; reject needs a reason and frees the number', async () => {
    const a = form();
    const b = form();
    const pa = (await api.request('/placements', { token: client, body: a })).body.placement.id as string;
    const pb = (await api.request('/placements', { token: client, body: b })).body.placement.id as string;
    const queue = await api.request('/agency/placements?pageSize=100', { token: agency });
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([pa, pb]));
    for (const x of queue.body.data) expect(x.status).toBe('pending_review');

    const accepted = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [pa], decision: 'accept' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data[0]).toMatchObject({ id: pa, status: 'accepted', accountId: ID('acct'), agencyAccountNumber: expect.stringMatching(/^NR\d+$/), reviewedAt: ISO_DATETIME });
    const search = await api.request(`/accounts?clientAccountNumber=${a.clientAccountNumber}`, { token: client });
    expect(search.body.data.map((x: { id: string }) => x.id)).toEqual([accepted.body.data[0].accountId]);
    const activity = await api.request(`/accounts/${accepted.body.data[0].accountId}/activity`, { token: client });
    expect(activity.body.data[0]).toMatchObject({ type: 'placement', body: 'Account placed by Cascade Power & Light; accepted by the agency.' });
    expect(await api.db('audit_log').where({ action: 'placement.accept', targetId: pa })).toHaveLength(1);
    // the review task closes like any inbox close: done, assigned to the reviewer, audited, and announced to ck-inbox
    const task = await api.db('tasks').where({ sourceType: 'placement', sourceId: pa }).first();
    const reviewer = await api.db('users').where({ username: 'demo.agency' }).first('id');
    expect(task).toMatchObject({ status: 'done', assignedUserId: reviewer.id });
    expect(task.closedAt).toBeTruthy();
    const closeAudit = await api.db('audit_log').where({ action: 'task.close', targetId: task.publicId });
    expect(closeAudit).toHaveLength(1);
    expect(closeAudit[0]).toMatchObject({ actorType: 'user', targetType: 'task' });
    expect(JSON.parse(closeAudit[0].afterJson)).toMatchObject({ status: 'done', resolution: 'Placement accepted.' });
    const closed = (await api.db('events').where({ type: 'task.closed' })).filter((e: { payloadJson: string }) => JSON.parse(e.payloadJson).taskId === task.publicId);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ visibility: 'internal', accountId: task.accountId });
    expect((await api.db('tasks').where({ sourceType: 'placement', sourceId: pb }).first()).status).toBe('open');

    const noReason = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [pb], decision: 'reject' } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('reason');
    // all or nothing: one already decided → 409, the other stays pending
    const mixed = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [pa, pb], decision: 'reject', reason: 'Out of statute.' } });
    expect(mixed.status).toBe(409);
    expect(mixed.body.code).toBe('placement_already_reviewed');
    expect((await api.db('placements').where({ publicId: pb }).first()).status).toBe('pending_review');

    const rejected = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [pb], decision: 'reject', reason: 'Out of statute.' } });
    expect(rejected.body.data[0]).toMatchObject({ status: 'rejected', rejectReason: 'Out of statute.', accountId: null });
    const mine = await api.request(`/placements/${pb}`, { token: client });
    expect(mine.body).toMatchObject({ status: 'rejected', rejectReason: 'Out of statute.' });
    expect((await api.request(`/accounts?clientAccountNumber=${b.clientAccountNumber}`, { token: client })).body.total).toBe(0);
    // the rejected number may be placed again (corrected)
    expect((await api.request('/placements', { token: client, body: { ...form(), clientAccountNumber: b.clientAccountNumber } })).status).toBe(201);
    expect((await api.request('/agency/placements/review', { token: agency, body: { placementIds: ['plc_nope0000000000000000000000'], decision: 'accept' } })).status).toBe(404);
  });

  it('documents go with a pending placement and become the account attachments once accepted', async () => {
    const attach = async (token: string, placementId: string, name: string, text: string, fileName = 'statement.txt') => {
      const form = new FormData();
      form.append('name', name);
      form.append('file', new Blob([text], { type: 'text/plain' }), fileName);
      const res = await fetch(`${api.url}/api/v1/placements/${placementId}/documents`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      return { status: res.status, body: (await res.json()) as any };
    };
    const placed = (await api.request('/placements', { token: client, body: form() })).body.placement.id as string;
    const doc = await attach(client, placed, 'Itemized statement', 'Visit 2026-03-01: $1,250.50');
    expect(doc.status).toBe(201);
    expect(doc.body).toMatchObject({ displayName: 'Itemized statement', fileName: 'statement.txt', contentType: 'text/plain' });
    expect((await attach(group, placed, 'x', 'y')).status).toBe(404); // another client's placement
    const accepted = await api.request('/agency/placements/review', { token: agency, body: { placementIds: [placed], decision: 'accept' } });
    const list = await api.request(`/accounts/${accepted.body.data[0].accountId}/attachments`, { token: client });
    expect(list.body.data.map((a: { displayName: string }) => a.displayName)).toEqual(['Itemized statement']);
    expect((await attach(client, placed, 'late', 'z')).status).toBe(409); // reviewed: attach to the account instead
  });

  it('"Mark done" on a placement-review inbox task is refused (409 review_required): the placement stays pending until reviewed, which closes the task', async () => {
    const p = (await api.request('/placements', { token: client, body: form() })).body.placement.id as string;
    const task = await api.db('tasks').where({ sourceType: 'placement', sourceId: p }).first();
    const close = await api.request(`/agency/inbox/${task.publicId}/close`, { token: agency, body: {} });
    expect(close.status).toBe(409);
    expect(close.body).toMatchObject({ code: 'review_required', detail: expect.stringContaining('placement review') });
    expect((await api.db('tasks').where({ id: task.id }).first()).status).toBe('open');
    expect((await api.db('placements').where({ publicId: p }).first()).status).toBe('pending_review');
    // replying with close: the reply is refused as a whole too (one transaction), nothing half-done
    const reply = await api.request(`/agency/inbox/${task.publicId}/reply`, { token: agency, body: { body: 'We are on it.', close: true } });
    expect(reply.status).toBe(409);
    expect((await api.db('tasks').where({ id: task.id }).first()).status).toBe('open');
    await api.request('/agency/placements/review', { token: agency, body: { placementIds: [p], decision: 'accept' } });
    expect((await api.db('tasks').where({ id: task.id }).first()).status).toBe('done');
  });

  it('accepts many at once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await api.request('/placements', { token: client, body: form() })).body.placement.id);
    const res = await api.request('/agency/placements/review', { token: agency, body: { placementIds: ids, decision: 'accept' } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: { status: string }) => x.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(await api.db('events').whereIn('type', ['placement.accepted']).count({ n: '*' })).toEqual([{ n: expect.anything() }]);
  });
});
