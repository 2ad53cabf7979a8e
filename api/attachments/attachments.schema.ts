import { z } from 'zod';

export const AttachmentParams = z.strictObject({ id: z.string().min(5).max(40), attachmentId: z.string().min(5).max(40) });

export const ContentQuery = z.strictObject({
  /** inline: show in the browser (PDF, images, text only; other types always download) */
  disposition: z.enum(['inline', 'attachment']).default('attachment'),
});

export const UserRef = z.object({ id: z.string(), name: z.string() });

export const Attachment = z.object({
  id: z.string(),
  displayName: z.string(),
  /** the uploader's file name, for display */
  fileName: z.string(),
  /** decided from the content at upload */
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  /** can be shown in a browser tab (PDF, images, text) */
  viewable: z.boolean(),
  /** id null: sent by someone without a portal account (the debtor, with a dispute) */
  uploadedBy: z.object({ id: z.string().nullable(), name: z.string() }),
  uploadedAt: z.string(),
  /** the caller may delete it (agency users: any; client users: their own uploads) */
  canDelete: z.boolean(),
});

export const AttachmentList = z.object({
  data: z.array(Attachment),
  /** what the upload accepts, so a widget can say so before sending */
  limits: z.object({ maxBytes: z.number().int(), types: z.array(z.object({ mime: z.string(), extensions: z.array(z.string()), label: z.string() })) }),
});

/** multipart/form-data: `name` (display name, required) and `file` */
export const AttachmentUploadForm = z.object({ name: z.string(), file: z.string().describe('binary') });
