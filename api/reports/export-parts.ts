/**
 * The printed parts of a background PDF export, kept so that a retry resumes (issue: a retried export
 * started again from its first part). Each part (PDF_PART_ROWS rows) goes to the file store — disk or
 * S3, so the node that retries can read what another node printed — with a `report_export_parts` row.
 * A retry joins the stored parts and prints from the first missing one. The parts are deleted once the
 * export is done or failed; the expiry ticker sweeps any left behind (a node that died between).
 */
import { Readable } from 'node:stream';
import type { AppDeps } from '../platform/http/context.js';
import { now as clockNow } from '../platform/clock.js';
import { fileStoreFor, generateKey, StoredObjectNotFound } from '../platform/storage.js';

export interface StoredPart {
  partNo: number;
  fileKey: string;
  rows: number;
  pages: number;
}

export async function storedParts(deps: AppDeps, exportId: number): Promise<StoredPart[]> {
  const rows = (await deps.db('report_export_parts').where({ exportId }).orderBy('partNo').select('partNo', 'fileKey', 'rows', 'pages')) as StoredPart[];
  return rows.map((r) => ({ partNo: Number(r.partNo), fileKey: r.fileKey, rows: Number(r.rows), pages: Number(r.pages) }));
}

/**
 * The parts a retry may join: parts 0…k-1, each of `partRows` rows, printed for the same row count
 * (the first part's title block says it). Anything else (a count that moved, a gap) is not resumed.
 */
export function resumableParts(parts: StoredPart[], partRows: number, sameTotal: boolean): StoredPart[] {
  if (!sameTotal) return [];
  const usable: StoredPart[] = [];
  for (const p of parts) {
    if (p.partNo !== usable.length || p.rows !== partRows) break;
    usable.push(p);
  }
  return usable.length === parts.length ? usable : [];
}

/**
 * Stores one printed part; a part another worker stored first (it took the job over) is an error here.
 * The row comes first, naming the file before it exists, with no rows yet (so no retry joins it); the
 * file next; then the row's counts. A node that dies in between leaves a row that names its file, and
 * the retry (which drops parts it cannot join) or the sweep deletes both; stored the other way round,
 * the file of a node that died before its row was written was named by nothing and stayed forever.
 */
export async function keepPart(deps: AppDeps, exportId: number, part: { index: number; pdf: Buffer; rows: number; pages: number }): Promise<void> {
  const store = fileStoreFor(deps.config);
  const fileKey = generateKey();
  const row = { exportId, partNo: part.index };
  await deps.db('report_export_parts').insert({ ...row, fileKey, rows: 0, pages: 0, createdAt: clockNow() });
  try {
    await store.put(Readable.from([part.pdf]), fileKey);
  } catch (err) {
    // put leaves no object behind when it fails (store.ts), so the row can go too
    await deps.db('report_export_parts').where(row).delete().catch(() => undefined);
    throw err;
  }
  const counted = await deps.db('report_export_parts').where({ ...row, fileKey }).update({ rows: part.rows, pages: part.pages });
  // the row went while the file was stored (a worker that took the job over dropped it): so does the file
  if (!counted) await store.delete(fileKey).catch(() => undefined);
}

export async function loadPart(deps: AppDeps, fileKey: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await fileStoreFor(deps.config).get(fileKey)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Deletes an export's parts, files first (a row without its file would only be swept again). */
export async function dropParts(deps: AppDeps, exportId: number, parts?: StoredPart[]): Promise<void> {
  const store = fileStoreFor(deps.config);
  for (const p of parts ?? (await storedParts(deps, exportId))) {
    try {
      await store.delete(p.fileKey);
    } catch (err) {
      if (!(err instanceof StoredObjectNotFound)) throw err;
    }
    await deps.db('report_export_parts').where({ exportId, partNo: p.partNo }).delete();
  }
}

/** The parts of exports that ended (done, failed, expired) but kept them: their node died before dropping them. */
export async function sweepParts(deps: AppDeps): Promise<number> {
  const ended = (await deps.db('report_export_parts').join('report_exports', 'report_exports.id', 'report_export_parts.export_id')
    .whereIn('report_exports.status', ['done', 'failed', 'expired']).distinct('report_export_parts.export_id as export_id').limit(100)) as { exportId: number }[];
  for (const e of ended) await dropParts(deps, Number(e.exportId));
  return ended.length;
}
