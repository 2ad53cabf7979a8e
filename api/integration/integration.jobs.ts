/** The integration feature's background work: webhook fan-out (a ticker) and delivery (a job, in the webhook lane: a slow receiver holds up no other kind of job). */
import { defineJob, defineTicker, runJobOnEvent } from '../platform/jobs.js';
import { DELIVER_JOB, deliverWebhook, fanOutWebhooks, webhookBackoffMs } from './webhooks.delivery.js';

// Also on every event appended in this process, so a webhook leaves within moments of its event.
defineTicker('integration.webhook-fan-out', fanOutWebhooks, { onEvent: true });
defineJob(DELIVER_JOB, deliverWebhook, { backoff: webhookBackoffMs, lane: 'webhooks' });
runJobOnEvent(DELIVER_JOB);
