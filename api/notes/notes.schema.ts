/** Notes on an account: a client note goes straight to the agency inbox; agency notes are client-visible or internal. */
import { z } from 'zod';

export const NoteBody = z.strictObject({
  body: z.string().trim().min(1, 'Write the note.').max(4000),
  visibility: z.enum(['client', 'internal']).optional()
    .describe('agency users only: internal notes never reach a client (default internal); client notes are always visible to both'),
});
export type NoteInput = z.output<typeof NoteBody>;

export const Note = z.object({
  id: z.string(),
  accountId: z.string(),
  visibility: z.enum(['client', 'internal']),
  body: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
  flagged: z.boolean().describe('the account is flagged for the agency'),
  taskId: z.string().nullable().describe('the follow-up task opened in the agency inbox (agency users only; null for clients)'),
});
