/**
 * Receiving a placement spreadsheet: multipart field `file`, written straight to disk (never held in
 * memory) under a generated name — the user's file name is kept for display only.
 */
import { mkdirSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import multer from '@koa/multer';
import type { Config } from '../config.js';
import type { AppState } from '../platform/http/context.js';
import { AppError, badRequest } from '../platform/errors.js';
import { uploadDir } from './batches.service.js';

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export interface ReceivedUpload {
  file: { path: string; originalname: string; size: number };
  fields: Record<string, unknown>;
}

export async function receiveSpreadsheet(ctx: Koa.ParameterizedContext<AppState>, config: Config): Promise<ReceivedUpload> {
  if (!ctx.is('multipart/form-data')) throw new AppError(415, 'unsupported_media_type', 'Send the spreadsheet as multipart/form-data in the field "file".');
  const dir = uploadDir(config);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const upload = multer({
    storage: multer.diskStorage({
      destination: dir,
      filename: (_req, _file, cb) => cb(null, `${randomBytes(16).toString('hex')}.upload`),
    }),
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
  const file = (ctx.request as unknown as { file?: ReceivedUpload['file'] }).file;
  if (!file) throw badRequest('validation_failed', 'Choose a file to upload.', [{ path: 'file', code: 'required', message: 'Choose a CSV or XLSX file.' }]);
  // multer creates it with the process umask (serve sets 077); it holds SSNs, so owner-only in any case
  await chmod(file.path, 0o600);
  return { file, fields: ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown> };
}
