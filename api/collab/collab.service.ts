/**
 * The Collaboration Center (F-DOC 2): per client, a folder tree and files that are not tied to an
 * account. File names are unique within a client's center (ignoring case); an overwrite adds a version
 * and keeps the old ones; comments carry author and time. Every lookup is scoped to the caller's
 * clients (another client's folder or file is a 404) and every change and download is audited.
 */
import type { Db, Trx } from '../platform/db.js';
import { now, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { AppError, badRequest, conflict, notFound } from '../platform/errors.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import { isUniqueViolation } from '../platform/unique-violation.js';
import { extensionOf, kindByMime, type FileKind } from '../platform/uploads/file-kinds.js';
import { nameKey } from '../platform/uploads/names.js';
import type { ReceivedFile } from '../platform/uploads/receive.js';
import type { Disposition, OpenedFile, SendFile } from '../platform/uploads/send-file.js';

interface ClientRow { id: number; publicId: string; name: string }

/**
 * The client whose center is meant: the one named, or the caller's only client. Agency users and
 * users of several clients must say which (400), and a client the caller is not linked to is a 404.
 */
export async function resolveCenter(trx: Trx, caller: Caller, clientPublicId: string | undefined): Promise<ClientRow> {
  let id: number;
  if (clientPublicId) id = await resolveClientId(trx, caller, clientPublicId);
  else if (caller.clientIds !== 'all' && caller.clientIds.length === 1) id = caller.clientIds[0]!;
  else throw badRequest('client_required', 'Say whose Collaboration Center: give clientId.', [{ path: 'clientId', code: 'required', message: 'Required for users of several clients.' }]);
  return (await trx('clients').where({ id }).first('id', 'public_id', 'name')) as ClientRow;
}

const clientRef = (c: ClientRow) => ({ id: c.publicId, name: c.name });
const visibleClientIds = (caller: Caller) => (caller.clientIds === 'all' ? null : caller.clientIds.length ? [...caller.clientIds] : [-1]);

// ---------- folders ----------

interface FolderRow { id: number; publicId: string; clientId: number; parentId: number | null; name: string; createdAt: unknown }

export async function listFolders(db: Db, caller: Caller, clientPublicId: string | undefined) {
  const client = await resolveCenter(db, caller, clientPublicId);
  const rows = (await db('collab_folders as f')
    .leftJoin('collab_folders as p', 'p.id', 'f.parent_id')
    .where('f.client_id', client.id)
    .orderBy('f.name')
    .select('f.public_id', 'f.name', 'f.created_at', 'p.public_id as parent_public_id')) as { publicId: string; name: string; createdAt: unknown; parentPublicId: string | null }[];
  return {
    client: clientRef(client),
    folders: rows.map((r) => ({ id: r.publicId, name: r.name, parentId: r.parentPublicId ?? null, createdAt: toIso(r.createdAt)! })),
  };
}

async function findFolder(trx: Trx, clientId: number, publicId: string): Promise<FolderRow> {
  const row = (await trx('collab_folders').where({ clientId, publicId }).first()) as FolderRow | undefined;
  if (!row) throw notFound('Folder');
  return row;
}

export async function createFolder(db: Db, caller: Caller, meta: RequestMeta, input: { clientId?: string; parentId?: string | null; name: string }) {
  try {
    return await db.transaction(async (trx) => {
      const client = await resolveCenter(trx, caller, input.clientId);
      const parent = input.parentId ? await findFolder(trx, client.id, input.parentId) : null;
      const key = nameKey(input.name);
      if (await trx('collab_folders').where({ clientId: client.id, parentKey: parent?.id ?? 0, nameKey: key }).first('id')) {
        throw conflict('folder_name_taken', `There is already a folder called "${input.name}" here.`);
      }
      const publicId = newId('fld');
      const createdAt = now();
      await trx('collab_folders').insert({
        publicId, clientId: client.id, parentId: parent?.id ?? null, parentKey: parent?.id ?? 0, name: input.name, nameKey: key,
        createdByUserId: caller.userId, createdAt,
      });
      await writeAudit(trx, {
        actor: meta.actor, action: 'collab.folder.create', target: { type: 'collab_folder', id: publicId }, ip: meta.ip, requestId: meta.requestId,
        after: { client: client.publicId, name: input.name, parent: parent?.publicId ?? null },
      });
      return { id: publicId, name: input.name, parentId: parent?.publicId ?? null, createdAt: createdAt.toISOString() };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict('folder_name_taken', `There is already a folder called "${input.name}" here.`);
    throw err;
  }
}

// ---------- files ----------

interface FileRow {
  id: number; publicId: string; clientId: number; folderId: number | null; name: string; currentVersion: number;
  createdAt: unknown; updatedAt: unknown; folderPublicId: string | null;
  creatorPublicId: string; creatorFirstName: string; creatorLastName: string;
  contentType: string; sizeBytes: number | string; uploaderPublicId: string; uploaderFirstName: string; uploaderLastName: string;
}

/** Files with their current version and who created/last changed them; scoped to the caller's clients. */
function fileQuery(trx: Trx, caller: Caller) {
  const q = trx('collab_files as cf')
    .join('collab_file_versions as v', (j) => j.on('v.file_id', 'cf.id').andOn('v.version', 'cf.current_version'))
    .join('users as cu', 'cu.id', 'cf.created_by_user_id')
    .join('users as uu', 'uu.id', 'v.uploaded_by_user_id')
    .leftJoin('collab_folders as fo', 'fo.id', 'cf.folder_id')
    .select(
      'cf.id', 'cf.public_id', 'cf.client_id', 'cf.folder_id', 'cf.name', 'cf.current_version', 'cf.created_at', 'cf.updated_at',
      'fo.public_id as folder_public_id', 'cu.public_id as creator_public_id', 'cu.first_name as creator_first_name', 'cu.last_name as creator_last_name',
      'v.content_type', 'v.size_bytes', 'uu.public_id as uploader_public_id', 'uu.first_name as uploader_first_name', 'uu.last_name as uploader_last_name',
    );
  const ids = visibleClientIds(caller);
  if (ids) q.whereIn('cf.client_id', ids);
  return q;
}

function presentFile(r: FileRow) {
  return {
    id: r.publicId,
    name: r.name,
    folderId: r.folderPublicId ?? null,
    currentVersion: Number(r.currentVersion),
    contentType: r.contentType,
    sizeBytes: Number(r.sizeBytes),
    viewable: kindByMime(r.contentType)?.inline ?? false,
    createdBy: { id: r.creatorPublicId, name: `${r.creatorFirstName} ${r.creatorLastName}` },
    createdAt: toIso(r.createdAt)!,
    updatedBy: { id: r.uploaderPublicId, name: `${r.uploaderFirstName} ${r.uploaderLastName}` },
    updatedAt: toIso(r.updatedAt)!,
  };
}

async function findFile(trx: Trx, caller: Caller, publicId: string): Promise<FileRow> {
  const row = (await fileQuery(trx, caller).where('cf.public_id', publicId).first()) as FileRow | undefined;
  if (!row) throw notFound('File');
  return row;
}

export async function listFiles(db: Db, caller: Caller, query: { clientId?: string; folderId?: string }) {
  const client = await resolveCenter(db, caller, query.clientId);
  const q = fileQuery(db, caller).where('cf.client_id', client.id).orderBy('cf.name');
  if (query.folderId === 'root') q.whereNull('cf.folder_id');
  else if (query.folderId) q.where('cf.folder_id', (await findFolder(db, client.id, query.folderId)).id);
  return { client: clientRef(client), data: ((await q) as FileRow[]).map(presentFile) };
}

export async function getFile(db: Db, caller: Caller, publicId: string) {
  const row = await findFile(db, caller, publicId);
  const versions = (await db('collab_file_versions as v')
    .join('users as u', 'u.id', 'v.uploaded_by_user_id')
    .where('v.file_id', row.id)
    .orderBy('v.version', 'desc')
    .select('v.version', 'v.original_name', 'v.content_type', 'v.size_bytes', 'v.sha256', 'v.created_at', 'u.public_id as uploader_public_id', 'u.first_name', 'u.last_name')) as {
    version: number; originalName: string; contentType: string; sizeBytes: number | string; sha256: string; createdAt: unknown; uploaderPublicId: string; firstName: string; lastName: string;
  }[];
  const comments = (await db('collab_comments').where({ fileId: row.id }).count({ n: '*' })) as { n: number | string }[];
  return {
    ...presentFile(row),
    versions: versions.map((v) => ({
      version: Number(v.version), fileName: v.originalName, contentType: v.contentType, sizeBytes: Number(v.sizeBytes), sha256: v.sha256,
      uploadedBy: { id: v.uploaderPublicId, name: `${v.firstName} ${v.lastName}` }, uploadedAt: toIso(v.createdAt)!,
    })),
    commentCount: Number(comments[0]!.n),
  };
}

/** A file named `report.pdf` must hold a PDF, whatever the uploaded file was called. */
function checkNameMatchesContent(name: string, kind: FileKind): void {
  const ext = extensionOf(name);
  if (ext && !kind.extensions.includes(ext)) {
    throw new AppError(415, 'content_mismatch', `The name ends in .${ext} but the content is ${kind.label}.`);
  }
}

async function insertVersion(trx: Trx, caller: Caller, fileId: number, version: number, file: ReceivedFile, at: Date) {
  await trx('collab_file_versions').insert({
    publicId: newId('fver'), fileId, version, originalName: file.originalName, contentType: file.kind.mime, sizeBytes: file.size,
    sha256: file.sha256, storageKey: file.key, uploadedByUserId: caller.userId, createdAt: at,
  });
}

const fileTaken = (name: string) => conflict('file_name_taken', `A file called "${name}" already exists in this Collaboration Center. Choose another name or overwrite that file.`);

export async function addFile(db: Db, caller: Caller, meta: RequestMeta, input: { clientId?: string; folderId?: string; name: string }, file: ReceivedFile) {
  checkNameMatchesContent(input.name, file.kind);
  let publicId: string;
  try {
    publicId = await db.transaction(async (trx) => {
      const client = await resolveCenter(trx, caller, input.clientId);
      const folder = input.folderId && input.folderId !== 'root' ? await findFolder(trx, client.id, input.folderId) : null;
      const key = nameKey(input.name);
      if (await trx('collab_files').where({ clientId: client.id, nameKey: key }).first('id')) throw fileTaken(input.name);
      const id = newId('cfile');
      const at = now();
      const [fileId] = (await trx('collab_files').insert({
        publicId: id, clientId: client.id, folderId: folder?.id ?? null, name: input.name, nameKey: key, currentVersion: 1,
        createdByUserId: caller.userId, createdAt: at, updatedAt: at,
      })) as number[];
      await insertVersion(trx, caller, fileId!, 1, file, at);
      await writeAudit(trx, {
        actor: meta.actor, action: 'collab.file.add', target: { type: 'collab_file', id }, ip: meta.ip, requestId: meta.requestId,
        after: { client: client.publicId, name: input.name, folder: folder?.publicId ?? null, version: 1, contentType: file.kind.mime, sizeBytes: file.size, sha256: file.sha256 },
      });
      await appendEvent(trx, { type: 'collab.file.added', clientId: client.id, accountId: null, visibility: 'client', actor: meta.actor, payload: { fileId: id, name: input.name } });
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw fileTaken(input.name);
    throw err;
  }
  return getFile(db, caller, publicId);
}

/** Overwrite: a new current version; the previous ones stay listed and downloadable. */
export async function addVersion(db: Db, caller: Caller, meta: RequestMeta, filePublicId: string, file: ReceivedFile) {
  await db.transaction(async (trx) => {
    const row = await findFile(trx, caller, filePublicId);
    checkNameMatchesContent(row.name, file.kind);
    const at = now();
    // The increment is one statement: concurrent overwrites queue on the row and get n+1, n+2.
    await trx('collab_files').where({ id: row.id }).update({ currentVersion: trx.raw('current_version + 1'), updatedAt: at });
    const { currentVersion } = (await trx('collab_files').where({ id: row.id }).first('current_version')) as { currentVersion: number };
    await insertVersion(trx, caller, row.id, Number(currentVersion), file, at);
    await writeAudit(trx, {
      actor: meta.actor, action: 'collab.file.overwrite', target: { type: 'collab_file', id: row.publicId }, ip: meta.ip, requestId: meta.requestId,
      before: { version: Number(row.currentVersion), contentType: row.contentType, sizeBytes: Number(row.sizeBytes) },
      after: { version: Number(currentVersion), contentType: file.kind.mime, sizeBytes: file.size, sha256: file.sha256 },
    });
    await appendEvent(trx, { type: 'collab.file.updated', clientId: row.clientId, accountId: null, visibility: 'client', actor: meta.actor, payload: { fileId: row.publicId, version: Number(currentVersion) } });
  });
  return getFile(db, caller, filePublicId);
}

/**
 * Opens the file to send (a given version or the current one; `open`: the whole file or the range
 * asked for), then audits who downloaded what. A download that fails to open is not audited.
 */
export async function openFile(db: Db, caller: Caller, meta: RequestMeta, filePublicId: string, version: number | undefined, disposition: Disposition, open: (file: SendFile) => Promise<OpenedFile>): Promise<OpenedFile> {
  const row = await findFile(db, caller, filePublicId);
  const v = (await db('collab_file_versions').where({ fileId: row.id, version: version ?? row.currentVersion }).first()) as
    | { version: number; contentType: string; sizeBytes: number | string; sha256: string; storageKey: string }
    | undefined;
  if (!v) throw notFound('Version');
  const inline = disposition === 'inline' && (kindByMime(v.contentType)?.inline ?? false);
  const opened = await open({ key: v.storageKey, contentType: v.contentType, size: Number(v.sizeBytes), sha256: v.sha256, filename: row.name, disposition: inline ? 'inline' : 'attachment' });
  try {
    await db.transaction((trx) => writeAudit(trx, {
      actor: meta.actor, action: inline ? 'collab.file.view' : 'collab.file.download', target: { type: 'collab_file', id: row.publicId },
      ip: meta.ip, requestId: meta.requestId, after: { version: Number(v.version), sha256: v.sha256, ...(opened.range ? { range: opened.range } : {}) },
    }));
  } catch (err) {
    opened.body?.destroy();
    throw err;
  }
  return opened;
}

// ---------- comments ----------

export async function listComments(db: Db, caller: Caller, filePublicId: string) {
  const file = await findFile(db, caller, filePublicId);
  const rows = (await db('collab_comments as c')
    .join('users as u', 'u.id', 'c.author_user_id')
    .where('c.file_id', file.id)
    .orderBy([{ column: 'c.created_at', order: 'asc' }, { column: 'c.id', order: 'asc' }])
    .select('c.public_id', 'c.body', 'c.created_at', 'u.public_id as author_public_id', 'u.first_name', 'u.last_name')) as {
    publicId: string; body: string; createdAt: unknown; authorPublicId: string; firstName: string; lastName: string;
  }[];
  return { data: rows.map((r) => ({ id: r.publicId, body: r.body, author: { id: r.authorPublicId, name: `${r.firstName} ${r.lastName}` }, createdAt: toIso(r.createdAt)! })) };
}

export async function addComment(db: Db, caller: Caller, meta: RequestMeta, filePublicId: string, body: string) {
  return db.transaction(async (trx) => {
    const file = await findFile(trx, caller, filePublicId);
    const publicId = newId('ccmt');
    const at = now();
    await trx('collab_comments').insert({ publicId, fileId: file.id, authorUserId: caller.userId, body, createdAt: at });
    await writeAudit(trx, {
      actor: meta.actor, action: 'collab.comment.add', target: { type: 'collab_file', id: file.publicId }, ip: meta.ip, requestId: meta.requestId,
      after: { comment: publicId, body },
    });
    await appendEvent(trx, { type: 'collab.comment.added', clientId: file.clientId, accountId: null, visibility: 'client', actor: meta.actor, payload: { fileId: file.publicId, commentId: publicId } });
    return { id: publicId, body, author: { id: caller.publicId, name: caller.displayName }, createdAt: at.toISOString() };
  });
}
