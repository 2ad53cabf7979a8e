import { z } from 'zod';
import { UserRef } from '../attachments/attachments.schema.js';

const PublicId = z.string().min(5).max(40);

export const ClientQuery = z.strictObject({ clientId: PublicId.optional() });
export const FileListQuery = z.strictObject({
  clientId: PublicId.optional(),
  /** a folder id, or `root`; absent: every file of the center */
  folderId: z.union([z.literal('root'), PublicId]).optional(),
});
export const FileParams = z.strictObject({ fileId: PublicId });
export const FileContentQuery = z.strictObject({
  /** a version number; absent: the current one */
  version: z.coerce.number().int().min(1).max(1_000_000).optional(),
  disposition: z.enum(['inline', 'attachment']).default('attachment'),
});

export const NewFolder = z.strictObject({
  clientId: PublicId.optional(),
  /** absent or null: at the top of the tree */
  parentId: PublicId.nullable().optional(),
  name: z.string().max(400),
});

export const NewComment = z.strictObject({ body: z.string().max(4000) });

export const ClientRef = z.object({ id: z.string(), name: z.string() });

export const Folder = z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable(), createdAt: z.string() });
export const FolderTree = z.object({ client: ClientRef, folders: z.array(Folder) });

export const FileVersion = z.object({
  version: z.number().int(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedBy: UserRef,
  uploadedAt: z.string(),
});

export const CollabFile = z.object({
  id: z.string(),
  name: z.string(),
  folderId: z.string().nullable(),
  currentVersion: z.number().int(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  viewable: z.boolean(),
  createdBy: UserRef,
  createdAt: z.string(),
  updatedBy: UserRef,
  updatedAt: z.string(),
});
export const CollabFileList = z.object({
  client: ClientRef,
  data: z.array(CollabFile),
  limits: z.object({ maxBytes: z.number().int(), types: z.array(z.object({ mime: z.string(), extensions: z.array(z.string()), label: z.string() })) }),
});
export const CollabFileDetail = CollabFile.extend({ versions: z.array(FileVersion), commentCount: z.number().int() });

export const Comment = z.object({ id: z.string(), body: z.string(), author: UserRef, createdAt: z.string() });
export const CommentList = z.object({ data: z.array(Comment) });

/** multipart/form-data for a new file: `file`, optional `name` (default: the file's name), `folderId`, `clientId` */
export const NewFileForm = z.object({ file: z.string().describe('binary'), name: z.string().optional(), folderId: z.string().optional(), clientId: z.string().optional() });
/** multipart/form-data for an overwrite: `file` */
export const NewVersionForm = z.object({ file: z.string().describe('binary') });
