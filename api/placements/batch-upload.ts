/**
 * Receiving a placement spreadsheet: multipart field `file`, streamed straight into the file store
 * (never held in memory, never on this node's disk: the node that runs the batch may be another one)
 * under a generated key — the user's file name is kept for display only.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type Koa from 'koa';
import multer from '@koa/multer';
import type { Config } from '../config.js';
import type { AppState } from '../platform/http/context.js';
import { AppError, badRequest } from '../platform/errors.js';
import { fileStoreFor, type FileStore, type StoredObject } from '../platform/storage.js';

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export interface UploadedSpreadsheet extends StoredObject {
  originalname: string;
}

export interface ReceivedUpload {
  file: UploadedSpreadsheet;
  fields: Record<string, unknown>;
}

function storeEngine(store: FileStore) {
  return {
    _handleFile(_req: IncomingMessage, file: { originalname: string; stream: Readable }, cb: (err: unknown, info?: UploadedSpreadsheet) => void) {
      store.put(file.stream).then((stored) => cb(null, { ...stored, originalname: file.originalname }), cb);
    },
    _removeFile(_req: IncomingMessage, file: Partial<UploadedSpreadsheet>, cb: (err: Error | null) => void) {
      if (!file.key) return cb(null);
      store.delete(file.key).then(() => cb(null), cb);
    },
  };
}

export async function receiveSpreadsheet(ctx: Koa.ParameterizedContext<AppState>, config: Config): Promise<ReceivedUpload> {
  if (!ctx.is('multipart/form-data')) throw new AppError(415, 'unsupported_media_type', 'Send the spreadsheet as multipart/form-data in the field "file".');
  const upload = multer({
    storage: storeEngine(fileStoreFor(config)) as never,
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 },
  });
  try {
    await upload.single('file')(ctx as never, async () => {});
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') throw new AppError(413, 'file_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
    if (code?.startsWith('LIMIT_')) throw badRequest('invalid_upload', 'Send one file in the field "file".');
    throw badRequest('invalid_upload', 'The upload could not be read.');
  }
  const file = (ctx.request as unknown as { file?: UploadedSpreadsheet }).file;
  if (!file) throw badRequest('validation_failed', 'Choose a file to upload.', [{ path: 'file', code: 'required', message: 'Choose a CSV or XLSX file.' }]);
  return { file: { key: file.key, size: file.size, sha256: file.sha256, originalname: file.originalname }, fields: ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown> };
}
