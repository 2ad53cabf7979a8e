import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { fileStoreFor } from '../platform/storage.js';
import { uploadLimits } from '../platform/uploads/file-kinds.js';
import { checkFormFields, receiveUpload } from '../platform/uploads/receive.js';
import { checkName } from '../platform/uploads/names.js';
import { openStoredFile, sendOpenedFile } from '../platform/uploads/send-file.js';
import { Attachment, AttachmentList, AttachmentParams, AttachmentUploadForm, ContentQuery } from './attachments.schema.js';
import { deleteAttachment, listAttachments, openAttachment, recordAttachment } from './attachments.service.js';

export function attachmentRoutes({ db, config }: AppDeps): AnyRoute[] {
  const store = fileStoreFor(config);
  return [
    route({
      method: 'get', path: '/accounts/:id/attachments', tag: 'attachments', auth: 'user', permission: 'attachments.read',
      summary: 'The attachments of an account, newest first, with the upload limits.',
      params: AccountIdParams,
      responses: { 200: AttachmentList, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => listAttachments(db, caller, params.id, uploadLimits(config)),
    }),
    route({
      method: 'post', path: '/accounts/:id/attachments', tag: 'attachments', auth: 'user', permission: 'attachments.write',
      summary: 'Upload an attachment (multipart/form-data: `name` = display name, `file`). The type is decided from the content; 413 over the size limit, 415 for types not accepted or content that does not match the extension.',
      params: AccountIdParams,
      multipart: AttachmentUploadForm,
      responses: { 201: Attachment, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 415: Problem },
      handler: async ({ caller, params, meta, ctx }) => {
        // 404 before a single byte is stored
        await resolveAccountId(db, caller, params.id);
        const upload = await receiveUpload(ctx, config);
        try {
          checkFormFields(upload.fields, ['name']);
          const name = checkName(upload.fields.name, { field: 'name', label: 'display name', allowPathCharacters: true });
          return await recordAttachment(db, caller, meta, params.id, name, upload.file);
        } catch (err) {
          await upload.discard();
          throw err;
        }
      },
    }),
    route({
      method: 'get', path: '/accounts/:id/attachments/:attachmentId/content', tag: 'attachments', auth: 'user', permission: 'attachments.read',
      summary: 'The file: `disposition=inline` shows PDFs, images and text in the browser, anything else downloads. One `Range: bytes=…` is answered with 206. Audited.',
      params: AttachmentParams,
      query: ContentQuery,
      produces: 'application/octet-stream',
      responses: { 200: z.string().describe('binary'), 206: z.string().describe('binary: the one byte range asked for with Range'), 401: Problem, 403: Problem, 404: Problem, 416: Problem },
      handler: async ({ caller, params, query, meta, ctx }) => {
        sendOpenedFile(ctx, await openAttachment(db, caller, meta, params.id, params.attachmentId, query.disposition, (file) => openStoredFile(ctx, store, file)));
      },
    }),
    route({
      method: 'delete', path: '/accounts/:id/attachments/:attachmentId', tag: 'attachments', auth: 'user', permission: 'attachments.write',
      summary: 'Delete an attachment: agency users any, client users their own uploads. The record stays in the audit trail; the bytes are removed.',
      params: AttachmentParams,
      responses: { 204: null, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params, meta }) => {
        const key = await deleteAttachment(db, caller, meta, params.id, params.attachmentId);
        // After commit: if this fails the row is already deleted and the bytes are an unreachable leftover.
        await store.delete(key).catch((err: unknown) => console.error(`[${meta.requestId}] could not remove stored file`, err));
      },
    }),
  ];
}
