import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { badRequest } from '../platform/errors.js';
import { Problem } from '../auth/auth.schema.js';
import { fileStoreFor } from '../platform/storage.js';
import { uploadLimits } from '../platform/uploads/file-kinds.js';
import { checkFormFields, receiveUpload } from '../platform/uploads/receive.js';
import { checkName } from '../platform/uploads/names.js';
import { openStoredFile, sendOpenedFile } from '../platform/uploads/send-file.js';
import { limitsView } from '../attachments/attachments.service.js';
import {
  ClientQuery, CollabFileDetail, CollabFileList, Comment, CommentList, FileContentQuery, FileListQuery, FileParams, Folder, FolderTree,
  NewComment, NewFileForm, NewFolder, NewVersionForm,
} from './collab.schema.js';
import { addComment, addFile, addVersion, createFolder, getFile, listComments, listFiles, listFolders, openFile } from './collab.service.js';

const folderName = (v: unknown) => checkName(v, { field: 'name', label: 'folder name' });
const fileName = (v: unknown, field: string) => checkName(v, { field, label: 'file name' });

/** Comment text: newlines and tabs are fine, other control characters are not. */
function commentBody(v: string): string {
  const body = v.trim();
  if (!body) throw badRequest('comment_required', 'Write a comment.', [{ path: 'body', code: 'required', message: 'Required.' }]);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(body)) {
    throw badRequest('invalid_comment', 'The comment contains control characters.', [{ path: 'body', code: 'invalid_comment', message: 'Control characters are not allowed.' }]);
  }
  return body;
}

export function collabRoutes({ db, config }: AppDeps): AnyRoute[] {
  const store = fileStoreFor(config);
  const P = 'collab.use';
  return [
    route({
      method: 'get', path: '/collab/folders', tag: 'collab', auth: 'user', permission: P,
      summary: 'The folder tree of a client’s Collaboration Center, as a flat list with parent ids. `clientId` is needed unless the caller has exactly one client.',
      query: ClientQuery,
      responses: { 200: FolderTree, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listFolders(db, caller, query.clientId),
    }),
    route({
      method: 'post', path: '/collab/folders', tag: 'collab', auth: 'user', permission: P,
      summary: 'Create a folder (names unique among siblings, ignoring case; no / or \\ or control characters).',
      body: NewFolder,
      responses: { 201: Folder, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, body, meta }) => createFolder(db, caller, meta, { ...body, name: folderName(body.name) }),
    }),
    route({
      method: 'get', path: '/collab/files', tag: 'collab', auth: 'user', permission: P,
      summary: 'Files of a client’s center: of one folder (`folderId`, or `root`) or all of them, with their current version and the upload limits.',
      query: FileListQuery,
      responses: { 200: CollabFileList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, query }) => ({ ...(await listFiles(db, caller, query)), limits: limitsView(uploadLimits(config)) }),
    }),
    route({
      method: 'post', path: '/collab/files', tag: 'collab', auth: 'user', permission: P,
      summary: 'Add a file (multipart/form-data: `file`, optional `name`, `folderId`, `clientId`). The name must be unique in the client’s center: 409 otherwise.',
      multipart: NewFileForm,
      responses: { 201: CollabFileDetail, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 413: Problem, 415: Problem },
      handler: async ({ caller, meta, ctx }) => {
        const upload = await receiveUpload(ctx, config);
        try {
          checkFormFields(upload.fields, ['name', 'folderId', 'clientId']);
          const f = upload.fields as { name?: string; folderId?: string; clientId?: string };
          const name = fileName(f.name?.trim() ? f.name : upload.file.originalName, f.name?.trim() ? 'name' : 'file');
          return await addFile(db, caller, meta, { name, folderId: f.folderId || undefined, clientId: f.clientId || undefined }, upload.file);
        } catch (err) {
          await upload.discard();
          throw err;
        }
      },
    }),
    route({
      method: 'get', path: '/collab/files/:fileId', tag: 'collab', auth: 'user', permission: P,
      summary: 'One file with all its versions, newest first.',
      params: FileParams,
      responses: { 200: CollabFileDetail, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getFile(db, caller, params.fileId),
    }),
    route({
      method: 'post', path: '/collab/files/:fileId/versions', tag: 'collab', auth: 'user', permission: P,
      summary: 'Overwrite a file (multipart/form-data: `file`): a new current version; earlier versions are kept and downloadable.',
      params: FileParams,
      multipart: NewVersionForm,
      responses: { 201: CollabFileDetail, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 415: Problem },
      handler: async ({ caller, params, meta, ctx }) => {
        await getFile(db, caller, params.fileId); // 404 before a byte is stored
        const upload = await receiveUpload(ctx, config);
        try {
          checkFormFields(upload.fields, []);
          return await addVersion(db, caller, meta, params.fileId, upload.file);
        } catch (err) {
          await upload.discard();
          throw err;
        }
      },
    }),
    route({
      method: 'get', path: '/collab/files/:fileId/content', tag: 'collab', auth: 'user', permission: P,
      summary: 'Download a file (the current version, or `version=n`); `disposition=inline` shows PDFs, images and text. One `Range: bytes=…` is answered with 206. Audited.',
      params: FileParams,
      query: FileContentQuery,
      produces: 'application/octet-stream',
      responses: { 200: z.string().describe('binary'), 206: z.string().describe('binary: the one byte range asked for with Range'), 401: Problem, 403: Problem, 404: Problem, 416: Problem },
      handler: async ({ caller, params, query, meta, ctx }) => {
        sendOpenedFile(ctx, await openFile(db, caller, meta, params.fileId, query.version, query.disposition, (file) => openStoredFile(ctx, store, file)));
      },
    }),
    route({
      method: 'get', path: '/collab/files/:fileId/comments', tag: 'collab', auth: 'user', permission: P,
      summary: 'Comments on a file, oldest first.',
      params: FileParams,
      responses: { 200: CommentList, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => listComments(db, caller, params.fileId),
    }),
    route({
      method: 'post', path: '/collab/files/:fileId/comments', tag: 'collab', auth: 'user', permission: P,
      summary: 'Comment on a file.',
      params: FileParams,
      body: NewComment,
      responses: { 201: Comment, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, body, meta }) => addComment(db, caller, meta, params.fileId, commentBody(body.body)),
    }),
  ];
}
