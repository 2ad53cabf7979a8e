/**
 * Account attachments (F-DOC 1): list, record an upload, hand out a file for viewing or download,
 * soft-delete. Every step is tenant-scoped through `resolveAccountId` and audited in the same
 * transaction; a download is audited too (who saw what).
 */
import type { Db, Trx } from '../platform/db.js';
import { now, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { newId } from '../platform/ids.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { conflict, forbidden, notFound } from '../platform/errors.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { kindByMime, type UploadLimits } from '../platform/uploads/file-kinds.js';
import type { ReceivedFile } from '../platform/uploads/receive.js';
import type { Disposition, OpenedFile, SendFile } from '../platform/uploads/send-file.js';

interface AttachmentRow {
  id: number;
  publicId: string;
  accountId: number;
  clientId: number;
  displayName: string;
  originalName: string;
  contentType: string;
  sizeBytes: number | string;
  sha256: string;
  storageKey: string;
  /** null: sent by someone without a portal account (a debtor's dispute document) */
  uploadedByUserId: number | null;
  uploadedByName: string | null;
  /** set: the supporting document of this dispute, kept with the compliance record */
  disputeId: number | null;
  createdAt: unknown;
  uploaderPublicId: string | null;
  uploaderFirstName: string | null;
  uploaderLastName: string | null;
}

function baseQuery(trx: Trx) {
  return trx('attachments')
    .leftJoin('users', 'users.id', 'attachments.uploaded_by_user_id')
    .whereNull('attachments.deleted_at')
    .select(
      'attachments.*',
      'users.public_id as uploader_public_id', 'users.first_name as uploader_first_name', 'users.last_name as uploader_last_name',
    );
}

/**
 * Agency users with attachments.write may delete any attachment; client users only what they uploaded.
 * A dispute's document is part of the compliance record: nobody deletes it.
 */
const mayDelete = (caller: Caller, row: AttachmentRow) =>
  row.disputeId === null && caller.permissions.has('attachments.write') && (caller.kind === 'agency' || row.uploadedByUserId === caller.userId);

function present(caller: Caller, row: AttachmentRow) {
  return {
    id: row.publicId,
    displayName: row.displayName,
    fileName: row.originalName,
    contentType: row.contentType,
    sizeBytes: Number(row.sizeBytes),
    sha256: row.sha256,
    viewable: kindByMime(row.contentType)?.inline ?? false,
    uploadedBy: row.uploaderPublicId
      ? { id: row.uploaderPublicId, name: `${row.uploaderFirstName} ${row.uploaderLastName}` }
      : { id: null, name: row.uploadedByName ?? 'Unknown' },
    uploadedAt: toIso(row.createdAt)!,
    canDelete: mayDelete(caller, row),
  };
}

export function limitsView(limits: UploadLimits) {
  return { maxBytes: limits.maxBytes, types: limits.allowed.map((k) => ({ mime: k.mime, extensions: k.extensions, label: k.label })) };
}

export async function listAttachments(db: Db, caller: Caller, accountPublicId: string, limits: UploadLimits) {
  const accountId = await resolveAccountId(db, caller, accountPublicId);
  const rows = (await baseQuery(db).where('attachments.account_id', accountId).orderBy([{ column: 'attachments.created_at', order: 'desc' }, { column: 'attachments.id', order: 'desc' }])) as AttachmentRow[];
  return { data: rows.map((r) => present(caller, r)), limits: limitsView(limits) };
}

async function findAttachment(trx: Trx, caller: Caller, accountPublicId: string, attachmentPublicId: string): Promise<AttachmentRow> {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const row = (await baseQuery(trx).where({ 'attachments.account_id': accountId, 'attachments.public_id': attachmentPublicId }).first()) as AttachmentRow | undefined;
  if (!row) throw notFound('Attachment');
  return row;
}

export interface NewAttachment {
  accountId: number;
  displayName: string;
  file: ReceivedFile;
  /** the portal user who uploaded it, or null with `uploadedByName` (a debtor) */
  uploadedByUserId: number | null;
  uploadedByName?: string | null;
  disputeId?: number | null;
}

/**
 * Records a received file as an attachment of the account, in the caller's transaction: the row, the
 * audit row and the `attachment.added` event. Returns the public id. Other features that take a file
 * which belongs on the account (a dispute's document) call this inside their own transaction.
 */
export async function insertAttachment(trx: Trx, a: NewAttachment, meta: { actor: AuditActor; ip: string | null; requestId?: string | null }): Promise<string> {
  const account = (await trx('accounts').where({ id: a.accountId }).first('client_id', 'public_id')) as { clientId: number; publicId: string };
  const publicId = newId('att');
  const { file, displayName } = a;
  await trx('attachments').insert({
    publicId, accountId: a.accountId, clientId: account.clientId, displayName, originalName: file.originalName,
    contentType: file.kind.mime, sizeBytes: file.size, sha256: file.sha256, storageKey: file.key,
    uploadedByUserId: a.uploadedByUserId, uploadedByName: a.uploadedByName ?? null, disputeId: a.disputeId ?? null, createdAt: now(),
  });
  const after = { account: account.publicId, displayName, fileName: file.originalName, contentType: file.kind.mime, sizeBytes: file.size, sha256: file.sha256 };
  await writeAudit(trx, { actor: meta.actor, action: 'attachment.upload', target: { type: 'attachment', id: publicId }, ip: meta.ip, requestId: meta.requestId, after });
  await appendEvent(trx, {
    type: 'attachment.added', clientId: account.clientId, accountId: a.accountId, visibility: 'client', actor: meta.actor,
    payload: { attachmentId: publicId, accountId: account.publicId, displayName, contentType: file.kind.mime, sizeBytes: file.size },
  });
  return publicId;
}

/**
 * `resolvedAccountId`: an account the caller's feature already resolved under its own rules (a
 * pending placement's documents: the account is not yet visible to the client's account routes).
 */
export async function recordAttachment(db: Db, caller: Caller, meta: RequestMeta, accountPublicId: string, displayName: string, file: ReceivedFile, resolvedAccountId?: number) {
  return db.transaction(async (trx) => {
    const accountId = resolvedAccountId ?? (await resolveAccountId(trx, caller, accountPublicId));
    const publicId = await insertAttachment(trx, { accountId, displayName, file, uploadedByUserId: caller.userId }, meta);
    const row = (await baseQuery(trx).where('attachments.public_id', publicId).first()) as AttachmentRow;
    return present(caller, row);
  });
}

/**
 * Opens the file to send (`open`: the whole file or the range asked for) and then writes who viewed or
 * downloaded it. The bytes are opened first: a download that fails (the content is missing, the
 * range is outside the file) is not audited as one.
 */
export async function openAttachment(db: Db, caller: Caller, meta: RequestMeta, accountPublicId: string, attachmentPublicId: string, disposition: Disposition, open: (file: SendFile) => Promise<OpenedFile>): Promise<OpenedFile> {
  const row = await findAttachment(db, caller, accountPublicId, attachmentPublicId);
  const inline = disposition === 'inline' && (kindByMime(row.contentType)?.inline ?? false);
  const opened = await open({
    key: row.storageKey, contentType: row.contentType, size: Number(row.sizeBytes), sha256: row.sha256,
    filename: row.originalName, disposition: inline ? 'inline' : 'attachment',
  });
  try {
    await db.transaction((trx) => writeAudit(trx, {
      actor: meta.actor, action: inline ? 'attachment.view' : 'attachment.download', target: { type: 'attachment', id: row.publicId },
      ip: meta.ip, requestId: meta.requestId, after: { account: accountPublicId, sha256: row.sha256, ...(opened.range ? { range: opened.range } : {}) },
    }));
  } catch (err) {
    opened.body?.destroy();
    throw err;
  }
  return opened;
}

/** Soft-deletes the row (kept for the audit trail) and returns the storage key to remove after commit. */
export async function deleteAttachment(db: Db, caller: Caller, meta: RequestMeta, accountPublicId: string, attachmentPublicId: string): Promise<string> {
  return db.transaction(async (trx) => {
    const row = await findAttachment(trx, caller, accountPublicId, attachmentPublicId);
    if (row.disputeId !== null) throw conflict('dispute_document', 'This document came with a dispute and is kept with the compliance record; it cannot be deleted.');
    if (!mayDelete(caller, row)) throw forbidden('Only the person who uploaded this attachment, or the agency, can delete it.', 'not_your_attachment');
    await trx('attachments').where({ id: row.id }).update({ deletedAt: now(), deletedByUserId: caller.userId });
    await writeAudit(trx, {
      actor: meta.actor, action: 'attachment.delete', target: { type: 'attachment', id: row.publicId }, ip: meta.ip, requestId: meta.requestId,
      before: { account: accountPublicId, displayName: row.displayName, fileName: row.originalName, sha256: row.sha256 },
    });
    await appendEvent(trx, {
      type: 'attachment.deleted', clientId: row.clientId, accountId: row.accountId, visibility: 'client', actor: meta.actor,
      payload: { attachmentId: row.publicId, accountId: accountPublicId },
    });
    return row.storageKey;
  });
}
