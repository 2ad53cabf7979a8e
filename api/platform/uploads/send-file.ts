/**
 * Sending a stored file back: the content type we decided at upload (not the uploader's claim), a
 * Content-Disposition that is safe for any name (RFC 6266: an ASCII fallback plus `filename*` in UTF-8),
 * nosniff, and a sandbox CSP so an inline file can never run script in our origin.
 */
import type Koa from 'koa';
import { AppError } from '../errors.js';
import { StoredObjectNotFound, type FileStore } from '../storage.js';
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

export async function sendStoredFile(ctx: Koa.Context | Koa.ParameterizedContext<never>, store: FileStore, file: SendFile): Promise<void> {
  const kind = kindByMime(file.contentType);
  // Only kinds a browser renders harmlessly are ever inline; everything else downloads.
  const disposition: Disposition = file.disposition === 'inline' && kind?.inline ? 'inline' : 'attachment';
  let stream;
  try {
    stream = await store.get(file.key);
  } catch (err) {
    if (err instanceof StoredObjectNotFound) throw new AppError(404, 'content_missing', 'The stored content of this file is missing.');
    throw err;
  }
  ctx.body = stream;
  ctx.status = 200;
  ctx.set('Content-Type', file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType);
  ctx.set('Content-Length', String(file.size));
  ctx.set('Content-Disposition', contentDisposition(disposition, downloadName(file.filename, file.contentType)));
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('ETag', `"${file.sha256}"`);
  // PDFs need the browser's viewer (a sandbox would block it); images and text never need script.
  ctx.set('Content-Security-Policy', file.contentType === 'application/pdf' ? "default-src 'none'; object-src 'self'" : "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
}
