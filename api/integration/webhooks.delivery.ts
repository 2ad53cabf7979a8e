/**
 * Webhook delivery, driven by the job runner.
 *
 * Fan-out (a ticker, every worker tick): for each active endpoint, read the settled events after
 * its cursor, create one delivery per matching event and enqueue its job, and move the cursor — all
 * in one transaction holding the endpoint row, so two workers never fan out the same event twice
 * (and the (endpoint, event) unique key backs that up).
 *
 * Delivery (job `webhook.deliver`): check the target again (webhook-target.ts: no private addresses
 * unless WEBHOOK_ALLOW_PRIVATE=1), POST the event to the checked address, signed (webhook-signature.ts),
 * log the attempt (no reply excerpt unless it succeeded).
 * A failure is thrown back to the runner, which retries on WEBHOOK_BACKOFF: 1 min, 4 min, 16 min …
 * capped at 24 h, WEBHOOK_MAX_ATTEMPTS tries over about four days. When the last try fails the
 * endpoint is disabled, its other pending deliveries are cancelled, and a task opens in the
 * agency inbox.
 */
import type { AppDeps } from '../platform/http/context.js';
import type { Trx } from '../platform/db.js';
import { isMysql, now as clockNow } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { decrypt } from '../platform/crypto.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent, readEvents } from '../platform/events.js';
import { enqueueJob, type JobInfo } from '../platform/jobs.js';
import { openTask } from '../inbox/tasks.service.js';
import { scanEvents, toFeedEvents } from './feed.service.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from './webhook-signature.js';
import { nowMs } from '../platform/clock.js';
import { checkWebhookTarget } from './webhook-target.js';
import { postPinned, type PostResult } from './webhook-post.js';

export const DELIVER_JOB = 'webhook.deliver';
export const WEBHOOK_MAX_ATTEMPTS = 10;
export const DELIVERY_TIMEOUT_MS = 10_000;

/** Delay after failed try number `attempt` (1-based): 1 min × 4^(attempt−1), at most a day. */
export function webhookBackoffMs(attempt: number): number {
  return Math.min(24 * 3600_000, 60_000 * 4 ** Math.max(0, attempt - 1));
}

/** `*`, `prefix.*` or an exact type. */
export function matchesEventType(patterns: string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

interface EndpointRow { id: number; publicId: string; url: string; eventTypes: string; secretEncrypted: string; status: string; cursor: number | string }

export async function fanOutWebhooks(deps: AppDeps, now: Date): Promise<void> {
  const active = (await deps.db('webhook_endpoints').where({ status: 'active' }).select('id')) as { id: number }[];
  for (const { id } of active) {
    for (let round = 0; round < 20; round++) {
      const more = await deps.db.transaction(async (trx) => {
        const q = trx('webhook_endpoints').where({ id });
        const ep = (await (isMysql(trx) ? q.forUpdate() : q).first()) as EndpointRow | undefined;
        if (!ep || ep.status !== 'active') return false;
        const scan = await scanEvents(trx, Number(ep.cursor), 500, now);
        if (!scan.events.length) return false;
        const patterns = JSON.parse(ep.eventTypes) as string[];
        for (const event of scan.events.filter((e) => matchesEventType(patterns, e.type))) {
          const publicId = newId('whd');
          await trx('webhook_deliveries').insert({ publicId, endpointId: ep.id, eventId: event.seq, eventType: event.type, status: 'pending', attempts: 0, createdAt: clockNow() });
          const row = (await trx('webhook_deliveries').where({ publicId }).first('id')) as { id: number | string };
          await enqueueJob(trx, { type: DELIVER_JOB, payload: { deliveryId: Number(row.id) }, dedupeKey: `whd:${publicId}`, runAt: now, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
        }
        await trx('webhook_endpoints').where({ id: ep.id }).update({ cursor: scan.events[scan.events.length - 1]!.seq });
        return scan.more;
      });
      if (!more) break;
    }
  }
}

interface DeliveryRow { id: number | string; publicId: string; endpointId: number; eventId: number | string; status: string; attempts: number }

/**
 * Checks the target again (DNS may have changed since the endpoint was registered) and posts to the
 * address just checked. A refused target is a failed try like a network error: retried on the same
 * schedule, in case DNS changes back, and nothing is sent.
 */
async function post(deps: AppDeps, rawUrl: string, body: string, headers: Record<string, string>): Promise<PostResult> {
  const url = new URL(rawUrl);
  const check = await checkWebhookTarget(url, deps.config.webhookAllowPrivate === true);
  if (!check.ok) return { statusCode: null, error: `${check.code}: ${check.reason}`.slice(0, 500), excerpt: null, durationMs: 0 };
  return postPinned(url, check.target, body, headers, DELIVERY_TIMEOUT_MS);
}

export async function deliverWebhook(deps: AppDeps, payload: { deliveryId: number; manual?: boolean }, job: JobInfo): Promise<void> {
  const { db } = deps;
  const manual = payload.manual === true;
  const d = (await db('webhook_deliveries').where({ id: payload.deliveryId }).first()) as DeliveryRow | undefined;
  if (!d) return; // the endpoint was deleted
  const ep = (await db('webhook_endpoints').where({ id: d.endpointId }).first()) as EndpointRow | undefined;
  if (!ep) return;
  if (!manual && d.status !== 'pending') return;
  if (ep.status !== 'active') {
    if (d.status === 'pending') await db('webhook_deliveries').where({ id: d.id }).update({ status: 'cancelled', lastError: 'endpoint disabled' });
    return;
  }
  const [stored] = await readEvents(db, { after: Number(d.eventId) - 1, limit: 1, clientIds: 'all', clientVisibleOnly: false });
  const [event] = await toFeedEvents(db, [stored!]);
  const body = JSON.stringify(event);
  const timestamp = Math.floor(nowMs() / 1000);
  const result = await post(deps, ep.url, body, {
    'Content-Type': 'application/json',
    'User-Agent': 'CollectKit-Webhooks/1',
    'CollectKit-Delivery-Id': d.publicId,
    'CollectKit-Event-Id': event!.id,
    'CollectKit-Event-Type': event!.type,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signPayload(decrypt(ep.secretEncrypted, deps.config.secrets.dataKey), timestamp, body),
  });
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const exhausted = !ok && !manual && job.attempt >= WEBHOOK_MAX_ATTEMPTS;
  await db.transaction(async (trx) => {
    // Re-read under lock: a manual redelivery may have run beside the scheduled try.
    const q = trx('webhook_deliveries').where({ id: d.id });
    const fresh = (await (isMysql(trx) ? q.forUpdate() : q).first('attempts', 'status')) as { attempts: number; status: string } | undefined;
    if (!fresh) return;
    const attempt = Number(fresh.attempts) + 1;
    await trx('webhook_attempts').insert({
      deliveryId: d.id, attempt, manual, requestedAt: new Date(nowMs() - result.durationMs), statusCode: result.statusCode,
      error: result.error, responseExcerpt: result.excerpt, durationMs: result.durationMs,
    });
    const status = ok ? 'succeeded' : exhausted ? 'failed' : manual ? (fresh.status === 'pending' || fresh.status === 'succeeded' ? fresh.status : 'failed') : 'pending';
    await trx('webhook_deliveries').where({ id: d.id }).update({
      attempts: attempt, status, lastStatusCode: result.statusCode, lastError: result.error, lastAttemptAt: clockNow(),
      ...(ok ? { deliveredAt: clockNow() } : {}),
    });
    if (exhausted) await disableEndpoint(trx, ep, d, attempt, result.statusCode !== null ? `HTTP ${result.statusCode}` : result.error!);
  });
  // Thrown back to the runner, which schedules the next try on webhookBackoffMs.
  if (!ok && !manual && !exhausted) throw new Error(`webhook ${d.publicId}: ${result.statusCode !== null ? `HTTP ${result.statusCode}` : result.error}`);
}

async function disableEndpoint(trx: Trx, ep: EndpointRow, d: DeliveryRow, attempts: number, lastError: string) {
  const reason = `Delivery ${d.publicId} failed ${attempts} times over more than 3 days (last: ${lastError}).`;
  const changed = await trx('webhook_endpoints').where({ id: ep.id, status: 'active' }).update({ status: 'disabled', disabledReason: reason.slice(0, 500), disabledAt: clockNow(), updatedAt: clockNow() });
  if (!changed) return; // another delivery disabled it first
  await trx('webhook_deliveries').where({ endpointId: ep.id, status: 'pending' }).update({ status: 'cancelled', lastError: 'endpoint disabled' });
  await writeAudit(trx, { actor: { type: 'system', id: null }, action: 'webhook_endpoint.disable', target: { type: 'webhook_endpoint', id: ep.publicId }, after: { reason } });
  await openTask(trx, {
    clientId: null, kind: 'webhook_failing', sourceType: 'webhook_endpoint', sourceId: ep.publicId,
    title: `Webhook endpoint disabled after repeated failures: ${ep.url}`.slice(0, 255),
    detail: `${reason} Deliveries to it are paused. Fix the receiver, then re-enable the endpoint (PATCH /api/v1/integration/webhooks/${ep.publicId} {"status":"active"}); missed events are delivered then, and the event feed has them too.`,
  });
  await appendEvent(trx, { type: 'webhook.endpoint_disabled', clientId: null, accountId: null, visibility: 'internal', payload: { endpointId: ep.publicId, url: ep.url, reason }, actor: { type: 'system', id: null } });
}
