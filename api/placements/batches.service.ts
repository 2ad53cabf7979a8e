/**
 * Bulk placement batches (F-PLACE 2): an uploaded spreadsheet, its column mapping, and the run that
 * validates (dry run) or places its rows in the background (batch-runner.ts). Tenancy: a batch is
 * read through `resolveBatch` only — another client's batch is a 404.
 */
import { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { Db, Trx } from '../platform/db.js';
import { isMysql, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { enqueueJob } from '../platform/jobs.js';
import { newId } from '../platform/ids.js';
import { readRecords, isBlank, type SheetFormat } from './sheet-reader.js';
import { SHEET_LIMITS, SheetLimitError, fmt } from './sheet-limits.js';
import { mappingErrors, REQUIRED_FIELDS, type ColumnMapping } from './bulk-row.js';
import { suggestedMapping, rememberHeaderSet } from './mapping-sources.js';
import { BULK_FIELD_INFO } from './batches.schema.js';
import { placementClient } from './placements.service.js';
import { completeTasksFor } from '../inbox/tasks.service.js';
import { fileStoreFor, StoredObjectNotFound, type FileStore } from '../platform/storage.js';
import type { UploadedSpreadsheet } from './batch-upload.js';
import { withSheetCopy } from './sheet-copy.js';

export const BATCH_JOB = 'placement.batch';
export const BATCH_MAX_ATTEMPTS = 5;

/**
 * The one way a batch's spreadsheet is deleted (rollback, the end of a place run, expiry): from the
 * file store, where it was received (any node may run or end the batch).
 */
export async function removeBatchFile(config: Config, storedName: string): Promise<void> {
  try {
    await fileStoreFor(config).delete(storedName);
  } catch (err) {
    if (!(err instanceof StoredObjectNotFound)) throw err; // (a name from before the file store: nothing there)
  }
}

/** Batches that still hold their spreadsheet: what the per-client quota counts. */
export const FILE_HOLDING_STATUSES = ['uploaded', 'queued', 'running', 'validated', 'failed'];

/** Bytes of spreadsheets a client's batches hold now. */
export async function heldUploadBytes(trx: Trx | Db, clientId: number): Promise<number> {
  const row = (await trx('placement_batches').where({ clientId }).whereIn('status', FILE_HOLDING_STATUSES).sum({ n: 'file_size' }).first()) as { n: number | string | null } | undefined;
  return Number(row?.n ?? 0);
}

const mbText = (n: number) => `${(n / 1024 ** 2).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

/** A 413 when `adding` more bytes would take the client past its quota of held spreadsheets. */
export function checkUploadQuota(config: Config, held: number, adding: number): void {
  const quota = config.spreadsheetUploads.quotaBytesPerClient;
  if (held + adding <= quota) return;
  throw new AppError(413, 'upload_quota_exceeded',
    `This client's uploaded spreadsheets waiting to be placed already take ${mbText(held)} of its ${mbText(quota)} quota (UPLOAD_QUOTA_BYTES); this file needs ${mbText(adding)}. Place, roll back or let earlier uploads expire first.`);
}

/**
 * Before the bytes are received: when the caller can place for one client only, a declared size that
 * cannot fit is refused at once (the exact check happens again with the real size, in createBatch).
 */
export async function precheckUploadQuota(db: Db, config: Config, caller: Caller, declaredBytes: number): Promise<void> {
  if (caller.clientIds === 'all' || caller.clientIds.length !== 1 || !(declaredBytes > 0)) return;
  // (the form's boundaries and fields are counted in Content-Length too: allow for them)
  checkUploadQuota(config, await heldUploadBytes(db, caller.clientIds[0]!), Math.max(0, declaredBytes - 64 * 1024));
}

export interface BatchRow {
  id: number; publicId: string; clientId: number; status: string; mode: 'validate' | 'place'; fileName: string; storedName: string;
  format: SheetFormat; fileSha256: string; fileSize: number | string; headersJson: string; mappingJson: string | null; draftMappingJson: string | null; draftSavedAt: unknown;
  rowsTotal: number | null; rowsDone: number; rowsPlaced: number; rowsInvalid: number; rowsDuplicate: number; failure: string | null;
  createdByUserId: number | null; createdAt: unknown; finishedAt: unknown; clientPublicId: string; clientName: string; clientKind: string;
}

export async function loadBatch(trx: Trx, where: { publicId: string }): Promise<BatchRow | undefined> {
  return (await trx('placement_batches')
    .join('clients', 'clients.id', 'placement_batches.client_id')
    .where('placement_batches.public_id', where.publicId)
    .first('placement_batches.*', 'clients.public_id as client_public_id', 'clients.name as client_name', 'clients.kind as client_kind')) as BatchRow | undefined;
}

export async function resolveBatch(trx: Trx, caller: Caller, publicId: string): Promise<BatchRow> {
  const b = await loadBatch(trx, { publicId });
  if (!b || (caller.clientIds !== 'all' && !caller.clientIds.includes(b.clientId))) throw notFound('Batch');
  return b;
}

async function sameFileAs(trx: Trx, b: BatchRow): Promise<string | null> {
  const prev = (await trx('placement_batches').where({ clientId: b.clientId, fileSha256: b.fileSha256 }).where('id', '<', b.id)
    .whereNot('status', 'rolled_back').orderBy('id', 'desc').first('public_id')) as { publicId: string } | undefined;
  return prev?.publicId ?? null;
}

export async function toBatch(trx: Trx, b: BatchRow) {
  const total = b.rowsTotal === null ? null : Number(b.rowsTotal);
  return {
    id: b.publicId, status: b.status as never, mode: b.mode, client: { id: b.clientPublicId, name: b.clientName },
    fileName: b.fileName, format: b.format, columns: JSON.parse(b.headersJson) as string[],
    mapping: b.mappingJson ? (JSON.parse(b.mappingJson) as ColumnMapping) : null,
    rowsTotal: total, rowsDone: total === null ? Number(b.rowsDone) : Math.min(total, Number(b.rowsDone)), rowsPlaced: Number(b.rowsPlaced), rowsInvalid: Number(b.rowsInvalid),
    rowsDuplicate: Number(b.rowsDuplicate),
    progress: total ? Math.min(1, Number(b.rowsDone) / total) : ['completed', 'validated'].includes(b.status) ? 1 : 0,
    failure: b.failure, sameFileAs: await sameFileAs(trx, b), createdAt: toIso(b.createdAt)!, finishedAt: toIso(b.finishedAt),
    errorReportUrl: `/api/v1/placements/batches/${b.publicId}/errors.csv`,
  };
}

export async function getBatch(db: Db, caller: Caller, publicId: string) {
  return toBatch(db, await resolveBatch(db, caller, publicId));
}

/** XLSX is a zip ("PK\3\4"); anything else must be text without NUL bytes to be taken as CSV. */
async function sniffFormat(store: FileStore, file: UploadedSpreadsheet): Promise<SheetFormat | null> {
  if (file.size === 0) return 'csv'; // (peek() then says it is empty)
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(file.key, { start: 0, end: Math.min(4096, file.size) - 1 })) chunks.push(chunk as Buffer);
  const head = Buffer.concat(chunks);
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (!head.includes(0)) return 'csv';
  return null;
}

const SSN_LIKE = /^\d{3}-?\d{2}-?\d{4}$/;
const mask = (cell: string) => (SSN_LIKE.test(cell) ? `***-**-${cell.slice(-4)}` : cell);

/**
 * The header row and a few sample rows, read without loading the file. It looks through at most
 * `peekRecords` records (blank ones included), so the upload's work is bounded whatever follows.
 */
export async function peek(path: string, format: SheetFormat): Promise<{ headers: string[]; samples: string[][] }> {
  let headers: string[] | null = null;
  const samples: string[][] = [];
  const records = readRecords(path, format);
  let looked = 0;
  try {
    for await (const { cells: r } of records) {
      if (++looked > SHEET_LIMITS.peekRecords) break;
      if (!headers) {
        if (isBlank(r)) continue;
        const seen = new Map<string, number>();
        headers = r.map((h, i) => {
          const name = h || `Column ${i + 1}`;
          const n = (seen.get(name) ?? 0) + 1;
          seen.set(name, n);
          return n > 1 ? `${name} (${n})` : name;
        });
        checkHeader(headers);
        continue;
      }
      if (!isBlank(r)) samples.push(r.map(mask));
      if (samples.length >= 5) break;
    }
  } catch (err) {
    if (err instanceof AppError) throw err; // a limit, named
    throw badRequest('unreadable_file', 'The file could not be read as CSV or XLSX.');
  } finally {
    await records.return(undefined);
  }
  if (!headers) throw badRequest('empty_file', 'The file is empty: the first row must name the columns.');
  return { headers, samples };
}

/** The header is stored with the batch and sent with it every time: it is held to a small size. */
function checkHeader(headers: string[]): void {
  if (headers.length > SHEET_LIMITS.maxHeaderColumns) {
    throw new SheetLimitError(422, 'sheet_header_too_large', `The header row has ${fmt(headers.length)} columns; the limit is ${fmt(SHEET_LIMITS.maxHeaderColumns)}.`, 'maxHeaderColumns');
  }
  const bytes = Buffer.byteLength(JSON.stringify(headers));
  if (bytes > SHEET_LIMITS.maxHeaderBytes) {
    throw new SheetLimitError(422, 'sheet_header_too_large', `The column names of the header row take ${fmt(bytes)} bytes; the limit is ${fmt(SHEET_LIMITS.maxHeaderBytes)}.`, 'maxHeaderBytes');
  }
}

/** The spreadsheet is in the file store under `storedName` (its key) until it is placed, rolled back or expires. */
/** The fields a column can be mapped to, in the form's order, with whether each is required. */
export function bulkFieldInfo() {
  return BULK_FIELD_INFO.map((f) => ({ ...f, required: REQUIRED_FIELDS.includes(f.field as never) }));
}

export async function createBatch(db: Db, config: Config, caller: Caller, meta: RequestMeta, file: UploadedSpreadsheet, clientPublicId: string | undefined, now: Date) {
  const store = fileStoreFor(config);
  try {
    const format = await sniffFormat(store, file);
    if (!format) throw new AppError(415, 'unsupported_file', 'Upload a CSV or an XLSX spreadsheet.');
    const { headers, samples } = await withSheetCopy(store, file.key, (path) => peek(path, format));
    const sha = file.sha256;
    return await db.transaction(async (trx) => {
      const client = await placementClient(trx, caller, clientPublicId);
      // Concurrent uploads for one client take turns here, so two cannot both fit the last of the quota.
      if (isMysql(trx)) await trx('clients').where({ id: client.id }).forUpdate().first('id');
      checkUploadQuota(config, await heldUploadBytes(trx, client.id), file.size);
      const publicId = newId('plb');
      const storedName = file.key;
      const suggested = await suggestedMapping(trx, client.id, headers, samples);
      await trx('placement_batches').insert({
        publicId, clientId: client.id, status: 'uploaded', mode: 'place', fileName: file.originalname.slice(0, 255) || 'upload',
        storedName, format, fileSha256: sha, fileSize: file.size, headersJson: JSON.stringify(headers), mappingJson: null,
        rowsTotal: null, rowsDone: 0, rowsPlaced: 0, rowsInvalid: 0, rowsDuplicate: 0, failure: null,
        createdByUserId: caller.userId, createdAt: now, updatedAt: now, finishedAt: null,
      });
      await writeAudit(trx, { ...meta, action: 'placement.batch.upload', target: { type: 'placement_batch', id: publicId }, after: { client: client.publicId, format, size: file.size, sha256: sha } });
      const batch = await toBatch(trx, (await loadBatch(trx, { publicId }))!);
      return {
        ...batch,
        suggestedMapping: suggested.mapping,
        mappingSource: suggested.source,
        suggestions: suggested.suggestions,
        sampleRows: samples,
        fields: bulkFieldInfo(),
      };
    });
  } catch (err) {
    await store.delete(file.key);
    throw err;
  }
}

export async function startBatch(db: Db, caller: Caller, meta: RequestMeta, publicId: string, input: { mapping: ColumnMapping; mode: 'validate' | 'place'; remember: boolean }, now: Date) {
  return db.transaction(async (trx) => {
    const b = await resolveBatch(trx, caller, publicId);
    if (!['uploaded', 'validated'].includes(b.status)) {
      throw conflict('batch_not_startable', b.status === 'queued' || b.status === 'running' ? 'This batch is already running.' : `This batch is ${b.status.replace('_', ' ')}; upload the file again to start over.`);
    }
    const mapping = Object.fromEntries(Object.entries(input.mapping).filter(([, h]) => h)) as ColumnMapping;
    const errors = mappingErrors(mapping, JSON.parse(b.headersJson) as string[]);
    if (errors.length) throw badRequest('validation_failed', 'The column mapping is incomplete.', errors);
    const changed = await trx('placement_batches').where({ id: b.id }).whereIn('status', ['uploaded', 'validated']).update({
      status: 'queued', mode: input.mode, mappingJson: JSON.stringify(mapping), draftMappingJson: JSON.stringify(mapping), draftSavedAt: now, rowsDone: 0, rowsPlaced: 0, rowsInvalid: 0, rowsDuplicate: 0,
      failure: null, finishedAt: null, updatedAt: now,
    });
    if (!changed) throw conflict('batch_not_startable', 'This batch is already running.');
    await trx('placement_batch_errors').where({ batchId: b.id }).delete();
    if (input.remember) {
      await trx('placement_column_maps').where({ clientId: b.clientId }).delete();
      await trx('placement_column_maps').insert({ clientId: b.clientId, mappingJson: JSON.stringify(mapping), updatedAt: now });
      await rememberHeaderSet(trx, b.clientId, JSON.parse(b.headersJson) as string[], mapping, now);
    }
    await enqueueJob(trx, { type: BATCH_JOB, payload: { batchId: b.publicId }, dedupeKey: `${BATCH_JOB}:${b.publicId}:${input.mode}:0`, maxAttempts: BATCH_MAX_ATTEMPTS });
    await writeAudit(trx, { ...meta, action: `placement.batch.${input.mode === 'place' ? 'start' : 'validate'}`, target: { type: 'placement_batch', id: b.publicId }, after: { mapping } });
    return toBatch(trx, (await loadBatch(trx, { publicId }))!);
  });
}

/** A batch whose run gave up (the worker crashed or kept failing) continues where it stopped. */
export async function resumeBatch(db: Db, caller: Caller, meta: RequestMeta, publicId: string, now: Date) {
  return db.transaction(async (trx) => {
    const b = await resolveBatch(trx, caller, publicId);
    if (b.status !== 'failed') throw conflict('batch_not_resumable', 'Only a batch that stopped with a failure can be resumed.');
    await trx('placement_batches').where({ id: b.id, status: 'failed' }).update({ status: 'running', failure: null, updatedAt: now });
    await enqueueJob(trx, { type: BATCH_JOB, payload: { batchId: b.publicId }, dedupeKey: `${BATCH_JOB}:${b.publicId}:resume:${now.getTime()}`, maxAttempts: BATCH_MAX_ATTEMPTS });
    await writeAudit(trx, { ...meta, action: 'placement.batch.resume', target: { type: 'placement_batch', id: b.publicId }, after: { fromRow: b.rowsDone } });
    return toBatch(trx, (await loadBatch(trx, { publicId }))!);
  });
}

/**
 * Takes back every placement of the batch the agency has not accepted yet (accounts and all),
 * and stops a run in progress: its next checkpoint sees the status and gives up.
 */
export async function rollbackBatch(db: Db, config: Config, caller: Caller, meta: RequestMeta, publicId: string, now: Date) {
  const result = await db.transaction(async (trx) => {
    const b = await resolveBatch(trx, caller, publicId);
    if (b.status === 'rolled_back' || b.status === 'uploaded' || b.status === 'expired') throw conflict('batch_not_rollbackable', `This batch is ${b.status.replace('_', ' ')}: nothing to roll back.`);
    await trx('placement_batches').where({ id: b.id }).update({ status: 'rolled_back', updatedAt: now, finishedAt: now });
    let removed = 0;
    for (;;) {
      const ids = ((await trx('placements').where({ batchId: b.id, status: 'pending_review' }).limit(1000).select('account_id')) as { accountId: number }[]).map((r) => r.accountId);
      if (!ids.length) break;
      await trx('placements').whereIn('account_id', ids).delete();
      for (const t of ['account_parties', 'account_phones', 'account_balances', 'activity']) await trx(t).whereIn('account_id', ids).delete();
      await trx('accounts').whereIn('id', ids).delete();
      removed += ids.length;
    }
    await completeTasksFor(trx, { type: 'placement_batch', ids: [b.publicId] }, meta, { resolution: 'Batch rolled back.', byUserId: caller.userId, now });
    const kept = Number(((await trx('placements').where({ batchId: b.id }).count({ n: '*' })) as { n: number | string }[])[0]!.n);
    await writeAudit(trx, { ...meta, action: 'placement.batch.rollback', target: { type: 'placement_batch', id: b.publicId }, before: { status: b.status, placed: b.rowsPlaced }, after: { status: 'rolled_back', removed, keptAlreadyReviewed: kept } });
    await appendEvent(trx, { type: 'placement.batch.rolled_back', clientId: b.clientId, accountId: null, visibility: 'client', actor: meta.actor, payload: { batchId: b.publicId, removed } });
    return { ...(await toBatch(trx, (await loadBatch(trx, { publicId }))!)), removed, kept, storedName: b.storedName };
  });
  // The spreadsheet holds personal data (SSNs): once the batch is taken back it is not kept.
  const { storedName, ...batch } = result;
  await removeBatchFile(config, storedName);
  return batch;
}

/** CSV cells: quoted, and defused when a spreadsheet would run them as a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The error report: one line per row not placed, streamed page by page. */
export async function errorReport(db: Db, caller: Caller, publicId: string): Promise<{ fileName: string; stream: Readable }> {
  const b = await resolveBatch(db, caller, publicId);
  async function* lines() {
    yield 'row,client_account_number,problem,reason\r\n';
    let after = 0;
    for (;;) {
      const rows = (await db('placement_batch_errors').where({ batchId: b.id }).where('id', '>', after).orderBy('id').limit(2000)
        .select('id', 'row_number', 'client_account_number', 'kind', 'reason')) as { id: number; rowNumber: number; clientAccountNumber: string | null; kind: string; reason: string }[];
      if (!rows.length) return;
      after = Number(rows[rows.length - 1]!.id);
      yield rows.map((r) => [r.rowNumber, r.clientAccountNumber, r.kind, r.reason].map(csvCell).join(',')).join('\r\n') + '\r\n';
    }
  }
  const base = b.fileName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'placements';
  return { fileName: `${base}-errors.csv`, stream: Readable.from(lines()) };
}
