/** The agency inbox: tasks (client notes, messages, disputes …) to list, claim, answer and close. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

export const InboxQuery = z.strictObject({
  status: z.enum(['open', 'done', 'all']).default('open'),
  kind: z.string().trim().min(1).max(48).optional().describe('client_note, message, dispute, …'),
  assigned: z.enum(['any', 'me', 'unassigned']).default('any'),
  accountId: z.string().min(5).max(40).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(25),
});
export type InboxFilter = z.output<typeof InboxQuery>;

export const TaskParams = z.strictObject({ taskId: z.string().min(5).max(40) });

export const CloseBody = z.strictObject({ resolution: z.string().trim().min(1).max(1000).optional() });
export const TaskReplyBody = z.strictObject({
  body: z.string().trim().min(1, 'Write a reply.').max(4000),
  close: z.boolean().default(false).describe('close the task after replying'),
});

export const Task = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  status: z.enum(['open', 'done']),
  account: z.object({ id: z.string(), debtorName: z.string(), agencyAccountNumber: z.string(), status: z.string(), flagged: z.boolean() }).nullable(),
  client: z.object({ id: z.string(), name: z.string() }).nullable(),
  source: z.object({ type: z.string(), id: z.string() }).nullable(),
  assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

export const InboxList = z.object({
  data: z.array(Task),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object({ open: z.number().int(), mine: z.number().int(), unassigned: z.number().int() }),
});

export const TaskReplyResult = z.object({ task: Task, reply: z.object({ kind: z.enum(['message', 'note']), id: z.string() }) });
