/** The integration feature's background work: webhook fan-out (a ticker) and delivery (a job). */
import { defineJob, defineTicker } from '../platform/jobs.js';
import { DELIVER_JOB, deliverWebhook, fanOutWebhooks, webhookBackoffMs } from './webhooks.delivery.js';

defineTicker('integration.webhook-fan-out', fanOutWebhooks);
defineJob(DELIVER_JOB, deliverWebhook, { backoff: webhookBackoffMs });
