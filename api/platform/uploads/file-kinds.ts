/**
 * Which files we accept and what we call them. The content type of a stored file is decided here,
 * from its bytes (magic numbers via file-type, or "looks like UTF-8 text"), never from the client's
 * Content-Type claim; the original file name's extension must agree with the bytes when it has one.
 */
import { fileTypeFromBuffer } from 'file-type';
import { AppError, badRequest } from '../errors.js';
import type { Config } from '../../config.js';

export interface FileKind {
  /** the name used in UPLOAD_ALLOWED_TYPES */
  key: string;
  mime: string;
  extensions: string[];
  /** browsers can show it safely in a tab (never HTML or SVG) */
  inline: boolean;
  label: string;
}

export const FILE_KINDS: FileKind[] = [
  { key: 'pdf', mime: 'application/pdf', extensions: ['pdf'], inline: true, label: 'PDF' },
  { key: 'png', mime: 'image/png', extensions: ['png'], inline: true, label: 'PNG image' },
  { key: 'jpeg', mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], inline: true, label: 'JPEG image' },
  { key: 'gif', mime: 'image/gif', extensions: ['gif'], inline: true, label: 'GIF image' },
  { key: 'webp', mime: 'image/webp', extensions: ['webp'], inline: true, label: 'WebP image' },
  { key: 'tiff', mime: 'image/tiff', extensions: ['tif', 'tiff'], inline: false, label: 'TIFF image' },
  { key: 'txt', mime: 'text/plain', extensions: ['txt', 'text', 'log'], inline: true, label: 'text' },
  { key: 'csv', mime: 'text/csv', extensions: ['csv'], inline: false, label: 'CSV' },
  { key: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], inline: false, label: 'Word document' },
  { key: 'xlsx', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], inline: false, label: 'Excel workbook' },
];

const TEXT_KINDS = new Set(['txt', 'csv']);

export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

export interface UploadLimits {
  maxBytes: number;
  allowed: FileKind[];
}

export function uploadLimits(config: Config): UploadLimits {
  const keys = config.uploads?.allowedTypes;
  return {
    maxBytes: config.uploads?.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    allowed: keys?.length ? FILE_KINDS.filter((k) => keys.includes(k.key)) : FILE_KINDS,
  };
}

export const kindByMime = (mime: string): FileKind | undefined => FILE_KINDS.find((k) => k.mime === mime);

/** How many leading bytes `decideKind` looks at (enough for the zip directory of docx/xlsx). */
export const SNIFF_BYTES = 64 * 1024;

/** The extension of a name, when it has one that looks like a file extension (`v1.2` does not). */
export function extensionOf(name: string): string | null {
  const m = /\.([A-Za-z][A-Za-z0-9]{0,7})$/.exec(name);
  return m ? m[1]!.toLowerCase() : null;
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sniffed window
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  // control characters other than tab, newline, form feed, carriage return mean binary
  return !/[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]/.test(head.toString('latin1'));
}

const unsupported = (code: string, message: string) => new AppError(415, code, message);

/**
 * The kind of an upload from its first bytes and its original name, or a 415 (not allowed, not
 * recognised, or content that does not match the name's extension) / 400 (empty).
 */
export async function decideKind(head: Buffer, originalName: string, limits: UploadLimits): Promise<FileKind> {
  if (head.length === 0) throw badRequest('empty_file', 'The file is empty.');
  const ext = extensionOf(originalName);
  const sniffed = await fileTypeFromBuffer(head);
  let kind: FileKind | undefined;
  if (sniffed) {
    kind = kindByMime(sniffed.mime);
    if (!kind) throw unsupported('type_not_allowed', `Files of this type (${sniffed.mime}) are not accepted.`);
  } else if (looksLikeText(head)) {
    kind = FILE_KINDS.find((k) => k.key === (ext === 'csv' ? 'csv' : 'txt'))!;
  } else {
    throw unsupported('type_not_recognized', 'The type of this file could not be recognised, so it is not accepted.');
  }
  if (!limits.allowed.includes(kind)) {
    throw unsupported('type_not_allowed', `${kind.label} files are not accepted here. Accepted: ${limits.allowed.map((k) => k.label).join(', ')}.`);
  }
  if (ext && !kind.extensions.includes(ext)) {
    const claimed = FILE_KINDS.find((k) => k.extensions.includes(ext));
    throw unsupported(
      claimed ? 'content_mismatch' : 'type_not_allowed',
      claimed
        ? `The file is named .${ext} but its content is ${kind.label}.`
        : `.${ext} files are not accepted.`,
    );
  }
  return kind;
}

export const isTextKind = (kind: FileKind) => TEXT_KINDS.has(kind.key);
