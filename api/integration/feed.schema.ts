/** The outbound event feed: the ordered event log, paged by cursor. Webhooks send the same shape. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

export const FeedQuery = z.strictObject({
  after: z.string().regex(/^\d{1,18}$/).default('0')
    .describe('The cursor: the `nextCursor` of the previous page (or an event\'s `seq`); 0 or absent starts at the beginning.'),
  limit: queryInt(1, 1000).default(100),
  types: z.string().max(2000).optional()
    .transform((s) => (s ? s.split(',').map((t) => t.trim()).filter(Boolean) : undefined))
    .describe('Comma-separated event types to keep, e.g. account.note_added,account.payment_reported.'),
});

export const FeedEvent = z.object({
  id: z.string().describe('evt_…: unique; receivers de-duplicate on it.'),
  seq: z.string().describe('Position in the log (a decimal string): strictly increasing.'),
  type: z.string().describe('One of the catalogued event types (`x-event-types`); `components.schemas["Event.<type>"]` describes its `data`.'),
  occurredAt: z.string(),
  clientId: z.string().nullable(),
  accountId: z.string().nullable(),
  visibility: z.enum(['client', 'internal']),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  data: z.record(z.string(), z.unknown()),
});

export const FeedPage = z.object({
  data: z.array(FeedEvent),
  nextCursor: z.string().describe('Pass as `after` to get the next page; equal to `after` when nothing new has happened. With `types`, the cursor still advances over events of other types.'),
  hasMore: z.boolean().describe('true when another page is ready right now.'),
});

export type FeedEventOut = z.output<typeof FeedEvent>;
