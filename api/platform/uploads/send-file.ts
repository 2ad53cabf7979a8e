/**
 * Sending a stored file back: the content type we decided at upload (not the uploader's claim), a
 * Content-Disposition that is safe for any name (RFC 6266: an ASCII fallback plus `filename*` in UTF-8),
 * nosniff, and a sandbox CSP so an inline file can never run script in our origin. One byte range
 * (`Range: bytes=…`) is served as a 206, so players and PDF viewers can seek.
 */
import type Koa from 'koa';
import { AppError } from '../errors.js';
import type { Readable } from 'node:stream';
import { StoredObjectNotFound, type ByteRange, type FileStore } from '../storage.js';
import { extensionOf, kindByMime } from './file-kinds.js';

export type Disposition = 'inline' | 'attachment';

const encodeRfc5987 = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `attachment; filename="Statement _1_.pdf"; filename*=UTF-8''Statement%20%E2%84%961.pdf` */
export function contentDisposition(disposition: Disposition, filename: string): string {
  // Path separators, quotes and controls never reach the header, whatever the stored name was.
  const clean = filename.replace(/[\u0000-\u001f\u007f-\u009f"\\/]/g, '_').trim() || 'download';
  const ascii = clean.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|[%;]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

/** The name to download under: the given name, with the extension of its real type when it lacks one. */
export function downloadName(name: string, contentType: string): string {
  const kind = kindByMime(contentType);
  if (!kind) return name;
  const ext = extensionOf(name);
  return ext && kind.extensions.includes(ext) ? name : `${name}.${kind.extensions[0]}`;
}

export interface SendFile {
  key: string;
  contentType: string;
  size: number;
  sha256: string;
  filename: string;
  disposition: Disposition;
}

/** The stored bytes a request asked for, opened (or, for HEAD, checked) but not yet sent. */
export interface OpenedFile {
  file: SendFile;
  /** null for HEAD */
  body: Readable | null;
  /** the one range served (206), or null for the whole file */
  range: ByteRange | null;
}

/**
 * The Range a GET asks for (RFC 9110 §14): one `bytes=` range, within the file. Anything we do not
 * serve as a range (several ranges, other units, malformed, an If-Range for another version) gets the
 * whole file, as the RFC allows; a range wholly past the end is 'unsatisfiable' (416).
 */
export function requestedRange(header: string | undefined, size: number, ifRange: string | undefined, etag: string): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  if (ifRange && ifRange.trim() !== etag) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return null;
  return { start, end };
}

/**
 * Opens the bytes to send: the whole file or the one range asked for. Throws 404 `content_missing`
 * when the store does not have them and 416 for a range past the end — before anything is sent, so
 * callers audit a download only once this succeeded.
 */
export async function openStoredFile(ctx: Koa.Context | Koa.ParameterizedContext<never>, store: FileStore, file: SendFile): Promise<OpenedFile> {
  const missing = () => new AppError(404, 'content_missing', 'The stored content of this file is missing.');
  if (ctx.method === 'HEAD') {
    // headers only: do not open a stream nobody will read
    if (!(await store.stat(file.key))) throw missing();
    return { file, body: null, range: null };
  }
  const range = requestedRange(ctx.get('Range') || undefined, file.size, ctx.get('If-Range') || undefined, `"${file.sha256}"`);
  if (range === 'unsatisfiable') {
    throw new AppError(416, 'range_not_satisfiable', `The file has ${file.size} bytes; the requested range is outside it.`, undefined, { 'Content-Range': `bytes */${file.size}` });
  }
  try {
    return { file, body: await store.get(file.key, range ?? undefined), range };
  } catch (err) {
    if (err instanceof StoredObjectNotFound) throw missing();
    throw err;
  }
}

/** Sends what `openStoredFile` opened, with the headers every stored file carries. */
export function sendOpenedFile(ctx: Koa.Context | Koa.ParameterizedContext<never>, opened: OpenedFile): void {
  const { file, range } = opened;
  const kind = kindByMime(file.contentType);
  // Only kinds a browser renders harmlessly are ever inline; everything else downloads.
  const disposition: Disposition = file.disposition === 'inline' && kind?.inline ? 'inline' : 'attachment';
  if (opened.body) ctx.body = opened.body;
  ctx.status = range ? 206 : 200;
  ctx.set('Content-Type', file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType);
  ctx.set('Content-Length', String(range ? range.end - range.start + 1 : file.size));
  if (range) ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('Content-Disposition', contentDisposition(disposition, downloadName(file.filename, file.contentType)));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('ETag', `"${file.sha256}"`);
  // PDFs need the browser's viewer (a sandbox would block it); images and text never need script.
  ctx.set('Content-Security-Policy', file.contentType === 'application/pdf' ? "default-src 'none'; object-src 'self'" : "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
}
