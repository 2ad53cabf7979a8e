/**
 * Report exports in the background (issue 21): a PDF of up to EXPORT_MAX_ROWS rows is asked for,
 * rendered by the job runner in parts (export/pdf.ts) with its progress on the export's row, stored in
 * the file store and downloaded by the one who asked, until it expires.
 *
 * Tenancy: an export is its requester's own. Reading one needs the same user, the report still
 * allowed to them, and their clients still covering the scope the export was made in; anything else
 * is a 404, as for a foreign resource.
 */
import { Readable } from 'node:stream';
import type { Db, Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import { now as clockNow } from '../platform/clock.js';
import type { AppDeps, Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { enqueueJob } from '../platform/jobs.js';
import { fileStoreFor, generateKey, StoredObjectNotFound } from '../platform/storage.js';
import type { OpenedFile, SendFile } from '../platform/uploads/send-file.js';
import { findReport } from './catalogue.js';
import { prepareRun } from './reports.service.js';
import type { ReportParametersInput } from './report.params.js';
import { PDF_PART_ROWS, renderReportPdf } from './export/pdf.js';
import { dropParts, keepPart, loadPart, resumableParts, storedParts, sweepParts } from './export-parts.js';
import { CONTENT_TYPES, fileName } from './reports.export.js';

export const EXPORT_JOB = 'reports.export';
/** The longest report a background PDF holds (issue 21). */
export const EXPORT_MAX_ROWS = 20_000;
export const DEFAULT_EXPORT_EXPIRY_HOURS = 24;
/** a second try when the first failed for a reason that may pass (the browser crashed, a node died) */
const EXPORT_ATTEMPTS = 2;
const SYSTEM = { type: 'system' as const, id: 'report-exports' };

export interface ExportRow {
  id: number; publicId: string; userId: number; reportKey: string; format: string; parametersJson: string; scopeJson: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'expired'; rowsTotal: number; rowsDone: number; pagesDone: number;
  fileKey: string | null; fileName: string; byteSize: number | string | null; sha256: string | null; failure: string | null;
  createdAt: unknown; startedAt: unknown; finishedAt: unknown; expiresAt: unknown;
}

export const expiryHours = (deps: AppDeps) => deps.config.reportExports?.expiryHours ?? DEFAULT_EXPORT_EXPIRY_HOURS;

export function exportView(row: ExportRow, title: string) {
  return {
    id: row.publicId,
    report: { key: row.reportKey, title },
    format: row.format as 'pdf',
    status: row.status,
    parameters: JSON.parse(row.parametersJson) as Record<string, unknown>,
    rowsTotal: Number(row.rowsTotal),
    rowsDone: Number(row.rowsDone),
    pagesDone: Number(row.pagesDone),
    fileName: row.fileName,
    byteSize: row.byteSize === null ? null : Number(row.byteSize),
    failure: row.failure,
    createdAt: toIso(row.createdAt)!,
    finishedAt: toIso(row.finishedAt),
    expiresAt: toIso(row.expiresAt),
  };
}

const tooLong = (total: number) => new AppError(422, 'too_many_rows_for_pdf',
  `This report has ${total.toLocaleString('en-US')} rows; a PDF holds at most ${EXPORT_MAX_ROWS.toLocaleString('en-US')}. Export it as CSV or XLSX, or narrow the parameters.`);

/** Asks for a report as a PDF made in the background: checks and counts now, renders in a job. */
export async function createExport(db: Db, caller: Caller, key: string, input: { format: 'pdf'; parameters: ReportParametersInput }, meta: RequestMeta, now: Date) {
  return db.transaction(async (trx) => {
    const run = await prepareRun(trx, caller, key, input.parameters, now);
    const total = await run.def.count(run.ctx);
    if (total > EXPORT_MAX_ROWS) throw tooLong(total);
    const publicId = newId('rexp');
    await trx('report_exports').insert({
      publicId, userId: caller.userId, reportKey: key, format: input.format, parametersJson: JSON.stringify(input.parameters),
      scopeJson: JSON.stringify(caller.clientIds), status: 'queued', rowsTotal: total, rowsDone: 0, pagesDone: 0,
      fileName: fileName(run, input.format), createdAt: now,
    });
    await enqueueJob(trx, { type: EXPORT_JOB, payload: { exportId: publicId }, maxAttempts: EXPORT_ATTEMPTS });
    await writeAudit(trx, {
      actor: meta.actor, action: 'report_export.requested', target: { type: 'report_export', id: publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { reportKey: key, format: input.format, parameters: input.parameters, rows: total },
    });
    const row = (await trx('report_exports').where({ publicId }).first()) as ExportRow;
    return exportView(row, run.def.title);
  });
}

/** True when `caller` sees every client the export was made over. */
function covers(caller: Caller, scopeJson: string): boolean {
  const scope = JSON.parse(scopeJson) as number[] | 'all';
  if (caller.clientIds === 'all') return true;
  if (scope === 'all') return false;
  const mine = new Set(caller.clientIds);
  return scope.every((id) => mine.has(id));
}

/** The caller's own export (404 for anyone else's, or one whose report or clients they lost). */
export async function findExport(trx: Trx | Db, caller: Caller, publicId: string): Promise<{ row: ExportRow; title: string }> {
  const row = (await trx('report_exports').where({ publicId, userId: caller.userId }).first()) as ExportRow | undefined;
  const def = row && findReport(caller, row.reportKey);
  if (!row || !def || !covers(caller, row.scopeJson)) throw notFound('Export');
  return { row, title: def.title };
}

export async function getExport(db: Db, caller: Caller, publicId: string) {
  const { row, title } = await findExport(db, caller, publicId);
  return exportView(row, title);
}

/**
 * Opens the export's file for its requester and audits the download once the bytes are found. Not
 * ready yet: 409 `export_not_ready`; failed: 409 `export_failed`; expired: 410 `export_expired`.
 */
export async function openExportFile(db: Db, caller: Caller, meta: RequestMeta, publicId: string, open: (file: SendFile) => Promise<OpenedFile>): Promise<OpenedFile> {
  const { row } = await findExport(db, caller, publicId);
  if (row.status === 'expired') throw new AppError(410, 'export_expired', 'This export has expired and its file was deleted. Export the report again.');
  if (row.status === 'failed') throw new AppError(409, 'export_failed', row.failure ?? 'This export failed. Export the report again.');
  if (row.status !== 'done' || !row.fileKey) throw new AppError(409, 'export_not_ready', `This export is not ready yet: ${Number(row.rowsDone).toLocaleString('en-US')} of ${Number(row.rowsTotal).toLocaleString('en-US')} rows printed.`);
  const opened = await open({
    key: row.fileKey, contentType: CONTENT_TYPES.pdf, size: Number(row.byteSize), sha256: row.sha256!, filename: row.fileName, disposition: 'attachment',
  });
  if (opened.body) {
    await db.transaction((trx) => writeAudit(trx, {
      actor: meta.actor, action: 'report_export.downloaded', target: { type: 'report_export', id: row.publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { reportKey: row.reportKey, bytes: Number(row.byteSize), range: opened.range },
    }));
  }
  return opened;
}

interface RequesterRow { userId: number; publicId: string; username: string; firstName: string; lastName: string; kind: 'agency' | 'client'; status: string; permissions: string; clientIdList: string | null }

/** The requester as they are now (permissions and clients), or null when they are no longer active. */
async function requester(db: Db, userId: number): Promise<Caller | null> {
  const row = (await db('users').join('roles', 'roles.id', 'users.role_id').where('users.id', userId).first(
    'users.id as user_id', 'users.public_id', 'users.username', 'users.first_name', 'users.last_name', 'users.kind', 'users.status', 'roles.permissions',
    db.raw('(select group_concat(uc.client_id) from user_clients uc where uc.user_id = users.id) as client_id_list'),
  )) as RequesterRow | undefined;
  if (!row || row.status !== 'active') return null;
  return {
    userId: row.userId, publicId: row.publicId, username: row.username, displayName: `${row.firstName} ${row.lastName}`, kind: row.kind,
    permissions: new Set(JSON.parse(row.permissions) as string[]),
    clientIds: row.kind === 'agency' ? 'all' : (row.clientIdList ?? '').split(',').filter(Boolean).map(Number),
    sessionId: 0, sessionPublicId: 'report-export', onboardingRequired: false,
  };
}

async function fail(deps: AppDeps, row: ExportRow, failure: string): Promise<void> {
  const reservedKey = await deps.db.transaction(async (trx) => {
    const current = (await trx('report_exports').where({ id: row.id }).whereIn('status', ['queued', 'running']).first('file_key')) as { fileKey: string | null } | undefined;
    const changed = await trx('report_exports').where({ id: row.id }).whereIn('status', ['queued', 'running'])
      .update({ status: 'failed', failure, finishedAt: clockNow(), fileKey: null });
    if (changed) await writeAudit(trx, { actor: SYSTEM, action: 'report_export.failed', target: { type: 'report_export', id: row.publicId }, after: { failure } });
    return changed ? current?.fileKey ?? null : null;
  });
  // nothing resumes a failed export: its parts go, and the file a dead run had reserved
  await dropReservedFile(deps, reservedKey);
  await dropParts(deps, row.id);
}

/**
 * The file a run reserved for its PDF (written on the row before the bytes, so that a node that dies
 * while storing leaves a row naming its file rather than a file nothing names) and never finished: it
 * may or may not exist; either way it is nobody's now.
 */
async function dropReservedFile(deps: AppDeps, key: string | null | undefined): Promise<void> {
  if (key) await fileStoreFor(deps.config).delete(key).catch(() => undefined);
}

/**
 * The job: renders the export as its requester (their clients and permissions now), keeping each
 * printed part in the file store and recording the progress after it, then stores the file and marks
 * the export done. A retry (the node died, the browser crashed) joins the parts already kept and
 * prints from the first missing one, its progress going on from theirs (export-parts.ts). A problem the
 * caller could see (the report or a client no longer theirs, too many rows) fails it at once; other
 * failures are tried once more before the export is marked failed.
 */
export async function runExport(deps: AppDeps, exportId: string, job: { attempt: number; signal?: AbortSignal }): Promise<void> {
  const { db } = deps;
  const row = (await db('report_exports').where({ publicId: exportId }).first()) as ExportRow | undefined;
  if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
  const caller = await requester(db, row.userId);
  if (!caller) return fail(deps, row, 'The user who asked for this export is no longer active.');
  // a run that died after reserving its file's name (queued or running rows only name such a file)
  if (row.fileKey) {
    await dropReservedFile(deps, row.fileKey);
    await db('report_exports').where({ id: row.id, fileKey: row.fileKey }).whereIn('status', ['queued', 'running']).update({ fileKey: null });
  }
  let kept = await storedParts(deps, row.id);
  const sum = (key: 'rows' | 'pages') => kept.reduce((n, p) => n + p[key], 0);
  await db('report_exports').where({ id: row.id }).update({ status: 'running', startedAt: clockNow(), rowsDone: sum('rows'), pagesDone: sum('pages') });
  let stored: string | null = null;
  try {
    const given = JSON.parse(row.parametersJson) as ReportParametersInput;
    const createdAt = new Date(toIso(row.createdAt)!);
    const run = await prepareRun(db, caller, row.reportKey, given, createdAt);
    const total = await run.def.count(run.ctx);
    if (total > EXPORT_MAX_ROWS) throw tooLong(total);
    // the parts of an earlier attempt, if they still fit (same rows counted, whole parts in order)
    const reuse = total > PDF_PART_ROWS ? resumableParts(kept, PDF_PART_ROWS, Number(row.rowsTotal) === total) : [];
    if (reuse.length !== kept.length) {
      await dropParts(deps, row.id, kept);
      kept = [];
    }
    await db('report_exports').where({ id: row.id }).update({ rowsTotal: total, rowsDone: sum('rows'), pagesDone: sum('pages') });
    const { pdf, pages, rows, printed } = await renderReportPdf(run, {
      chromiumPath: deps.config.chromiumPath, given, signal: job.signal,
      printedParts: reuse.length ? { count: reuse.length, load: (i) => loadPart(deps, reuse[i]!.fileKey) } : undefined,
      // a run that lost its lease while printing keeps nothing: the parts are the new owner's to keep
      onPart: total > PDF_PART_ROWS ? async (part) => {
        job.signal?.throwIfAborted();
        await keepPart(deps, row.id, part);
      } : undefined,
      onProgress: async (p) => {
        await db('report_exports').where({ id: row.id, status: 'running' }).update({ rowsDone: p.rowsDone, pagesDone: p.pagesDone });
      },
    });
    // the file's name goes on the row before its bytes go to the store (see dropReservedFile)
    const fileKey = generateKey();
    if (!(await db('report_exports').where({ id: row.id, status: 'running' }).update({ fileKey }))) return; // ended meanwhile
    stored = fileKey;
    const file = await fileStoreFor(deps.config).put(Readable.from([pdf]), fileKey);
    const finishedAt = clockNow();
    const expiresAt = new Date(finishedAt.getTime() + expiryHours(deps) * 3_600_000);
    const done = await db.transaction(async (trx) => {
      // still this run's (a run that took the job over has reserved a name of its own)
      const changed = await trx('report_exports').where({ id: row.id, status: 'running', fileKey }).update({
        status: 'done', fileKey: file.key, byteSize: file.size, sha256: file.sha256, rowsDone: rows, pagesDone: pages, finishedAt, expiresAt, failure: null,
      });
      if (changed) {
        await writeAudit(trx, {
          actor: SYSTEM, action: 'report_export.completed', target: { type: 'report_export', id: row.publicId },
          after: { rows, pages, bytes: file.size, expiresAt: toIso(expiresAt), partsPrinted: printed, partsResumed: reuse.length },
        });
      }
      return Boolean(changed);
    });
    if (done) {
      stored = null;
      await dropParts(deps, row.id);
    }
  } catch (err) {
    // this worker lost the job's lease: the worker that took it over owns the row (and the parts) now
    if (job.signal?.aborted) throw err;
    const problem = err instanceof AppError && err.status < 500;
    if (problem || job.attempt >= EXPORT_ATTEMPTS) {
      await fail(deps, row, err instanceof AppError ? err.message : 'The PDF could not be made. Export the report again, or as CSV or XLSX.');
      return;
    }
    // the parts printed so far stay for the retry, and so does the progress they made
    await db('report_exports').where({ id: row.id, status: 'running' }).update({ status: 'queued' });
    throw err;
  } finally {
    // a file nobody's export points at (the export was ended meanwhile, or saving it failed)
    if (stored) await fileStoreFor(deps.config).delete(stored).catch(() => undefined);
  }
}

/**
 * Deletes the files of exports past their expiry; the row stays (status `expired`), audited. Also
 * sweeps the printed parts an ended export still has (its node died before deleting them).
 */
export async function expireExports(deps: AppDeps, now: Date): Promise<number> {
  await sweepParts(deps);
  const due = (await deps.db('report_exports').where('status', 'done').where('expires_at', '<', now).orderBy('id').limit(100)) as ExportRow[];
  let expired = 0;
  for (const row of due) {
    const changed = await deps.db.transaction(async (trx) => {
      const n = await trx('report_exports').where({ id: row.id, status: 'done' }).update({ status: 'expired', fileKey: null });
      if (n) await writeAudit(trx, { actor: SYSTEM, action: 'report_export.expired', target: { type: 'report_export', id: row.publicId }, before: { status: 'done' }, after: { status: 'expired', fileDeleted: true, bytes: Number(row.byteSize) } });
      return Boolean(n);
    });
    if (!changed) continue;
    try {
      await fileStoreFor(deps.config).delete(row.fileKey!);
    } catch (err) {
      if (!(err instanceof StoredObjectNotFound)) throw err;
    }
    expired++;
  }
  return expired;
}
