/**
 * Shared pieces of the document widgets: the API's shapes for attachments and collab files, byte
 * sizes for people, and handing a downloaded Blob to the browser (save, or view in a new tab).
 */
import type { z } from 'zod';
import type { Attachment, AttachmentList } from '../../api/attachments/attachments.schema.js';
import type { CollabFile, CollabFileDetail, CollabFileList, Comment, CommentList, Folder, FolderTree } from '../../api/collab/collab.schema.js';

export type AttachmentItem = z.output<typeof Attachment>;
export type AttachmentPage = z.output<typeof AttachmentList>;
export type UploadLimitsView = AttachmentPage['limits'];
export type CollabFolder = z.output<typeof Folder>;
export type CollabFolderTree = z.output<typeof FolderTree>;
export type CollabFileItem = z.output<typeof CollabFile>;
export type CollabFileInfo = z.output<typeof CollabFileDetail>;
export type CollabFilePage = z.output<typeof CollabFileList>;
export type CollabComment = z.output<typeof Comment>;
export type CollabCommentPage = z.output<typeof CommentList>;

export function formatBytes(n: number, locale?: string): string {
  const fmt = (v: number, unit: string) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: v < 10 ? 1 : 0 }).format(v)} ${unit}`;
  if (n >= 1024 * 1024 * 1024) return fmt(n / 1024 ** 3, 'GB');
  if (n >= 1024 * 1024) return fmt(n / 1024 ** 2, 'MB');
  if (n >= 1024) return fmt(n / 1024, 'KB');
  return `${n} bytes`;
}

/** "PDF, PNG image, … up to 25 MB" for hints. */
export const describeLimits = (limits: UploadLimitsView): string =>
  `${limits.types.map((t) => t.label).join(', ')} — up to ${formatBytes(limits.maxBytes)} each.`;

/** The `accept` attribute for a file input from the server's limits. */
export const acceptOf = (limits: UploadLimitsView): string =>
  limits.types.flatMap((t) => [t.mime, ...t.extensions.map((e) => `.${e}`)]).join(',');

/** Saves a Blob under `filename` through a temporary link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Shows a Blob in a new tab (PDF viewer, image, text); falls back to saving it when pop-ups are blocked. */
export function viewBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  // Not the 'noopener' feature: with it window.open always returns null, so the file was shown AND
  // saved. Cut the opener link by hand instead; null then really means the pop-up was blocked.
  const tab = window.open(url, '_blank');
  if (tab) tab.opener = null;
  else saveBlob(blob, filename);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
