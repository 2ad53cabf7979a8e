/**
 * The routes the agency console's areas need beyond the debtor and integration ones: offers and plans
 * across accounts (list, edit, withdraw), webhooks managed by a signed-in administrator (create, the
 * delivery log, redeliver) and "Run now" on a report schedule. Each: permission, tenancy, audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { addCard, linkSession, payableAccounts, type PayableAccount } from './pay-helpers.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { insertRawEvent } from './event-fixtures.js';
import { now } from '../../api/platform/clock.js';
import { toDateOnly } from '../../api/platform/db.js';
import { createUser } from '../../api/users/users.service.js';
import { atInstant } from './test-clock.js';
import '../../api/jobs-registry.js';

const day = (offset: number) => new Date(now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(DIALECTS)('agency console routes (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let staff: string;
  let client: string;
  let accounts: PayableAccount[];
  let receiver: Server;
  let receiverUrl: string;
  const hits: string[] = [];
  const deps = () => ({ db: api.db, config: api.config });
  const audit = (action: string, id: string) => api.db('audit_log').where({ action, targetId: id }).first();

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60, config: { webhookAllowPrivate: true } });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    accounts = await payableAccounts(api, 5);
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hits.push(req.url ?? '/');
        res.writeHead(hits.length === 1 ? 500 : 200).end(hits.length === 1 ? 'down' : 'ok');
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => receiver.once('listening', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    // a staff user: offers yes, integration no
    await api.db.transaction((trx) => createUser(trx, {
      username: `staff.${dialect}`, email: `staff.${dialect}@northwind.example`, firstName: 'Sam', lastName: 'Staff',
      roleKey: 'agency_staff', clientCodes: [], password: 'Staff-Console-2026!', onboarded: true,
    }, api.config.scryptCost, { type: 'system', id: 'test' }));
    staff = await api.login(`staff.${dialect}`, 'Staff-Console-2026!');
  });
  afterAll(async () => {
    await api.close();
    await new Promise((r) => receiver.close(r));
  });

  it('lists offers across accounts with filters, edits an open offer and withdraws it (audited); a client user gets 403', async () => {
    const [a, b] = accounts;
    const s = await api.request(`/agency/accounts/${a!.publicId}/offers`, { token: agency, body: { kind: 'settlement', percent: 60, payBy: day(10) } });
    const p = await api.request(`/agency/accounts/${b!.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: day(14) } });
    expect([s.status, p.status]).toEqual([201, 201]);
    const all = await api.request('/agency/offers?pageSize=100', { token: staff });
    expect(all.status).toBe(200);
    expect(all.body.data.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([s.body.id, p.body.id]));
    const mine = await api.request(`/agency/offers?accountId=${a!.publicId}`, { token: agency });
    expect(mine.body).toMatchObject({ total: 1, page: 1, data: [{ id: s.body.id, account: { id: a!.publicId, agencyAccountNumber: a!.agencyAccountNumber }, client: { id: ID('cli') } }] });
    expect((await api.request(`/agency/offers?status=withdrawn&accountId=${a!.publicId}`, { token: agency })).body.total).toBe(0);

    const edited = await api.request(`/agency/offers/${s.body.id}`, { method: 'PATCH', token: agency, body: { percent: 50 } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ percent: 50, amount: { amountCents: Math.ceil(a!.balanceCents * 0.5) } });
    expect(await audit('offer.updated', s.body.id)).toBeTruthy();
    // the wrong kind of term, and an expiry in the past, are refused
    expect((await api.request(`/agency/offers/${s.body.id}`, { method: 'PATCH', token: agency, body: { instalments: 4 } })).status).toBe(400);
    expect((await api.request(`/agency/offers/${p.body.id}`, { method: 'PATCH', token: agency, body: { expiresOn: day(-2) } })).status).toBe(400);
    const plan = await api.request(`/agency/offers/${p.body.id}`, { method: 'PATCH', token: agency, body: { instalments: 6, frequency: 'biweekly' } });
    expect(plan.body).toMatchObject({ instalments: 6, frequency: 'biweekly' });

    const gone = await api.request(`/agency/offers/${s.body.id}`, { method: 'PATCH', token: agency, body: { status: 'withdrawn' } });
    expect(gone.body.status).toBe('withdrawn');
    expect(await audit('offer.withdrawn', s.body.id)).toBeTruthy();
    expect((await api.request(`/agency/offers/${s.body.id}`, { method: 'PATCH', token: agency, body: { percent: 40 } })).status).toBe(409);
    // the debtor no longer sees it
    const debtor = await linkSession(api, agency, a!.publicId);
    expect((await api.request('/pay/account', { token: debtor })).body.offers).toEqual([]);

    expect((await api.request('/agency/offers', { token: client })).status).toBe(403);
    expect((await api.request(`/agency/offers/${p.body.id}`, { method: 'PATCH', token: client, body: { status: 'withdrawn' } })).status).toBe(403);
    expect((await api.request('/agency/offers?accountId=acct_00000000000000000000000000', { token: agency })).status).toBe(404);
  });

  it('lists plans with each instalment as Paid / Pending, filters by status and account, and shows the cancellation', async () => {
    const c = accounts[2]!;
    const offer = await api.request(`/agency/accounts/${c.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: day(14) } });
    const debtor = await linkSession(api, agency, c.publicId);
    const card = await addCard(api, debtor);
    const preview = await api.request(`/pay/offers/${offer.body.id}/preview`, { token: debtor, body: { paymentMethodId: card } });
    const accepted = await api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, body: { paymentMethodId: card, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    expect(accepted.status, accepted.text).toBe(201);
    const planId = accepted.body.planId as string;

    const list = await api.request(`/agency/plans?accountId=${c.publicId}`, { token: staff });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, data: [{ id: planId, status: 'active', account: { id: c.publicId }, instalments: 3, frequency: 'monthly', createdAt: ISO_DATETIME }] });
    const plan = list.body.data[0];
    expect(plan.schedule.map((i: { planStatus: string }) => i.planStatus)).toEqual(['paid', 'pending', 'pending']);
    expect(plan.paid.amountCents).toBe(plan.schedule[0].amount.amountCents);
    expect((await api.request(`/agency/plans?status=active&pageSize=100`, { token: agency })).body.data.map((p: { id: string }) => p.id)).toContain(planId);

    const cancel = await api.request(`/agency/accounts/${c.publicId}/plans/${planId}/cancel`, { token: staff, body: { reason: 'Debtor asked by phone.' } });
    expect(cancel.status).toBe(200);
    const after = (await api.request(`/agency/plans?accountId=${c.publicId}&status=cancelled`, { token: agency })).body.data[0];
    expect(after).toMatchObject({ id: planId, status: 'cancelled', cancelReason: 'Debtor asked by phone.', cancelledAt: ISO_DATETIME });
    expect(after.schedule.map((i: { planStatus: string }) => i.planStatus)).toEqual(['paid', 'cancelled', 'cancelled']);
    expect((await api.request('/agency/plans', { token: client })).status).toBe(403);
  });

  it('pause stops the charges of a plan; resume moves the remaining instalments later by the days paused (audited, evented)', async () => {
    const c = accounts[4]!;
    const offer = await api.request(`/agency/accounts/${c.publicId}/offers`, { token: agency, body: { kind: 'plan', instalments: 3, frequency: 'monthly', expiresOn: day(14) } });
    const debtor = await linkSession(api, agency, c.publicId);
    const card = await addCard(api, debtor);
    const preview = await api.request(`/pay/offers/${offer.body.id}/preview`, { token: debtor, body: { paymentMethodId: card } });
    const accepted = await api.request(`/pay/offers/${offer.body.id}/accept`, { token: debtor, body: { paymentMethodId: card, agreement: { typedName: 'Pat Debtor', textHash: preview.body.agreement.textHash } } });
    const planId = accepted.body.planId as string;
    const second = () => api.db('payments').where({ planPublicId: planId, instalmentNumber: 2 }).first('status', 'scheduled_for');
    const due = toDateOnly((await second()).scheduledFor)!;

    const paused = await api.request(`/agency/accounts/${c.publicId}/plans/${planId}/pause`, { token: staff, body: { reason: 'Hardship, call in a month.' } });
    expect(paused.status, paused.text).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect(await audit('plan.paused', planId)).toBeTruthy();
    expect(await api.db('events').where({ type: 'plan.paused' }).first()).toBeTruthy();
    expect((await api.request(`/agency/accounts/${c.publicId}/plans/${planId}/pause`, { token: staff, body: {} })).status).toBe(409);
    expect((await api.request(`/agency/plans?status=paused&accountId=${c.publicId}`, { token: agency })).body.data[0]).toMatchObject({ id: planId, pausedAt: ISO_DATETIME });
    // the debtor still sees the plan, and cannot start another one or schedule a payment beside it
    expect((await api.request('/pay/account', { token: debtor })).body.activePlanId).toBe(planId);

    // the second instalment falls due while paused: nothing is charged
    const dueAt = new Date(`${due}T15:00:00Z`);
    await atInstant(dueAt, () => runWorkerOnce(deps()));
    expect((await second()).status).toBe('scheduled');

    // resumed 5 days after its due date: the instalments move by the days paused
    const resumeAt = new Date(dueAt.getTime() + 5 * 86_400_000);
    const pausedDays = Math.round((Date.parse(`${resumeAt.toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${now().toISOString().slice(0, 10)}T00:00:00Z`)) / 86_400_000);
    // (a month on, the morning's session has expired: sign in again)
    const resumed = await atInstant(resumeAt, async () => api.request(`/agency/accounts/${c.publicId}/plans/${planId}/resume`, { method: 'POST', token: await api.login(`staff.${dialect}`, 'Staff-Console-2026!') }));
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.status).toBe('active');
    const moved = toDateOnly((await second()).scheduledFor)!;
    expect(moved).toBe(new Date(Date.parse(`${due}T00:00:00Z`) + pausedDays * 86_400_000).toISOString().slice(0, 10));
    expect(await audit('plan.resumed', planId)).toMatchObject({ actorType: 'user' });
    // not charged before its new date, charged on it
    await atInstant(resumeAt, () => runWorkerOnce(deps()));
    expect((await second()).status).toBe('scheduled');
    await atInstant(new Date(`${moved}T15:00:00Z`), () => runWorkerOnce(deps()));
    expect((await second()).status).toBe('succeeded');
    expect((await api.request(`/agency/accounts/${c.publicId}/plans/${planId}/resume`, { method: 'POST', token: await api.login(`staff.${dialect}`, 'Staff-Console-2026!') })).status).toBe(409);
    expect((await api.request(`/agency/accounts/${c.publicId}/plans/${planId}/pause`, { token: await api.login('demo.client'), body: {} })).status).toBe(403);
  });

  it('webhooks from the console: create (secret once, audited), an event is delivered, the log shows attempts and codes, redeliver', async () => {
    const created = await api.request('/agency/webhooks', { token: agency, body: { url: `${receiverUrl}/hook`, eventTypes: ['account.*'], description: 'console' } });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ id: ID('whk'), secret: expect.stringMatching(/^whsec_/), status: 'active' });
    expect(await audit('webhook_endpoint.create', created.body.id)).toMatchObject({ actorType: 'user' });
    expect((await api.request('/agency/webhooks', { token: agency })).body.data.map((e: { id: string; secret?: string }) => e.id)).toContain(created.body.id);
    expect((await api.request('/agency/webhooks', { token: agency })).body.data[0].secret).toBeUndefined();
    // permission and tenancy: staff lack integration.manage; a client user lacks it too
    expect((await api.request('/agency/webhooks', { token: staff })).status).toBe(403);
    expect((await api.request('/agency/webhooks', { token: client })).status).toBe(403);

    const acct = accounts[3]!;
    await api.db.transaction((trx) => insertRawEvent(trx, { type: 'account.note_added', clientId: acct.clientId, accountId: acct.id, visibility: 'client', payload: { n: 1 }, actor: { type: 'user', id: 'usr_x' } }));
    await runWorkerOnce(deps());
    const log = await api.request(`/agency/webhooks/${created.body.id}/deliveries`, { token: agency });
    expect(log.status).toBe(200);
    expect(log.body.data).toHaveLength(1);
    const delivery = log.body.data[0];
    // the receiver answered 500 the first time
    expect(delivery).toMatchObject({ id: ID('whd'), eventType: 'account.note_added', attempts: 1, lastStatusCode: 500, status: 'pending' });
    const redo = await api.request(`/agency/webhooks/${created.body.id}/deliveries/${delivery.id}/redeliver`, { method: 'POST', token: agency });
    expect(redo.status).toBe(202);
    expect(await audit('webhook_delivery.redeliver', delivery.id)).toBeTruthy();
    await runWorkerOnce(deps());
    const detail = await api.request(`/agency/webhooks/${created.body.id}/deliveries/${delivery.id}`, { token: agency });
    expect(detail.body).toMatchObject({ status: 'succeeded', lastStatusCode: 200 });
    expect(detail.body.log.map((a: { statusCode: number; manual: boolean }) => [a.statusCode, a.manual])).toEqual([[500, false], [200, true]]);
    expect(hits).toEqual(['/hook', '/hook']);

    const off = await api.request(`/agency/webhooks/${created.body.id}`, { method: 'PATCH', token: agency, body: { status: 'disabled' } });
    expect(off.body.status).toBe('disabled');
    expect((await api.request(`/agency/webhooks/${created.body.id}`, { method: 'DELETE', token: agency })).status).toBe(204);
  });

  it('"Run now" on a report schedule queues a snapshot, the run reports its progress and then the snapshot; audited; needs reports.schedule', async () => {
    const schedule = await api.request('/reports/inventory/schedules', { token: agency, body: { frequency: 'monthly' } });
    expect(schedule.status, schedule.text).toBe(201);
    const run = await api.request(`/reports/schedules/${schedule.body.id}/run`, { method: 'POST', token: agency });
    expect(run.status, run.text).toBe(202);
    expect(run.body).toMatchObject({ id: ID('job'), scheduleId: schedule.body.id, reportKey: 'inventory', status: 'queued', snapshotId: null });
    expect(await audit('report_schedule.run_now', schedule.body.id)).toBeTruthy();
    expect((await api.request(`/reports/schedules/${schedule.body.id}/run`, { method: 'POST', token: staff })).status).toBe(403);
    // a client user does not see the agency-wide schedule
    expect((await api.request(`/reports/schedules/${schedule.body.id}/runs/${run.body.id}`, { token: client })).status).toBe(404);

    await runWorkerOnce(deps());
    const done = await api.request(`/reports/schedules/${schedule.body.id}/runs/${run.body.id}`, { token: agency });
    expect(done.body).toMatchObject({ status: 'succeeded', snapshotId: ID('rsnap') });
    const snap = await api.request(`/reports/snapshots/${done.body.snapshotId}`, { token: agency });
    expect(snap.status).toBe(200);
    expect(snap.body.snapshot).toMatchObject({ scheduleId: schedule.body.id, periodKey: expect.stringMatching(/^now-/) });
    expect(snap.body.snapshot.formats).toEqual(expect.arrayContaining(['json', 'csv', 'xlsx']));
  });
});
