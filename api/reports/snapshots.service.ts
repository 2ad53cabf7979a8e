/**
 * Snapshots: schedules (a report, its parameters, a client scope and a frequency), producing a
 * snapshot in every format for one period, and reading them back. Producing is idempotent: the
 * (schedule, period) pair is unique, so two job runners that both get there store one snapshot.
 */
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import type { Db, Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { AppDeps, Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, badRequest, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { ALL_PERMISSIONS } from '../platform/permissions.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import { findReport } from './catalogue.js';
import { echoParameters, prepareRun, type PreparedRun } from './reports.service.js';
import type { ReportParametersInput } from './report.params.js';
import { CONTENT_TYPES, exportReport } from './reports.export.js';
import { EXPORT_MAX_ROWS } from './exports.service.js';
import { nextBoundary, periodKeyOf, type Frequency } from './schedule-periods.js';
import { visibleSnapshots } from './snapshots.read.js';
import type { Row } from './report.types.js';
import { isUniqueViolation } from '../platform/unique-violation.js';
import { enqueueJob } from '../platform/jobs.js';

/** A snapshot's JSON keeps at most this many rows (the files keep every row). */
export const SNAPSHOT_JSON_MAX_ROWS = 10_000;

export interface ScheduleInput {
  frequency: Frequency;
  clientId?: string;
  parameters: ReportParametersInput;
}

interface ScheduleRow {
  id: number;
  publicId: string;
  reportKey: string;
  clientId: number | null;
  frequency: Frequency;
  parametersJson: string;
  status: string;
  nextRunAt: unknown;
  createdAt: unknown;
  clientPublicId: string | null;
  clientName: string | null;
}

/**
 * The caller a scheduled run acts as: nobody's session, scoped to the schedule's client (client view:
 * no agency-internal entries) or, for an agency-wide schedule, to every client.
 */
export function scheduleCaller(clientId: number | null): Caller {
  return {
    userId: 0, publicId: 'system', username: 'system', displayName: 'Scheduled snapshot',
    kind: clientId === null ? 'agency' : 'client', permissions: new Set(ALL_PERMISSIONS),
    clientIds: clientId === null ? 'all' : [clientId], sessionId: 0, sessionPublicId: 'system', onboardingRequired: false,
  };
}

const scheduleView = (s: ScheduleRow, reportTitle: string) => ({
  id: s.publicId,
  report: { key: s.reportKey, title: reportTitle },
  client: s.clientPublicId ? { id: s.clientPublicId, name: s.clientName! } : null,
  frequency: s.frequency,
  parameters: JSON.parse(s.parametersJson) as Record<string, unknown>,
  status: s.status,
  nextRunAt: toIso(s.nextRunAt)!,
  createdAt: toIso(s.createdAt)!,
});

function schedulesOf(trx: Trx, caller: Caller) {
  const q = trx('report_schedules').leftJoin('clients', 'clients.id', 'report_schedules.client_id')
    .select('report_schedules.*', 'clients.public_id as client_public_id', 'clients.name as client_name');
  if (caller.clientIds !== 'all') q.whereIn('report_schedules.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  return q;
}

export async function createSchedule(db: Db, caller: Caller, key: string, input: ScheduleInput, meta: RequestMeta, now: Date) {
  const def = findReport(caller, key);
  if (!def) throw notFound('Report');
  if (!input.clientId && caller.clientIds !== 'all') {
    throw badRequest('validation_failed', 'Choose the client this schedule is for.', [{ path: 'clientId', message: 'Required.', code: 'required' }]);
  }
  return db.transaction(async (trx) => {
    const clientId = input.clientId ? await resolveClientId(trx, caller, input.clientId) : null;
    // The parameters must make sense in the schedule's scope (e.g. clients inside the chosen client).
    await prepareRun(trx, scheduleCaller(clientId), key, input.parameters, now);
    const publicId = newId('rsch');
    const row = {
      publicId, reportKey: key, clientId, frequency: input.frequency, parametersJson: JSON.stringify(input.parameters), status: 'active',
      createdByUserId: caller.userId, nextRunAt: nextBoundary(input.frequency, now), createdAt: now,
    };
    await trx('report_schedules').insert(row);
    await writeAudit(trx, {
      actor: meta.actor, action: 'report_schedule.created', target: { type: 'report_schedule', id: publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { reportKey: key, clientId: input.clientId ?? null, frequency: input.frequency, parameters: input.parameters },
    });
    const saved = (await schedulesOf(trx, caller).where('report_schedules.public_id', publicId).first()) as ScheduleRow;
    return scheduleView(saved, def.title);
  });
}

export async function listSchedules(trx: Trx, caller: Caller) {
  const rows = (await schedulesOf(trx, caller).orderBy('report_schedules.id')) as ScheduleRow[];
  return {
    data: rows.flatMap((s) => {
      const def = findReport(caller, s.reportKey);
      return def ? [scheduleView(s, def.title)] : [];
    }),
  };
}

export async function deleteSchedule(db: Db, caller: Caller, publicId: string, meta: RequestMeta): Promise<void> {
  await db.transaction(async (trx) => {
    const s = (await schedulesOf(trx, caller).where('report_schedules.public_id', publicId).first()) as ScheduleRow | undefined;
    if (!s || !findReport(caller, s.reportKey)) throw notFound('Schedule');
    // Snapshots already made stay (their schedule_id becomes null).
    await trx('report_schedules').where({ id: s.id }).delete();
    await writeAudit(trx, {
      actor: meta.actor, action: 'report_schedule.deleted', target: { type: 'report_schedule', id: publicId }, ip: meta.ip, requestId: meta.requestId,
      before: { reportKey: s.reportKey, frequency: s.frequency, parameters: JSON.parse(s.parametersJson) as unknown },
    });
  });
}

/** Every row of a run, for the snapshot's JSON (capped) — the files stream all rows separately. */
async function collectRows(run: PreparedRun): Promise<{ rows: Row[]; total: number }> {
  const rows: Row[] = [];
  let total = 0;
  for await (const chunk of run.def.stream(run.ctx)) {
    total += chunk.length;
    for (const r of chunk) if (rows.length < SNAPSHOT_JSON_MAX_ROWS) rows.push(r);
  }
  return { rows, total };
}

export interface ProducedFile {
  format: 'json' | 'csv' | 'xlsx' | 'pdf';
  contentType: string;
  content: Buffer;
}

/** Runs a report once and renders every format. PDF is skipped (and said so) when no browser is available. */
export async function renderAllFormats(run: PreparedRun, given: ReportParametersInput, chromiumPath?: string): Promise<{ files: ProducedFile[]; rowCount: number; notices: string[] }> {
  const { def, ctx } = run;
  const { rows, total } = await collectRows(run);
  const notices = [...((await def.notices?.(ctx)) ?? [])];
  const json = {
    report: { key: def.key, title: def.title }, parameters: echoParameters(run, given), generatedAt: toIso(ctx.now)!,
    columns: def.columns(ctx), rows, totals: await def.totals(ctx), chart: def.chart ?? null, notices, total,
  };
  const files: ProducedFile[] = [{ format: 'json', contentType: 'application/json', content: Buffer.from(JSON.stringify(json)) }];
  for (const format of ['csv', 'xlsx', 'pdf'] as const) {
    try {
      // (a snapshot is made by a job: its PDF may be as long as a background export's)
      const out = await exportReport(run, format, { chromiumPath, given, maxPdfRows: EXPORT_MAX_ROWS });
      files.push({ format, contentType: CONTENT_TYPES[format], content: Buffer.isBuffer(out) ? out : await buffer(out) });
    } catch (err) {
      // No browser, or too many rows for a PDF: the snapshot keeps the other formats.
      if (format === 'pdf' && err instanceof AppError && (err.status === 503 || err.status === 422)) continue;
      throw err;
    }
  }
  return { files, rowCount: total, notices };
}

/**
 * Produces the snapshot of a schedule for one period, once. Returns its public id, or null when the
 * schedule is gone; a second call for the same period returns the first snapshot's id.
 */
export async function produceSnapshot(deps: AppDeps, schedulePublicId: string, periodKey: string, now: Date): Promise<string | null> {
  const { db } = deps;
  const s = (await db('report_schedules').where({ publicId: schedulePublicId }).first()) as ScheduleRow | undefined;
  if (!s) return null;
  const existing = (await db('report_snapshots').where({ scheduleId: s.id, periodKey }).first('public_id')) as { publicId: string } | undefined;
  if (existing) return existing.publicId;
  const given = JSON.parse(s.parametersJson) as ReportParametersInput;
  // Ages are counted to the day of the run unless the schedule fixed a date (resolveParams' default).
  const run = await prepareRun(db, scheduleCaller(s.clientId), s.reportKey, given, now);
  const { files, rowCount } = await renderAllFormats(run, given, deps.config.chromiumPath);
  const publicId = newId('rsnap');
  try {
    await db.transaction(async (trx) => {
      await trx('report_snapshots').insert({
        publicId, scheduleId: s.id, reportKey: s.reportKey, clientId: s.clientId, periodKey, parametersJson: s.parametersJson, rowCount, generatedAt: now,
      });
      const snapshot = (await trx('report_snapshots').where({ publicId }).first('id')) as { id: number };
      for (const f of files) {
        await trx('report_snapshot_files').insert({
          snapshotId: snapshot.id, format: f.format, contentType: f.contentType, byteSize: f.content.length,
          sha256: createHash('sha256').update(f.content).digest('hex'), content: f.content,
        });
      }
      await writeAudit(trx, { actor: { type: 'system', id: 'report-scheduler' }, action: 'report_snapshot.created', target: { type: 'report_snapshot', id: publicId }, after: { schedule: schedulePublicId, periodKey, rowCount, formats: files.map((f) => f.format) } });
    });
  } catch (err) {
    // Another runner stored this period first: theirs stands.
    if (!isUniqueViolation(err)) throw err;
    const first = (await db('report_snapshots').where({ scheduleId: s.id, periodKey }).first('public_id')) as { publicId: string };
    return first.publicId;
  }
  return publicId;
}

interface SnapshotRow {
  id: number;
  publicId: string;
  reportKey: string;
  periodKey: string;
  rowCount: number;
  generatedAt: unknown;
  parametersJson: string;
  clientPublicId: string | null;
  clientName: string | null;
  schedulePublicId: string | null;
  formats: string | null;
}

function snapshotsQuery(trx: Trx, caller: Caller) {
  return visibleSnapshots(trx, caller)
    .leftJoin('clients', 'clients.id', 'report_snapshots.client_id')
    .leftJoin('report_schedules', 'report_schedules.id', 'report_snapshots.schedule_id')
    .select(
      'report_snapshots.id', 'report_snapshots.public_id', 'report_snapshots.report_key', 'report_snapshots.period_key', 'report_snapshots.row_count',
      'report_snapshots.generated_at', 'report_snapshots.parameters_json', 'clients.public_id as client_public_id', 'clients.name as client_name',
      'report_schedules.public_id as schedule_public_id',
      trx.raw('(select group_concat(f.format) from report_snapshot_files f where f.snapshot_id = report_snapshots.id) as formats'),
    );
}

const FORMAT_ORDER = ['json', 'csv', 'xlsx', 'pdf'];
const snapshotView = (r: SnapshotRow) => ({
  id: r.publicId,
  reportKey: r.reportKey,
  scheduleId: r.schedulePublicId,
  client: r.clientPublicId ? { id: r.clientPublicId, name: r.clientName! } : null,
  periodKey: r.periodKey,
  generatedAt: toIso(r.generatedAt)!,
  rowCount: Number(r.rowCount),
  parameters: JSON.parse(r.parametersJson) as Record<string, unknown>,
  formats: (r.formats ?? '').split(',').filter(Boolean).sort((a, b) => FORMAT_ORDER.indexOf(a) - FORMAT_ORDER.indexOf(b)),
});

export async function listSnapshots(trx: Trx, caller: Caller, key: string, page: number, pageSize: number) {
  if (!findReport(caller, key)) throw notFound('Report');
  const base = snapshotsQuery(trx, caller).where('report_snapshots.report_key', key);
  const [rows, [{ n }]] = (await Promise.all([
    base.clone().orderBy('report_snapshots.generated_at', 'desc').orderBy('report_snapshots.id', 'desc').limit(pageSize).offset((page - 1) * pageSize),
    visibleSnapshots(trx, caller).where('report_snapshots.report_key', key).count({ n: '*' }),
  ])) as [SnapshotRow[], { n: unknown }[]];
  return { data: rows.map(snapshotView), total: Number(n), page, pageSize };
}

async function findSnapshot(trx: Trx, caller: Caller, publicId: string): Promise<SnapshotRow> {
  const row = (await snapshotsQuery(trx, caller).where('report_snapshots.public_id', publicId).first()) as SnapshotRow | undefined;
  if (!row || !findReport(caller, row.reportKey)) throw notFound('Snapshot');
  return row;
}

export async function readSnapshotFile(trx: Trx, caller: Caller, publicId: string, format: string) {
  const snap = await findSnapshot(trx, caller, publicId);
  const file = (await trx('report_snapshot_files').where({ snapshotId: snap.id, format }).first('content_type', 'content')) as
    | { contentType: string; content: Buffer }
    | undefined;
  if (!file) throw notFound(`The ${format.toUpperCase()} file of this snapshot`);
  return { contentType: file.contentType, content: Buffer.from(file.content), fileName: `${snap.reportKey}-${snap.periodKey}.${format}` };
}

/** The stored on-screen view of a snapshot, one page of its rows. */
export async function viewSnapshot(trx: Trx, caller: Caller, publicId: string, page: number, pageSize: number) {
  const snap = await findSnapshot(trx, caller, publicId);
  const file = await readSnapshotFile(trx, caller, publicId, 'json');
  const stored = JSON.parse(file.content.toString('utf8')) as { rows: Row[] } & Record<string, unknown>;
  return { snapshot: snapshotView(snap), ...stored, rows: stored.rows.slice((page - 1) * pageSize, page * pageSize), page, pageSize };
}

// ── "Run now": a snapshot of a schedule made at once, outside its periods ───────────────────

export const SNAPSHOT_JOB_TYPE = 'reports.snapshot';

interface RunJobRow { publicId: string; status: string; payloadJson: string; lastError: string | null; createdAt: unknown; finishedAt: unknown }

async function visibleSchedule(trx: Trx, caller: Caller, publicId: string): Promise<ScheduleRow> {
  const s = (await schedulesOf(trx, caller).where('report_schedules.public_id', publicId).first()) as ScheduleRow | undefined;
  if (!s || !findReport(caller, s.reportKey)) throw notFound('Schedule');
  return s;
}

async function runView(trx: Trx, caller: Caller, schedule: ScheduleRow, job: RunJobRow) {
  const { periodKey } = JSON.parse(job.payloadJson) as { periodKey: string };
  const snap = (await trx('report_snapshots').where({ scheduleId: schedule.id, periodKey }).first('public_id')) as { publicId: string } | undefined;
  const status = snap ? 'succeeded' : job.status === 'dead' ? 'failed' : job.status === 'running' ? 'running' : 'queued';
  return {
    id: job.publicId, scheduleId: schedule.publicId, reportKey: schedule.reportKey, status, snapshotId: snap?.publicId ?? null,
    error: status === 'succeeded' ? null : job.lastError ? 'The snapshot could not be made; it is tried again.' : null,
    createdAt: toIso(job.createdAt)!, finishedAt: toIso(job.finishedAt),
  };
}

/** Queues a snapshot of the schedule now; the job runner makes it (poll `getScheduleRun`). */
export async function runScheduleNow(db: Db, caller: Caller, publicId: string, meta: RequestMeta, now: Date) {
  return db.transaction(async (trx) => {
    const s = await visibleSchedule(trx, caller, publicId);
    // a period of its own (at most 16 characters), so it never takes the place of a scheduled one
    const periodKey = `now-${now.getTime().toString(36)}`;
    const jobId = await enqueueJob(trx, { type: SNAPSHOT_JOB_TYPE, payload: { scheduleId: s.publicId, periodKey }, dedupeKey: `report-snapshot:${s.publicId}:${periodKey}`, maxAttempts: 3 });
    await writeAudit(trx, {
      actor: meta.actor, action: 'report_schedule.run_now', target: { type: 'report_schedule', id: s.publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { periodKey, job: jobId },
    });
    const job = (await trx('jobs').where({ publicId: jobId }).first()) as RunJobRow;
    return runView(trx, caller, s, job);
  });
}

export async function getScheduleRun(trx: Trx, caller: Caller, schedulePublicId: string, runId: string) {
  const s = await visibleSchedule(trx, caller, schedulePublicId);
  const job = (await trx('jobs').where({ publicId: runId, type: SNAPSHOT_JOB_TYPE }).first()) as RunJobRow | undefined;
  if (!job || (JSON.parse(job.payloadJson) as { scheduleId?: string }).scheduleId !== s.publicId) throw notFound('Run');
  return runView(trx, caller, s, job);
}
