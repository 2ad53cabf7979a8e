/**
 * Report snapshots: schedules (permissions, tenancy, audit), producing a snapshot in every format
 * exactly once per period, listing, viewing and downloading — and another client's snapshot is a 404.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { produceSnapshot } from '../../api/reports/snapshots.service.js';
import { nextBoundary } from '../../api/reports/schedule-periods.js';
import { parseCsv } from './csv.js';
import { createDb } from '../../api/platform/db.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { closePdf } from '../../api/platform/pdf.js';
import '../../api/jobs-registry.js';
import * as grant from '../../migrations/20261124400300_grant_report_permissions.js';
import { atInstant } from './test-clock.js';

describe('schedule periods', () => {
  it('falls on the next UTC midnight, Monday and first of the month', () => {
    const t = new Date('2026-11-25T15:30:00Z'); // a Wednesday
    expect(nextBoundary('daily', t).toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(nextBoundary('weekly', t).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(nextBoundary('monthly', t).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextBoundary('daily', new Date('2026-11-26T00:00:00Z')).toISOString()).toBe('2026-11-27T00:00:00.000Z');
    expect(nextBoundary('monthly', new Date('2026-12-31T23:59:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe.each(DIALECTS)('report snapshots (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let group: string;
  let cpl: string;
  let sbrh: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 120 });
    // One after another: concurrent logins can deadlock on the shared login rate-limit rows (MariaDB).
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    cpl = (await api.db('clients').where({ code: 'CPL' }).first('public_id')).publicId;
    sbrh = (await api.db('clients').where({ code: 'SBRH' }).first('public_id')).publicId;
  });
  afterAll(async () => {
    await api.close();
    await closePdf();
  });

  it('creates a schedule for the caller\'s own client, with an audit row; another client is a 404', async () => {
    const res = await api.request('/reports/status/schedules', { token: client, body: { frequency: 'weekly', clientId: cpl, parameters: { statuses: ['active', 'hold'] } } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('rsch'), report: { key: 'status', title: 'Status report' }, client: { id: cpl, name: 'Cascade Power & Light' }, frequency: 'weekly',
      parameters: { statuses: ['active', 'hold'] }, status: 'active', nextRunAt: ISO_DATETIME, createdAt: ISO_DATETIME,
    });
    expect(new Date(res.body.nextRunAt).getUTCDay()).toBe(1);
    const audit = await api.db('audit_log').where({ action: 'report_schedule.created', targetId: res.body.id }).first();
    expect(audit.actorType).toBe('user');
    expect(JSON.parse(audit.afterJson)).toMatchObject({ reportKey: 'status', frequency: 'weekly' });
    expect((await api.request('/reports/status/schedules', { token: client, body: { frequency: 'daily', clientId: sbrh } })).status).toBe(404);
    expect((await api.request('/reports/status/schedules', { token: client, body: { frequency: 'daily', clientId: cpl, parameters: { clientIds: [sbrh] } } })).status).toBe(404);
    const noClient = await api.request('/reports/status/schedules', { token: client, body: { frequency: 'daily' } });
    expect(noClient.status).toBe(400);
    expect((await api.request('/reports/status/schedules', { token: client, body: { frequency: 'hourly', clientId: cpl } })).status).toBe(400);
    expect((await api.request('/reports/nope/schedules', { token: client, body: { frequency: 'daily', clientId: cpl } })).status).toBe(404);
    // The group user does not see Cascade's schedule; the agency does.
    expect((await api.request('/reports/schedules', { token: group })).body.data).toEqual([]);
    expect((await api.request('/reports/schedules', { token: agency })).body.data.map((s: { id: string }) => s.id)).toContain(res.body.id);
  });

  it('honours Idempotency-Key when creating a schedule', async () => {
    const body = { frequency: 'monthly', clientId: cpl };
    const headers = { 'Idempotency-Key': 'sched-once-1' };
    const first = await api.request('/reports/recovery/schedules', { token: client, body, headers });
    const again = await api.request('/reports/recovery/schedules', { token: client, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await api.db('report_schedules').where({ reportKey: 'recovery' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const other = await api.request('/reports/recovery/schedules', { token: client, body: { ...body, frequency: 'daily' }, headers });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
  });

  it('needs reports.schedule to schedule', async () => {
    const role = await api.db('roles').where({ key: 'client_manager' }).first('permissions');
    try {
      await api.db('roles').where({ key: 'client_manager' }).update({ permissions: JSON.stringify(['reports.run', 'accounts.read']) });
      expect((await api.request('/reports/status/schedules', { token: client, body: { frequency: 'daily', clientId: cpl } })).status).toBe(403);
    } finally {
      await api.db('roles').where({ key: 'client_manager' }).update({ permissions: role.permissions });
    }
  });

  it('produces a snapshot once per period in every format; lists, views and downloads it', async () => {
    const sched = await api.request('/reports/inventory/schedules', { token: client, body: { frequency: 'daily', clientId: cpl } });
    const now = new Date('2026-11-24T00:00:05Z');
    // Two producers racing for the same period store one snapshot.
    const [a, b] = await Promise.all([
      produceSnapshot({ db: api.db, config: api.config }, sched.body.id, '2026-11-24', now),
      produceSnapshot({ db: api.db, config: api.config }, sched.body.id, '2026-11-24', now),
    ]);
    expect(a).toBe(b);
    expect(a).toEqual(ID('rsnap'));
    expect(await api.db('report_snapshots').where({ periodKey: '2026-11-24' }).count({ n: '*' })).toEqual([{ n: 1 }]);

    const list = await api.request('/reports/inventory/snapshots', { token: client });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const snap = list.body.data[0];
    const [n] = await api.db('accounts').join('clients', 'clients.id', 'accounts.client_id').where('clients.code', 'CPL').where('review_status', 'accepted').count({ n: '*' });
    expect(snap).toMatchObject({ id: a, reportKey: 'inventory', scheduleId: sched.body.id, client: { id: cpl, name: 'Cascade Power & Light' }, periodKey: '2026-11-24', generatedAt: '2026-11-24T00:00:05.000Z', rowCount: Number(n!.n) });
    expect(snap.formats.slice(0, 3)).toEqual(['json', 'csv', 'xlsx']);

    const catalogue = await api.request('/reports', { token: client });
    expect(catalogue.body.data.find((r: { key: string }) => r.key === 'inventory').lastSnapshotAt).toBe('2026-11-24T00:00:05.000Z');
    expect(catalogue.body.data.find((r: { key: string }) => r.key === 'status').lastSnapshotAt).toBeNull();

    const view = await api.request(`/reports/snapshots/${a}?pageSize=10`, { token: client });
    expect(view.status).toBe(200);
    expect(view.body.rows).toHaveLength(10);
    expect(view.body.total).toBe(Number(n!.n));
    expect(view.body.parameters.asOf).toBe('2026-11-24');

    const csv = await api.request(`/reports/snapshots/${a}/download?format=csv`, { token: client });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="inventory-2026-11-24.csv"');
    expect(parseCsv(csv.text)).toHaveLength(Number(n!.n) + 2);
    const xlsx = await fetch(`${api.url}/api/v1/reports/snapshots/${a}/download?format=xlsx`, { headers: { Authorization: `Bearer ${client}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(wb.worksheets[0]!.rowCount).toBe(Number(n!.n) + 2);

    // Another client's user, and a format that is not there, are 404s.
    expect((await api.request(`/reports/snapshots/${a}`, { token: group })).status).toBe(404);
    expect((await api.request(`/reports/snapshots/${a}/download?format=csv`, { token: group })).status).toBe(404);
    expect((await api.request('/reports/inventory/snapshots', { token: group })).body.total).toBe(0);
    expect((await api.request(`/reports/snapshots/${a}/download?format=docx`, { token: client })).status).toBe(400);
    // The agency sees it too.
    expect((await api.request(`/reports/snapshots/${a}`, { token: agency })).status).toBe(200);
  });

  it('deleting a schedule keeps its snapshots and writes an audit row', async () => {
    const sched = await api.request('/reports/status/schedules', { token: agency, body: { frequency: 'monthly' } });
    expect(sched.body.client).toBeNull();
    const id = await produceSnapshot({ db: api.db, config: api.config }, sched.body.id, '2026-12-01', new Date('2026-12-01T00:01:00Z'));
    expect((await api.request(`/reports/schedules/${sched.body.id}`, { method: 'DELETE', token: client })).status).toBe(404);
    expect((await api.request(`/reports/schedules/${sched.body.id}`, { method: 'DELETE', token: agency })).status).toBe(204);
    expect(await api.db('audit_log').where({ action: 'report_schedule.deleted', targetId: sched.body.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const view = await api.request(`/reports/snapshots/${id}`, { token: agency });
    expect(view.status).toBe(200);
    expect(view.body.snapshot.scheduleId).toBeNull();
    // An agency-wide snapshot is not shown to a client user.
    expect((await api.request(`/reports/snapshots/${id}`, { token: client })).status).toBe(404);
  });

  it('two job runners (separate connection pools on MariaDB) produce each period once, in every format', async () => {
    const sched = await api.request('/reports/status/schedules', { token: client, body: { frequency: 'daily', clientId: cpl, parameters: { statuses: ['active'] } } });
    const first = new Date(sched.body.nextRunAt);
    // MariaDB: a second connection pool stands for a second API process (claims use SKIP LOCKED).
    // SQLite is single-writer by design (one process), so there the runners share the one pool.
    const other = dialect === 'mysql' ? createDb(api.config.databaseUrl, api.config.dataDir) : api.db;
    const a = { db: api.db, config: api.config };
    const b = { db: other, config: api.config };
    // runWorkerOnce logs a failing ticker instead of throwing: a race lost that way must fail here.
    const logged = vi.spyOn(console, 'error');
    try {
      // As startWorker does, a tick that MariaDB picked as a deadlock victim is simply run again.
      const runner = async (deps: typeof a, id: string) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await runWorkerOnce(deps, id);
          } catch (err) {
            if (attempt >= 3 || !/deadlock/i.test(String(err))) throw err;
          }
        }
      };
      const tick = (at: Date) => atInstant(at, () => Promise.all([runner(a, 'runner-a'), runner(b, 'runner-b'), runner(b, 'runner-c')]));
      await tick(new Date(first.getTime() + 60_000));
      const schedule = await api.db('report_schedules').where({ publicId: sched.body.id }).first('id', 'next_run_at');
      const snaps = () => api.db('report_snapshots').where({ scheduleId: schedule.id }).orderBy('period_key').select('period_key', 'public_id', 'row_count');
      expect((await snaps()).map((s: { periodKey: string }) => s.periodKey)).toEqual([first.toISOString().slice(0, 10)]);
      const jobs = await api.db('jobs').where('dedupe_key', 'like', `report-snapshot:${sched.body.id}:%`).select('status');
      expect(jobs).toEqual([{ status: 'done' }]);
      // The next day: one more, not three.
      await tick(new Date(first.getTime() + 86_400_000 + 60_000));
      await tick(new Date(first.getTime() + 86_400_000 + 120_000));
      const two = await snaps();
      expect(two).toHaveLength(2);
      const [active] = await api.db('accounts').where({ clientId: (await api.db('clients').where({ code: 'CPL' }).first('id')).id, status: 'active', reviewStatus: 'accepted' }).count({ n: '*' });
      const list = await api.request('/reports/status/snapshots', { token: client });
      const mine = list.body.data.filter((s: { scheduleId: string }) => s.scheduleId === sched.body.id);
      expect(mine).toHaveLength(2);
      expect(mine[0].formats).toEqual(['json', 'csv', 'xlsx', 'pdf']);
      const view = await api.request(`/reports/snapshots/${mine[0].id}`, { token: client });
      expect(view.body.totals.accounts).toBe(Number(active!.n));
      const pdf = await fetch(`${api.url}/api/v1/reports/snapshots/${mine[0].id}/download?format=pdf`, { headers: { Authorization: `Bearer ${client}` } });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
      expect(new Date((await api.db('report_schedules').where({ id: schedule.id }).first('next_run_at')).nextRunAt).getTime()).toBe(first.getTime() + 2 * 86_400_000);
      expect(logged.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('reports.snapshot') && !/deadlock/i.test(m))).toEqual([]);
    } finally {
      logged.mockRestore();
      if (other !== api.db) await other.destroy();
    }
  });
});

describe.each(DIALECTS)('report permissions on databases seeded earlier (%s)', (dialect) => {
  it('the grant migration adds reports.financial / reports.schedule to the default roles, and takes them back', async () => {
    const api = await startTestApi(dialect, { accounts: 0 });
    try {
      const perms = async (key: string) => JSON.parse((await api.db('roles').where({ key }).first('permissions')).permissions) as string[];
      // As a database seeded before this feature would be:
      await grant.down(api.db);
      expect(await perms('client_manager')).not.toContain('reports.schedule');
      expect(await perms('agency_staff')).not.toContain('reports.financial');
      await grant.up(api.db);
      await grant.up(api.db); // twice: no duplicates
      expect((await perms('client_manager')).filter((p) => p === 'reports.schedule')).toHaveLength(1);
      expect(await perms('client_manager')).toEqual(expect.arrayContaining(['reports.financial', 'reports.schedule']));
      expect(await perms('agency_staff')).toContain('reports.financial');
      expect(await perms('agency_staff')).not.toContain('reports.schedule');
      expect(await perms('client_viewer')).not.toContain('reports.financial');
    } finally {
      await api.close();
    }
  });
});
