/** Reading snapshots: what the catalogue needs (the last snapshot date per report the caller may see). */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';

/**
 * Snapshots a caller may see: those of their clients. Snapshots across all clients (no client) are
 * for agency users only.
 */
export function visibleSnapshots(trx: Trx, caller: Caller): Knex.QueryBuilder {
  const q = trx('report_snapshots');
  if (caller.clientIds !== 'all') q.whereIn('report_snapshots.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  return q;
}

export async function lastSnapshotDates(trx: Trx, caller: Caller): Promise<Map<string, string>> {
  const rows = (await visibleSnapshots(trx, caller).groupBy('report_key').select('report_key', trx.raw('max(generated_at) as last'))) as { reportKey: string; last: unknown }[];
  return new Map(rows.map((r) => [r.reportKey, toIso(r.last)!]));
}
