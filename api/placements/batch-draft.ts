/**
 * An upload left at the mapping step (a reload, a closed tab, a locked phone) is picked up again
 * later: the mapping the person is editing is saved with the batch as it changes (a draft), the
 * mapping step is read back (suggestion and sample rows read again from the stored file), and an
 * upload they no longer want is discarded — its row and its stored spreadsheet both go.
 * Tenancy: through `resolveBatch` (another client's batch is a 404), as for every batch route.
 */
import type { Config } from '../config.js';
import type { Db } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest, conflict } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { fileStoreFor, StoredObjectNotFound } from '../platform/storage.js';
import type { ColumnMapping } from './bulk-row.js';
import { suggestedMapping } from './mapping-sources.js';
import { withSheetCopy } from './sheet-copy.js';
import { bulkFieldInfo, peek, removeBatchFile, resolveBatch, toBatch, type BatchRow } from './batches.service.js';

/** Not started yet (or only checked by a dry run): the mapping can still change, the file is held. */
const OPEN_STATUSES = ['uploaded', 'validated'];

function notOpen(b: BatchRow, code: string, what: string) {
  return conflict(code, b.status === 'queued' || b.status === 'running'
    ? `This batch is running: ${what}.`
    : `This batch is ${b.status.replace('_', ' ')}: ${what}.`);
}

/** Only the fields with a column, so `{}` and `{ ssn: undefined }` are the same draft. */
const compact = (m: ColumnMapping): ColumnMapping => Object.fromEntries(Object.entries(m).filter(([, h]) => h)) as ColumnMapping;

/**
 * Saves the mapping being edited. A draft may lack a required field (the start checks that), but
 * every column it names must be in the file. Saving counts as use: the upload's expiry clock
 * (`updated_at`, upload-expiry.ts) starts again. An unchanged draft writes nothing.
 */
export async function saveDraftMapping(db: Db, caller: Caller, meta: RequestMeta, publicId: string, input: ColumnMapping, now: Date) {
  return db.transaction(async (trx) => {
    const b = await resolveBatch(trx, caller, publicId);
    if (!OPEN_STATUSES.includes(b.status)) throw notOpen(b, 'batch_not_editable', 'its mapping can no longer change');
    const headers = JSON.parse(b.headersJson) as string[];
    const mapping = compact(input);
    const errors = Object.entries(mapping).filter(([, h]) => !headers.includes(h!))
      .map(([f, h]) => ({ path: `mapping.${f}`, code: 'unknown_column', message: `The file has no column "${h}".` }));
    if (errors.length) throw badRequest('validation_failed', 'The column mapping names a column the file does not have.', errors);
    const json = JSON.stringify(mapping);
    if (json !== b.draftMappingJson) {
      // only while still open: a start or a discard that got there first wins
      const changed = await trx('placement_batches').where({ id: b.id }).whereIn('status', OPEN_STATUSES)
        .update({ draftMappingJson: json, draftSavedAt: now, updatedAt: now });
      if (!changed) throw notOpen(b, 'batch_not_editable', 'its mapping can no longer change');
      await writeAudit(trx, {
        ...meta, action: 'placement.batch.mapping', target: { type: 'placement_batch', id: b.publicId },
        before: { mapping: b.draftMappingJson ? (JSON.parse(b.draftMappingJson) as ColumnMapping) : null }, after: { mapping },
      });
      return { id: b.publicId, mapping, savedAt: now.toISOString() };
    }
    return { id: b.publicId, mapping, savedAt: toIso(b.draftSavedAt) ?? now.toISOString() };
  });
}

/** The mapping step again: what the upload answered, and the draft last saved. */
export async function mappingStep(db: Db, config: Config, caller: Caller, publicId: string) {
  const b = await resolveBatch(db, caller, publicId);
  if (!OPEN_STATUSES.includes(b.status)) throw notOpen(b, 'batch_not_editable', 'there is no mapping to continue');
  let samples: string[][];
  try {
    ({ samples } = await withSheetCopy(fileStoreFor(config), b.storedName, (path) => peek(path, b.format)));
  } catch (err) {
    if (err instanceof StoredObjectNotFound) throw conflict('batch_file_missing', 'The uploaded file is no longer stored. Upload it again.');
    throw err;
  }
  return db.transaction(async (trx) => {
    const headers = JSON.parse(b.headersJson) as string[];
    const suggested = await suggestedMapping(trx, b.clientId, headers, samples);
    return {
      ...(await toBatch(trx, b)),
      suggestedMapping: suggested.mapping,
      mappingSource: suggested.source,
      suggestions: suggested.suggestions,
      sampleRows: samples,
      fields: bulkFieldInfo(),
      savedMapping: b.draftMappingJson ? (JSON.parse(b.draftMappingJson) as ColumnMapping) : null,
      savedAt: toIso(b.draftSavedAt),
    };
  });
}

/**
 * Discards an upload not placed: the batch row goes (with a dry run's error rows), audited in the
 * same transaction; the stored spreadsheet (personal data) is removed from the file store after the
 * commit, as a rollback does — a crash in between leaves at worst an unreferenced file.
 */
export async function discardBatch(db: Db, config: Config, caller: Caller, meta: RequestMeta, publicId: string): Promise<void> {
  const storedName = await db.transaction(async (trx) => {
    const b = await resolveBatch(trx, caller, publicId);
    if (!OPEN_STATUSES.includes(b.status)) throw notOpen(b, 'batch_not_discardable', 'only an upload not placed can be discarded');
    await trx('placement_batch_errors').where({ batchId: b.id }).delete();
    const gone = await trx('placement_batches').where({ id: b.id }).whereIn('status', OPEN_STATUSES).delete();
    if (!gone) throw notOpen(b, 'batch_not_discardable', 'only an upload not placed can be discarded');
    await writeAudit(trx, {
      ...meta, action: 'placement.batch.discard', target: { type: 'placement_batch', id: b.publicId },
      before: { status: b.status, client: b.clientPublicId, fileName: b.fileName, size: Number(b.fileSize), sha256: b.fileSha256 }, after: { fileDeleted: true },
    });
    return b.storedName;
  });
  await removeBatchFile(config, storedName);
}
