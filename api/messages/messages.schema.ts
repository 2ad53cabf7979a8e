/** "Contact the agency": message threads per account, replies, unread counts. */
import { z } from 'zod';

const body = z.string().trim().min(1, 'Write a message.').max(4000);

export const NewThreadBody = z.strictObject({ subject: z.string().trim().min(1, 'Give a subject.').max(200), body });
export const ReplyBody = z.strictObject({ body });

export const ThreadParams = z.strictObject({ id: z.string().min(5).max(40), threadId: z.string().min(5).max(40) });

export const Message = z.object({
  id: z.string(),
  side: z.enum(['client', 'agency']),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.string(),
});

export const ThreadSummary = z.object({
  id: z.string(),
  accountId: z.string(),
  subject: z.string(),
  startedBy: z.enum(['client', 'agency']),
  messageCount: z.number().int(),
  unreadCount: z.number().int().describe('messages written by someone else after what the caller last read'),
  lastMessageAt: z.string(),
  createdAt: z.string(),
});

export const Thread = ThreadSummary.extend({ messages: z.array(Message) });
export const ThreadList = z.object({ data: z.array(ThreadSummary) });

export const UnreadSummary = z.object({
  total: z.number().int(),
  threads: z.array(z.object({ threadId: z.string(), accountId: z.string(), subject: z.string(), unreadCount: z.number().int() })),
});
