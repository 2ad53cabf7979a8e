/**
 * Running a batch of inbound records: one record, a JSON array or NDJSON of up to 10,000. Each
 * record is validated and applied on its own (a savepoint inside a chunk transaction), so one bad
 * record yields one error result and never undoes its neighbours, while a chunk of good records
 * commits together (fast on SQLite's single writer). Applying the same record twice is a no-op:
 * every `apply` compares with what is stored and reports `unchanged`.
 */
import type { ZodType } from 'zod';
import type { Db, Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { AppError, badRequest } from '../platform/errors.js';
import { zodToFieldErrors } from '../platform/http/problem.js';
import type { Config } from '../config.js';
import type { IntegrationCaller, RequestMeta } from '../platform/http/context.js';
import { MAX_RECORDS } from './inbound.schema.js';
import { isUniqueViolation } from '../platform/unique-violation.js';

export interface Outcome {
  status: 'created' | 'updated' | 'unchanged';
  id: string;
}

export interface ApplyContext {
  integration: IntegrationCaller;
  meta: RequestMeta;
  config: Config;
  now: Date;
}

export interface RecordResult {
  index: number;
  key: string | null;
  status: 'created' | 'updated' | 'unchanged' | 'error';
  id: string | null;
  errors?: { path: string; message: string; code: string }[];
}

/** A record that cannot be applied (unknown account, missing fields for a new row, …). */
export const recordError = (code: string, message: string, path = '') =>
  new AppError(422, code, message, [{ path, message, code }]);

const CHUNK = 250;

function asRecords(body: unknown): unknown[] {
  if (body === undefined || body === null) throw badRequest('empty_body', 'Send one record, a JSON array of records or NDJSON.');
  const records = Array.isArray(body) ? body : typeof body === 'object' ? [body] : null;
  if (!records) throw badRequest('validation_failed', 'The body must be a record (object), an array of records or NDJSON.');
  if (records.length === 0) throw badRequest('empty_batch', 'The batch has no records.');
  if (records.length > MAX_RECORDS) {
    throw new AppError(413, 'too_many_records', `A batch holds at most ${MAX_RECORDS} records; this one has ${records.length}. Split it.`);
  }
  return records;
}

/** MySQL ended the whole transaction to break a lock cycle between concurrent batches. */
function isDeadlock(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

export async function runBatch<T>(
  db: Db,
  body: unknown,
  schema: ZodType<T>,
  keyOf: (raw: Record<string, unknown>) => unknown,
  apply: (trx: Trx, record: T, ctx: ApplyContext) => Promise<Outcome>,
  ctx: ApplyContext,
) {
  const records = asRecords(body);
  const results: RecordResult[] = [];
  // READ COMMITTED on MySQL: lookups of absent keys take no gap locks, so concurrent batches that
  // create different rows do not block each other.
  const options = isMysql(db) ? { isolationLevel: 'read committed' as const } : undefined;
  for (let start = 0; start < records.length; start += CHUNK) {
    // A deadlock rolls back the whole chunk; every apply is idempotent, so the chunk is run again.
    for (let attempt = 1; ; attempt++) {
      try {
        const chunk = await db.transaction(async (trx) => {
          const out: RecordResult[] = [];
          for (let index = start; index < Math.min(records.length, start + CHUNK); index++) {
            out.push(await applyOne(trx, records[index], index, schema, keyOf, apply, ctx));
          }
          return out;
        }, options);
        results.push(...chunk);
        break;
      } catch (err) {
        if (!isDeadlock(err) || attempt >= 4) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
      }
    }
  }
  const counts = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const r of results) counts[r.status === 'error' ? 'failed' : r.status]++;
  return { results, counts };
}

async function applyOne<T>(
  trx: Trx, raw: unknown, index: number, schema: ZodType<T>,
  keyOf: (raw: Record<string, unknown>) => unknown,
  apply: (trx: Trx, record: T, ctx: ApplyContext) => Promise<Outcome>, ctx: ApplyContext,
): Promise<RecordResult> {
  const rawKey = raw && typeof raw === 'object' ? keyOf(raw as Record<string, unknown>) : null;
  const key = typeof rawKey === 'string' ? rawKey : null;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { index, key, status: 'error', id: null, errors: zodToFieldErrors(parsed.error, '') };
  // Two integrations racing to create the same row: the loser's insert hits the unique key, and
  // the retry finds the row and updates (or leaves) it.
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await (trx as Db).transaction((sp) => apply(sp, parsed.data, ctx));
      return { index, key, status: outcome.status, id: outcome.id };
    } catch (err) {
      if (isDeadlock(err)) throw err;
      if (attempt === 1 && isUniqueViolation(err)) continue;
      if (err instanceof AppError) {
        return { index, key, status: 'error', id: null, errors: err.errors ?? [{ path: '', message: err.message, code: err.code }] };
      }
      // The detail goes to the log with the request id; the caller gets a stable code.
      console.error(`[${ctx.meta.requestId}] inbound record ${index} failed`, err);
      return { index, key, status: 'error', id: null, errors: [{ path: '', message: 'The record could not be stored.', code: 'internal_error' }] };
    }
  }
}
