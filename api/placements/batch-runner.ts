/**
 * The background run of a batch (job `placement.batch`). The file is streamed; rows are handled in
 * chunks, and each chunk is ONE transaction: its placements, its error-report lines and the batch's
 * checkpoint (`rows_done` + counters) commit together. So a crash or restart anywhere leaves whole
 * rows only, and the next attempt resumes after the last checkpoint — never placing a row twice.
 * The checkpoint update is conditional (`rows_done` unchanged and status still `running`): a run
 * that lost its lease to another worker, or a batch rolled back meanwhile, makes the chunk give up.
 *
 * A place run works in slices of at most `batchLimits.sliceMs` (or `sliceRows`) and then enqueues its own
 * continuation (in the last chunk's transaction), so no single job runs for long however long the
 * file (its lease is renewed while it runs; a worker that loses it stops at the next chunk, and its
 * conditional checkpoint would refuse the chunk anyway). Slices are bounded by time rather than rows:
 * a continuation re-reads the file up to its checkpoint, so few long slices cost far less than many short ones.
 */
import type { AppDeps } from '../platform/http/context.js';
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { enqueueJob } from '../platform/jobs.js';
import { openTask } from '../inbox/tasks.service.js';
import { readRecords, isBlank } from './sheet-reader.js';
import { SheetLimitError } from './sheet-limits.js';
import { defaultAccountType, evaluateRow, type ColumnMapping, type RowOutcome } from './bulk-row.js';
import { existingNumbers, insertMany, insertPrepared, preparePlacements, type PreparedPlacement } from './placement-writer.js';
import { BATCH_JOB, BATCH_MAX_ATTEMPTS, loadBatch, removeBatchFile, type BatchRow } from './batches.service.js';
import { fileStoreFor, StoredObjectNotFound } from '../platform/storage.js';
import { withSheetCopy } from './sheet-copy.js';
import { now as clockNow, nowMs } from '../platform/clock.js';

export const CHUNK_ROWS = 500;
/** MySQL takes bigger multi-row statements well; SQLite's compound SELECT stops at 500 rows anyway. */
export const CHUNK_ROWS_MYSQL = 1000;
/** When one job hands over to its continuation: after this long or this many rows (tests lower them). */
export const batchLimits = { sliceMs: 60_000, sliceRows: 1_000_000 };

class Superseded extends Error {}

const SYSTEM = { type: 'system' as const, id: 'placement-batch' };

/**
 * Rows after the header, by row number (rows missing from an XLSX count as the blank rows they are,
 * without being made up: `rows_done` and the checkpoint are row positions too, see runSlice), up to
 * the last row with a value: blank lines at the end of a CSV (an editor's final newline, or a few)
 * are not rows — XLSX never reports them either (issue 22: 504 for 503 rows).
 */
async function countRows(path: string, b: BatchRow): Promise<number> {
  let header = 0;
  let last = 0;
  for await (const r of readRecords(path, b.format)) {
    if (isBlank(r.cells)) continue; // above the header: skipped as the runner does; after it: only rows with values move the end
    header ||= r.row;
    last = r.row;
  }
  return Math.max(0, last - header);
}

interface Pending {
  rowNumber: number;
  outcome: RowOutcome;
  /** a valid row's database rows, built before the chunk's transaction (not in a dry run) */
  prepared?: PreparedPlacement;
}

export async function runBatchJob(deps: AppDeps, batchPublicId: string, attempt: number, signal?: AbortSignal): Promise<void> {
  const { db, config } = deps;
  let b = await loadBatch(db, { publicId: batchPublicId });
  if (!b) return;
  if (b.status === 'queued') {
    await db('placement_batches').where({ id: b.id, status: 'queued' }).update({ status: 'running', updatedAt: clockNow() });
    b = (await loadBatch(db, { publicId: batchPublicId }))!;
  }
  if (b.status !== 'running') return; // finished, rolled back or failed meanwhile
  try {
    // The spreadsheet comes out of the file store: the node that received it may not be this one.
    const finished = await withSheetCopy(fileStoreFor(config), b.storedName, async (path) => {
      if (b!.rowsTotal === null) {
        const total = await countRows(path, b!);
        await db('placement_batches').where({ id: b!.id }).update({ rowsTotal: total });
        b!.rowsTotal = total;
      }
      return runSlice(deps, b!, path, signal);
    });
    // The file is kept for a resume until the rows are placed; then it has done its job.
    if (finished && b.mode === 'place') await removeBatchFile(config, b.storedName);
  } catch (err) {
    if (err instanceof Superseded) return;
    if (err instanceof SheetLimitError) {
      // The file itself is over a limit: no retry reads it differently. Say which limit, and stop.
      await db('placement_batches').where({ id: b.id, status: 'running' }).update({ status: 'failed', failure: err.message, updatedAt: clockNow() });
      return;
    }
    // The client sees where it stopped, never the internal error (it may quote SQL and row data).
    const at = Number((await loadBatch(db, { publicId: batchPublicId }))?.rowsDone ?? b.rowsDone);
    console.error(`[placement.batch ${batchPublicId}] attempt ${attempt} failed`, err);
    if (err instanceof StoredObjectNotFound) {
      // No retry can bring the file back: stop now and say so.
      await db('placement_batches').where({ id: b.id, status: 'running' }).update({
        status: 'failed', updatedAt: clockNow(),
        failure: `The uploaded file is no longer stored, so the run stopped after ${at} rows. Roll the batch back and upload the file again.`,
      });
      return;
    }
    // The runner retries with backoff; after the last attempt the batch waits for resume or rollback.
    const last = attempt >= BATCH_MAX_ATTEMPTS;
    await db('placement_batches').where({ id: b.id, status: 'running' }).update({
      failure: last
        ? `The run stopped after ${at} rows and was tried ${attempt} times; it is not retried any more. Resume it to continue from there, or roll it back.`
        : `The run stopped after ${at} rows (attempt ${attempt} of ${BATCH_MAX_ATTEMPTS}); it is retried automatically, and can be rolled back.`,
      ...(last ? { status: 'failed' } : {}),
      updatedAt: clockNow(),
    });
    throw err;
  }
}

/** Runs one slice; true when the file is finished. */
async function runSlice(deps: AppDeps, b: BatchRow, path: string, signal?: AbortSignal): Promise<boolean> {
  const { db, config } = deps;
  const mapping = JSON.parse(b.mappingJson!) as ColumnMapping;
  const headers = JSON.parse(b.headersJson) as string[];
  const index = new Map(headers.map((h, i) => [h, i]));
  const type = defaultAccountType(b.clientKind);
  const dryRun = b.mode === 'validate';
  // Numbers placed by the chunk being committed → their row, for "same number as row N". A place
  // run forgets them once the chunk commits (later chunks find them in the database, so memory
  // stays flat however long the file); a dry run places nothing, so it keeps them all here.
  const seen = new Map<string, number>();
  const sliceStarted = performance.now();
  let done = Number(b.rowsDone);
  const start = done;
  const chunkRows = isMysql(db) ? CHUNK_ROWS_MYSQL : CHUNK_ROWS;
  // A valid row's database rows (ids, encrypted SSN …) are built as it is read, outside any transaction.
  const writeContext = { clientId: b.clientId, userId: b.createdByUserId, batchId: b.id, now: clockNow() };
  let chunk: Pending[] = [];
  let queuedTo = start;
  let dataIndex = -1;
  let headerRow = 0;
  let read = 0;

  /** Commits data rows [done, end): one transaction with the checkpoint. True when the slice ends here. */
  const flush = async (items: Pending[], end: number, last: boolean) => {
    const from = done;
    if (signal?.aborted) throw new Superseded(); // another worker holds the job now
    const sliceEnds = !last && !dryRun && (end - start >= batchLimits.sliceRows || performance.now() - sliceStarted >= batchLimits.sliceMs);
    await db.transaction(async (trx) => {
      await commitChunk(trx, b, items, seen, dryRun);
      const finished = last ? { status: dryRun ? 'validated' : 'completed', finishedAt: clockNow(), failure: null } : {};
      const counters = countersOf(items);
      const ok = await trx('placement_batches').where({ id: b.id, rowsDone: from, status: 'running' }).update({
        rowsDone: end,
        rowsPlaced: trx.raw('rows_placed + ?', [counters.placed]),
        rowsInvalid: trx.raw('rows_invalid + ?', [counters.invalid]),
        rowsDuplicate: trx.raw('rows_duplicate + ?', [counters.duplicate]),
        updatedAt: clockNow(),
        ...finished,
      });
      if (!ok) throw new Superseded();
      if (sliceEnds) {
        await enqueueJob(trx, { type: BATCH_JOB, payload: { batchId: b.publicId }, dedupeKey: `${BATCH_JOB}:${b.publicId}:place:${end}`, maxAttempts: BATCH_MAX_ATTEMPTS });
      }
      if (last) {
        const totals = (await trx('placement_batches').where({ id: b.id }).first('rows_placed', 'rows_invalid', 'rows_duplicate')) as Record<string, number>;
        await writeAudit(trx, { actor: SYSTEM, action: `placement.batch.${dryRun ? 'validated' : 'completed'}`, target: { type: 'placement_batch', id: b.publicId }, after: totals });
        await appendEvent(trx, { type: `placement.batch.${dryRun ? 'validated' : 'completed'}`, clientId: b.clientId, accountId: null, visibility: 'client', actor: SYSTEM, payload: { batchId: b.publicId, ...totals } });
        if (!dryRun && Number(totals.rowsPlaced) > 0) {
          await openTask(trx, {
            clientId: b.clientId, kind: 'placement_review', createdByUserId: b.createdByUserId, sourceType: 'placement_batch', sourceId: b.publicId,
            title: `Review ${Number(totals.rowsPlaced)} placements from ${b.clientName} (${b.fileName})`.slice(0, 255),
          });
        }
      }
    });
    done = end;
    if (!dryRun) seen.clear();
    return sliceEnds;
  };

  // Pipelined: while one chunk's transaction waits on the database, the next chunk is read and
  // validated. Commits stay strictly one after another (each starts after the previous one ended),
  // so checkpoints advance in order.
  let inFlight: Promise<boolean> | null = null;
  const previousEndedSlice = async () => {
    if (!inFlight) return false;
    const ended = await inFlight;
    inFlight = null;
    return ended;
  };
  for await (const { row, cells } of readRecords(path, b.format)) {
    if (!headerRow) {
      if (isBlank(cells)) continue;
      headerRow = row;
      continue;
    }
    // A data row's position after the header: rows an XLSX leaves out are skipped, not made up.
    dataIndex = row - headerRow - 1;
    if (dataIndex < start) continue; // before the checkpoint: finished by an earlier attempt or slice
    // Blank lines (trailing rows of a spreadsheet) count as done and are neither placed nor errors.
    if (!isBlank(cells)) {
      const p: Pending = { rowNumber: row, outcome: evaluateRow(cells, index, mapping, type, clockNow()) };
      if (p.outcome.ok && !dryRun) {
        p.prepared = preparePlacements(config, [{ value: p.outcome.value!, rowNumber: p.rowNumber }], writeContext)[0];
        p.outcome.value = undefined; // its rows are built: do not keep both until the commit
      }
      chunk.push(p);
    }
    // The file's records arrive without a turn of the event loop in between (a read buffer holds
    // thousands): give the previous chunk's transaction its turn regularly, or its statements
    // would wait for the whole buffer to be validated (each turn costs ~1 µs; 10 rows take ~0.6 ms).
    if (++read % 10 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (dataIndex + 1 - queuedTo >= chunkRows) {
      if (await previousEndedSlice()) return false;
      const items = chunk;
      chunk = [];
      writeContext.now = clockNow();
      queuedTo = dataIndex + 1;
      inFlight = flush(items, queuedTo, false);
      inFlight.catch(() => {}); // awaited (and thrown) at the next chunk or the end
    }
  }
  if (await previousEndedSlice()) return false;
  await flush(chunk, dataIndex + 1 < start ? start : dataIndex + 1, true);
  return true;
}

function countersOf(chunk: Pending[]) {
  let placed = 0;
  let invalid = 0;
  let duplicate = 0;
  for (const p of chunk) {
    if (!p.outcome.ok) invalid++;
    else if (p.outcome.reason) duplicate++;
    else placed++;
  }
  return { placed, invalid, duplicate };
}

/** Sorts a chunk into placed / duplicate / invalid, writes the placements (unless a dry run) and the report lines. */
async function commitChunk(trx: Trx, b: BatchRow, chunk: Pending[], seen: Map<string, number>, dryRun: boolean): Promise<void> {
  const valid = chunk.filter((p) => p.outcome.ok);
  const existing = await existingNumbers(trx, b.clientId, valid.map((p) => p.outcome.clientAccountNumber));
  // Which of those this very batch placed in an earlier chunk or slice, and on which row.
  const ownRows = new Map<string, number>();
  if (existing.size) {
    const rows = (await trx('placements').where({ batchId: b.id }).whereIn('client_account_number', [...existing]).select('client_account_number', 'row_number')) as { clientAccountNumber: string; rowNumber: number }[];
    for (const r of rows) ownRows.set(r.clientAccountNumber, Number(r.rowNumber));
  }
  const toWrite: PreparedPlacement[] = [];
  for (const p of valid) {
    const n = p.outcome.clientAccountNumber;
    const earlier = seen.get(n) ?? ownRows.get(n);
    if (earlier !== undefined) p.outcome.reason = `Same client account number as row ${earlier} of this file.`;
    else if (existing.has(n)) p.outcome.reason = 'This client account number has already been placed for this client.';
    else {
      seen.set(n, p.rowNumber);
      if (!dryRun) toWrite.push(p.prepared!);
    }
  }
  if (!dryRun) await insertPrepared(trx, toWrite);
  await insertMany(trx, 'placement_batch_errors', chunk.filter((p) => !p.outcome.ok || p.outcome.reason).map((p) => ({
    batchId: b.id, rowNumber: p.rowNumber, clientAccountNumber: p.outcome.clientAccountNumber.slice(0, 64) || null,
    kind: p.outcome.ok ? 'duplicate' : 'invalid', reason: p.outcome.reason!,
  })));
  if (!dryRun && toWrite.length) {
    await writeAudit(trx, {
      actor: SYSTEM, action: 'placement.batch.rows', target: { type: 'placement_batch', id: b.publicId },
      after: { fromRow: chunk[0]!.rowNumber, toRow: chunk[chunk.length - 1]!.rowNumber, placed: toWrite.length },
    });
  }
}
