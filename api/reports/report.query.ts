/**
 * Query pieces the built-in reports share: the accounts a report may count (tenancy from
 * `visibleAccounts`, accepted placements only, then the report's filters), original amounts from the
 * balance components, and a keyset-paged stream so exports of any size read in bounded chunks.
 */
import type { Knex } from 'knex';
import { toDateOnly } from '../platform/db.js';
import { visibleAccounts } from '../accounts/accounts.scope.js';
import { AGE_BUCKETS, bucketPlacedRange, daysBetween } from './report.params.js';
import type { ReportContext, Row, ReportDefinition } from './report.types.js';

export const CHUNK = 1000;

/**
 * Accounts in scope. Reports count worked accounts only (accepted placements), for agency and client
 * users alike, so both see the same figures for the same client. `placedRange` says whether the
 * from/to parameters filter the placement date (inventory, status, recovery) or something else.
 */
export function reportAccounts(ctx: ReportContext, opts: { placedRange: boolean }): Knex.QueryBuilder {
  const { trx, caller, params } = ctx;
  const q = visibleAccounts(trx, caller).where('accounts.review_status', 'accepted');
  if (params.clientIds) q.whereIn('accounts.client_id', params.clientIds);
  if (params.statuses) q.whereIn('accounts.status', params.statuses);
  if (opts.placedRange && params.from) q.where('accounts.placed_on', '>=', params.from);
  if (opts.placedRange && params.to) q.where('accounts.placed_on', '<=', params.to);
  if (params.ageBuckets) {
    const ranges = params.ageBuckets.map((b) => bucketPlacedRange(b, params.asOf));
    q.where((w) => {
      for (const r of ranges) {
        w.orWhere((one) => {
          if (r.placedFrom) one.where('accounts.placed_on', '>=', r.placedFrom);
          one.where('accounts.placed_on', '<=', r.placedTo);
        });
      }
    });
  }
  return q;
}

/**
 * A SQL CASE giving each account's age bucket key as of the report date. Dates are literals computed
 * here (bound), so the expression is the same on SQLite and MySQL.
 */
export function ageBucketSql(knex: Knex | Knex.Transaction, asOf: string): Knex.Raw {
  const parts: string[] = [];
  const bindings: string[] = [];
  for (const b of AGE_BUCKETS) {
    const r = bucketPlacedRange(b.key, asOf);
    if (r.placedFrom) {
      parts.push('when accounts.placed_on >= ? then ?');
      bindings.push(r.placedFrom, b.key);
    }
  }
  return knex.raw(`case ${parts.join(' ')} else ? end`, [...bindings, AGE_BUCKETS[AGE_BUCKETS.length - 1].key]);
}

/** Sum of original balance components per account id. */
export async function originalCents(ctx: ReportContext, accountIds: number[]): Promise<Map<number, number>> {
  if (!accountIds.length) return new Map();
  const rows = (await ctx.trx('account_balances').whereIn('account_id', accountIds).groupBy('account_id')
    .select('account_id', ctx.trx.raw('sum(original_cents) as original_cents'))) as { accountId: number; originalCents: number | string }[];
  return new Map(rows.map((r) => [Number(r.accountId), Number(r.originalCents)]));
}

/** Keyset pages over `idColumn` (ascending): each chunk is one bounded query. */
export async function* keysetChunks<T extends { [k: string]: unknown }>(
  base: () => Knex.QueryBuilder,
  idColumn: string,
  idKey: keyof T,
  map: (rows: T[]) => Promise<Row[]> | Row[],
): AsyncIterable<Row[]> {
  let after = 0;
  for (;;) {
    const rows = (await base().where(idColumn, '>', after).orderBy(idColumn, 'asc').limit(CHUNK)) as T[];
    if (!rows.length) return;
    yield await map(rows);
    if (rows.length < CHUNK) return;
    after = Number(rows[rows.length - 1]![idKey]);
  }
}

export const ageDays = (placedOn: unknown, asOf: string) => daysBetween(toDateOnly(placedOn)!, asOf);

export const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** percentage with one decimal; 0 when the base is 0 */
export const pct = (part: number, whole: number) => (whole ? Math.round((part * 1000) / whole) / 10 : 0);

/**
 * For summary reports whose rows are a few groups computed at once: count, page and stream all read
 * the same small, already-aggregated list.
 */
export function groupedRows(rows: (ctx: ReportContext) => Promise<Row[]>): Pick<ReportDefinition, 'count' | 'page' | 'stream'> {
  return {
    count: async (ctx) => (await rows(ctx)).length,
    page: async (ctx, offset, limit) => (await rows(ctx)).slice(offset, offset + limit),
    stream: async function* (ctx) {
      yield await rows(ctx);
    },
  };
}
