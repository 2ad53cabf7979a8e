/**
 * Receiving one uploaded file from a multipart/form-data request (multer via @koa/multer), streamed
 * straight into the file store: the bytes pass through a small inspector that enforces the size
 * limit and decides the type from the first 64 KiB, and are never held whole in memory.
 *
 * A rejected upload (too large, wrong type, empty, bad name, client gone) leaves nothing in the
 * store. A received one is the caller's to keep or `discard()`: callers write their row in a
 * transaction and discard the stored object if that transaction fails, so there is never an orphan.
 */
import type Koa from 'koa';
import multer from '@koa/multer';
import { Transform, type TransformCallback } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { AppError, badRequest } from '../errors.js';
import type { Config } from '../../config.js';
import { fileStoreFor, type FileStore, type StoredObject } from '../storage.js';
import { decideKind, SNIFF_BYTES, uploadLimits, type FileKind, type UploadLimits } from './file-kinds.js';
import { checkName } from './names.js';

export interface ReceivedFile extends StoredObject {
  kind: FileKind;
  /** as the client named it, for display only; never used as a path */
  originalName: string;
}

export interface ReceivedUpload {
  file: ReceivedFile;
  /** the other (text) fields of the form */
  fields: Record<string, unknown>;
  /** remove the stored bytes (the caller's transaction failed) */
  discard: () => Promise<void>;
}

const tooLarge = (limits: UploadLimits) =>
  new AppError(413, 'file_too_large', `The file is larger than the limit of ${formatBytes(limits.maxBytes)}.`);

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** Counts bytes against the limit and holds back the first SNIFF_BYTES until the type is decided. */
class Inspector extends Transform {
  private head: Buffer[] = [];
  private headLength = 0;
  private decided = false;
  private size = 0;

  constructor(private readonly decide: (head: Buffer) => Promise<unknown>, private readonly limits: UploadLimits) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.limits.maxBytes) return cb(tooLarge(this.limits));
    if (this.decided) return cb(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return cb();
    this.release(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.decided) return cb();
    this.release(cb);
  }

  private release(cb: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.decide(head).then(
      () => {
        this.decided = true;
        cb(null, head);
      },
      (err: unknown) => cb(err as Error),
    );
  }
}

type MulterFile = { originalname: string; stream: NodeJS.ReadableStream & { on: (e: string, f: (err: Error) => void) => void; pipe: <T extends NodeJS.WritableStream>(d: T) => T } };

function storageEngine(store: FileStore, limits: UploadLimits) {
  return {
    _handleFile(_req: IncomingMessage, file: MulterFile, cb: (err: unknown, info?: Partial<ReceivedFile>) => void) {
      const originalName = file.originalname;
      try {
        checkName(originalName, { field: 'file', label: 'file name', allowPathCharacters: true, max: 255 });
      } catch (err) {
        return cb(err);
      }
      let kind: FileKind | undefined;
      const inspector = new Inspector(async (head) => {
        kind = await decideKind(head, originalName, limits);
      }, limits);
      file.stream.on('error', (err) => inspector.destroy(err));
      file.stream.pipe(inspector);
      store.put(inspector).then(
        (stored) => cb(null, { ...stored, kind: kind!, originalName }),
        (err: unknown) => cb(err),
      );
    },
    _removeFile(_req: IncomingMessage, file: Partial<ReceivedFile>, cb: (err: Error | null) => void) {
      if (!file.key) return cb(null);
      store.delete(file.key).then(() => cb(null), cb);
    },
  };
}

function translate(err: unknown, limits: UploadLimits): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string; name?: string }).code;
  if ((err as { name?: string }).name === 'MulterError') {
    if (code === 'LIMIT_FILE_SIZE') return tooLarge(limits);
    if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') {
      return badRequest('unexpected_file', 'Send exactly one file, in the form field "file".');
    }
    return badRequest('bad_multipart', `The form could not be read (${code}).`);
  }
  // busboy: malformed or truncated multipart bodies; a client that went away
  return badRequest('bad_multipart', 'The upload was incomplete or the form could not be read.');
}

/**
 * Receive the single file of field `file` and the form's text fields. Throws problem-ready AppErrors.
 */
export async function receiveUpload(ctx: Koa.Context | Koa.ParameterizedContext<never>, config: Config): Promise<ReceivedUpload> {
  const form = await receiveForm(ctx, config);
  if (!form.file) throw badRequest('file_required', 'Attach a file in the form field "file".');
  return { file: form.file, fields: form.fields, discard: form.discard };
}

/** A form whose file is optional (a dispute's supporting document): `file` is null when none was sent. */
export interface ReceivedForm {
  file: ReceivedFile | null;
  fields: Record<string, unknown>;
  discard: () => Promise<void>;
}

/**
 * A request's form can be read once (it is a stream). An idempotent route reads it before looking up
 * the Idempotency-Key, to fingerprint it (route.ts); the handler's own call then gets that same form.
 */
const received = new WeakMap<IncomingMessage, Promise<ReceivedForm>>();

/** As `receiveUpload`, with the same limits and type rules, but the form may come without a file. */
export function receiveForm(ctx: Koa.Context | Koa.ParameterizedContext<never>, config: Config): Promise<ReceivedForm> {
  let form = received.get(ctx.req);
  if (!form) {
    form = readForm(ctx, config);
    received.set(ctx.req, form);
  }
  return form;
}

async function readForm(ctx: Koa.Context | Koa.ParameterizedContext<never>, config: Config): Promise<ReceivedForm> {
  const limits = uploadLimits(config);
  const store = fileStoreFor(config);
  if (!ctx.is('multipart/form-data')) {
    throw new AppError(415, 'multipart_required', 'Send the file as multipart/form-data with the file in the field "file".');
  }
  // Refuse an obviously oversized request before reading it (multipart overhead is small).
  const declared = Number(ctx.get('Content-Length') || 0);
  if (declared > limits.maxBytes + 1024 * 1024) throw tooLarge(limits);

  const upload = multer({
    storage: storageEngine(store, limits) as never,
    limits: { files: 1, fields: 10, fieldSize: 10_000, parts: 12, fileSize: limits.maxBytes },
    // browsers send UTF-8 file names
    defParamCharset: 'utf8',
  } as never);
  try {
    await upload.single('file')(ctx as never, async () => {});
  } catch (err) {
    throw translate(err, limits);
  }
  const file = (ctx as unknown as { file?: ReceivedFile }).file;
  const fields = { ...((ctx.request as { body?: Record<string, unknown> }).body ?? {}) };
  if (!file) return { file: null, fields, discard: async () => {} };
  return {
    file: { key: file.key, size: file.size, sha256: file.sha256, kind: file.kind, originalName: file.originalName },
    fields,
    discard: () => store.delete(file.key),
  };
}

/** The form's text fields must be among `allowed` (unknown fields are a 400, as for JSON bodies). */
export function checkFormFields(fields: Record<string, unknown>, allowed: string[]): void {
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw badRequest('validation_failed', 'The form has unknown fields.', unknown.map((path) => ({ path, code: 'unknown_field', message: 'Unknown field.' })));
  }
  for (const k of allowed) {
    if (fields[k] !== undefined && typeof fields[k] !== 'string') {
      throw badRequest('validation_failed', `Send ${k} once, as text.`, [{ path: k, code: 'invalid_type', message: 'Expected text.' }]);
    }
  }
}
