/** The webhook contract: endpoints, deliveries and their attempt log. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

const EventTypePattern = z.string().trim().min(1).max(64).regex(/^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/, 'an event type, `prefix.*` or `*`');

/** `new URL` that cannot throw: the refinements below run even when `z.url()` already failed. */
const parseUrl = (u: string): URL | null => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

const WebhookUrl = z.url({ protocol: /^https?$/ }).max(2000).refine((u) => {
  const url = parseUrl(u);
  // Plain http only to this machine (development, a local relay); anything else must be https.
  return !url || url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}, 'must be an https URL (http only for localhost)').refine((u) => {
  const url = parseUrl(u);
  return !url || (!url.username && !url.password);
}, 'must not contain credentials');

export const CreateEndpointBody = z.strictObject({
  url: WebhookUrl,
  eventTypes: z.array(EventTypePattern).min(1).max(100).transform((t) => [...new Set(t)])
    .describe('Event types to receive: exact (`account.note_added`), a prefix (`account.*`) or everything (`*`).'),
  description: z.string().trim().max(200).optional(),
});

export const UpdateEndpointBody = z.strictObject({
  url: WebhookUrl.optional(),
  eventTypes: CreateEndpointBody.shape.eventTypes.optional(),
  description: z.string().trim().max(200).nullable().optional(),
  status: z.enum(['active', 'disabled']).optional()
    .describe('Re-enabling an endpoint resumes delivery where it stopped and re-queues deliveries cancelled while it was disabled.'),
});

export const EndpointParams = z.strictObject({ id: z.string().regex(/^whk_[0-9a-z]{26}$/) });
export const DeliveryParams = EndpointParams.extend({ deliveryId: z.string().regex(/^whd_[0-9a-z]{26}$/) });

export const Endpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  disabledReason: z.string().nullable(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const CreatedEndpoint = Endpoint.extend({
  secret: z.string().describe('The signing secret (whsec_…). Shown in this response only.'),
});

export const EndpointList = z.object({ data: z.array(Endpoint) });

export const Attempt = z.object({
  attempt: z.number().int(),
  manual: z.boolean(),
  requestedAt: z.string(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
  durationMs: z.number().int(),
});

export const Delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const DeliveryDetail = Delivery.extend({ log: z.array(Attempt) });

export const DeliveryQuery = z.strictObject({
  status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional(),
  before: z.string().regex(/^whd_[0-9a-z]{26}$/).optional().describe('Cursor: the last id of the previous page (newest first).'),
  limit: queryInt(1, 200).default(50),
});

export const DeliveryPage = z.object({ data: z.array(Delivery), nextBefore: z.string().nullable() });
