/**
 * Webhook endpoints (registered by the integration with its key) and their delivery log.
 * An endpoint starts at the end of the event log: it receives what happens after it is created
 * (the feed serves history). Deliveries are made by webhooks.delivery.ts from the job runner.
 */
import type { Trx } from '../platform/db.js';
import { now, toIso, bool } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { encrypt, randomToken } from '../platform/crypto.js';
import { writeAudit } from '../platform/audit.js';
import { AppError, notFound, conflict } from '../platform/errors.js';
import { enqueueJob } from '../platform/jobs.js';
import type { Config } from '../config.js';
import type { IntegrationCaller, RequestMeta } from '../platform/http/context.js';
import { DELIVER_JOB, WEBHOOK_MAX_ATTEMPTS } from './webhooks.delivery.js';
import { checkWebhookTarget } from './webhook-target.js';

interface EndpointRow {
  id: number; publicId: string; url: string; description: string | null; eventTypes: string; status: 'active' | 'disabled';
  disabledReason: string | null; disabledAt: unknown; createdAt: unknown; updatedAt: unknown;
}

const toEndpoint = (r: EndpointRow) => ({
  id: r.publicId, url: r.url, description: r.description, eventTypes: JSON.parse(r.eventTypes) as string[], status: r.status,
  disabledReason: r.disabledReason, disabledAt: toIso(r.disabledAt), createdAt: toIso(r.createdAt)!, updatedAt: toIso(r.updatedAt)!,
});

async function findEndpoint(trx: Trx, publicId: string): Promise<EndpointRow> {
  const row = (await trx('webhook_endpoints').where({ publicId }).first()) as EndpointRow | undefined;
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

const audit = (trx: Trx, meta: RequestMeta, action: string, id: string, before?: unknown, after?: unknown) =>
  writeAudit(trx, { actor: meta.actor, action, target: { type: 'webhook_endpoint', id }, ip: meta.ip, requestId: meta.requestId, before, after });

/**
 * Refuses a URL whose host resolves to a loopback, private, link-local or unique-local address (unless
 * WEBHOOK_ALLOW_PRIVATE=1). Run before the transaction (DNS is slow). A name that does not resolve yet
 * is accepted: every delivery checks again and refuses such an address then.
 */
export async function assertWebhookTarget(config: Config, rawUrl: string): Promise<void> {
  const check = await checkWebhookTarget(new URL(rawUrl), config.webhookAllowPrivate === true);
  if (!check.ok && check.code === 'target_forbidden') {
    throw new AppError(422, 'webhook_target_forbidden', `Webhooks cannot be delivered to this address: ${check.reason}.`, [
      { path: 'url', code: 'target_forbidden', message: 'resolves to a loopback, private, link-local or unique-local address' },
    ]);
  }
}

export async function createEndpoint(
  trx: Trx, config: Config, integration: Pick<IntegrationCaller, 'keyId'> | null,
  input: { url: string; eventTypes: string[]; description?: string }, meta: RequestMeta,
) {
  const secret = `whsec_${randomToken(32)}`;
  const publicId = newId('whk');
  const last = (await trx('events').max({ id: 'id' })) as { id: number | string | null }[];
  const at = now();
  await trx('webhook_endpoints').insert({
    publicId, url: input.url, description: input.description ?? null, eventTypes: JSON.stringify(input.eventTypes),
    secretEncrypted: encrypt(secret, config.secrets.dataKey), status: 'active', cursor: Number(last[0]?.id ?? 0),
    createdByKeyId: integration?.keyId ?? null, createdAt: at, updatedAt: at,
  });
  await audit(trx, meta, 'webhook_endpoint.create', publicId, undefined, { url: input.url, eventTypes: input.eventTypes });
  return { ...toEndpoint(await findEndpoint(trx, publicId)), secret };
}

export async function listEndpoints(trx: Trx) {
  const rows = (await trx('webhook_endpoints').orderBy('id', 'desc')) as EndpointRow[];
  return { data: rows.map(toEndpoint) };
}

export async function getEndpoint(trx: Trx, publicId: string) {
  return toEndpoint(await findEndpoint(trx, publicId));
}

export async function updateEndpoint(
  trx: Trx, publicId: string,
  input: { url?: string; eventTypes?: string[]; description?: string | null; status?: 'active' | 'disabled' }, meta: RequestMeta,
) {
  const cur = await findEndpoint(trx, publicId);
  const update: Record<string, unknown> = {};
  if (input.url !== undefined) update.url = input.url;
  if (input.eventTypes !== undefined) update.eventTypes = JSON.stringify(input.eventTypes);
  if (input.description !== undefined) update.description = input.description;
  if (input.status && input.status !== cur.status) {
    update.status = input.status;
    Object.assign(update, input.status === 'active'
      ? { disabledReason: null, disabledAt: null }
      : { disabledReason: 'Disabled by the integration.', disabledAt: now() });
  }
  if (!Object.keys(update).length) return toEndpoint(cur);
  await trx('webhook_endpoints').where({ id: cur.id }).update({ ...update, updatedAt: now() });
  if (update.status === 'active') {
    // Deliveries cancelled while the endpoint was off get a fresh retry schedule.
    const cancelled = (await trx('webhook_deliveries').where({ endpointId: cur.id, status: 'cancelled' }).select('id', 'public_id')) as { id: number; publicId: string }[];
    for (const d of cancelled) {
      await trx('webhook_deliveries').where({ id: d.id }).update({ status: 'pending' });
      await enqueueJob(trx, { type: DELIVER_JOB, payload: { deliveryId: Number(d.id) }, dedupeKey: `whd:${d.publicId}:resume:${randomToken(6)}`, maxAttempts: WEBHOOK_MAX_ATTEMPTS });
    }
  }
  await audit(trx, meta, 'webhook_endpoint.update', publicId, { url: cur.url, eventTypes: JSON.parse(cur.eventTypes), status: cur.status }, input);
  return toEndpoint(await findEndpoint(trx, publicId));
}

/** A new signing secret, used from the next delivery on; the old one stops working at once. */
export async function rotateSecret(trx: Trx, config: Config, publicId: string, meta: RequestMeta) {
  const cur = await findEndpoint(trx, publicId);
  const secret = `whsec_${randomToken(32)}`;
  await trx('webhook_endpoints').where({ id: cur.id }).update({ secretEncrypted: encrypt(secret, config.secrets.dataKey), updatedAt: now() });
  await audit(trx, meta, 'webhook_endpoint.rotate_secret', publicId);
  return { ...toEndpoint(await findEndpoint(trx, publicId)), secret };
}

export async function deleteEndpoint(trx: Trx, publicId: string, meta: RequestMeta) {
  const cur = await findEndpoint(trx, publicId);
  // Attempts and deliveries go with it (ON DELETE CASCADE); queued jobs then find nothing to do.
  await trx('webhook_endpoints').where({ id: cur.id }).delete();
  await audit(trx, meta, 'webhook_endpoint.delete', publicId, { url: cur.url }, undefined);
}

// ── the delivery log ───────────────────────────────────────────────────────────────────────

interface DeliveryRow {
  id: number | string; publicId: string; eventPublicId: string; eventType: string; status: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number; lastStatusCode: number | null; lastError: string | null; lastAttemptAt: unknown; deliveredAt: unknown; createdAt: unknown;
  nextRunAt: unknown;
}

const deliveryQuery = (trx: Trx, endpointId: number) =>
  trx('webhook_deliveries as d')
    .join('events as e', 'e.id', 'd.event_id')
    .where('d.endpoint_id', endpointId)
    .select(
      'd.id', 'd.public_id', 'e.public_id as event_public_id', 'd.event_type', 'd.status', 'd.attempts', 'd.last_status_code',
      'd.last_error', 'd.last_attempt_at', 'd.delivered_at', 'd.created_at',
    );

/** The next scheduled try of a pending delivery is the run time of its queued job (dedupe key `whd:<id>…`). */
async function withNextRun(trx: Trx, rows: DeliveryRow[]): Promise<DeliveryRow[]> {
  const pending = rows.filter((r) => r.status === 'pending');
  if (!pending.length) return rows;
  const jobs = (await trx('jobs')
    .whereIn('status', ['queued', 'running'])
    .where((w) => { for (const r of pending) w.orWhere('dedupe_key', 'like', `whd:${r.publicId}%`); })
    .select('dedupe_key', 'run_at')) as { dedupeKey: string; runAt: unknown }[];
  const next = new Map<string, number>();
  for (const j of jobs) {
    const id = j.dedupeKey.slice(4, 4 + pending[0]!.publicId.length);
    const at = Date.parse(toIso(j.runAt)!);
    if (!next.has(id) || at < next.get(id)!) next.set(id, at);
  }
  return rows.map((r) => ({ ...r, nextRunAt: next.has(r.publicId) ? new Date(next.get(r.publicId)!) : null }));
}

const toDelivery = (r: DeliveryRow) => ({
  id: r.publicId, eventId: r.eventPublicId, eventType: r.eventType, status: r.status, attempts: Number(r.attempts),
  lastStatusCode: r.lastStatusCode === null ? null : Number(r.lastStatusCode), lastError: r.lastError,
  lastAttemptAt: toIso(r.lastAttemptAt), nextAttemptAt: r.status === 'pending' ? toIso(r.nextRunAt) : null,
  deliveredAt: toIso(r.deliveredAt), createdAt: toIso(r.createdAt)!,
});

export async function listDeliveries(trx: Trx, endpointPublicId: string, query: { status?: string; before?: string; limit: number }) {
  const endpoint = await findEndpoint(trx, endpointPublicId);
  const q = deliveryQuery(trx, endpoint.id).orderBy('d.id', 'desc').limit(query.limit + 1);
  if (query.status) q.where('d.status', query.status);
  if (query.before) {
    const before = (await trx('webhook_deliveries').where({ publicId: query.before, endpointId: endpoint.id }).first('id')) as { id: number } | undefined;
    if (!before) throw notFound('Delivery');
    q.where('d.id', '<', before.id);
  }
  const rows = (await q) as DeliveryRow[];
  const page = await withNextRun(trx, rows.slice(0, query.limit));
  return { data: page.map(toDelivery), nextBefore: rows.length > query.limit ? page[page.length - 1]!.publicId : null };
}

async function findDelivery(trx: Trx, endpointPublicId: string, deliveryPublicId: string) {
  const endpoint = await findEndpoint(trx, endpointPublicId);
  const found = (await deliveryQuery(trx, endpoint.id).where('d.public_id', deliveryPublicId).first()) as DeliveryRow | undefined;
  if (!found) throw notFound('Delivery');
  const [row] = await withNextRun(trx, [found]);
  return { endpoint, row: row! };
}

export async function getDelivery(trx: Trx, endpointPublicId: string, deliveryPublicId: string) {
  const { row } = await findDelivery(trx, endpointPublicId, deliveryPublicId);
  const attempts = (await trx('webhook_attempts').where({ deliveryId: row.id }).orderBy('id')) as {
    attempt: number; manual: unknown; requestedAt: unknown; statusCode: number | null; error: string | null; responseExcerpt: string | null; durationMs: number;
  }[];
  return {
    ...toDelivery(row),
    log: attempts.map((a) => ({
      attempt: Number(a.attempt), manual: bool(a.manual), requestedAt: toIso(a.requestedAt)!, statusCode: a.statusCode === null ? null : Number(a.statusCode),
      error: a.error, responseExcerpt: a.responseExcerpt, durationMs: Number(a.durationMs),
    })),
  };
}

/** One more try, now, outside the retry schedule (e.g. after fixing the receiver). */
export async function redeliver(trx: Trx, endpointPublicId: string, deliveryPublicId: string, meta: RequestMeta) {
  const { endpoint, row } = await findDelivery(trx, endpointPublicId, deliveryPublicId);
  if (endpoint.status !== 'active') throw conflict('endpoint_disabled', 'Re-enable the endpoint before redelivering.');
  await enqueueJob(trx, { type: DELIVER_JOB, payload: { deliveryId: Number(row.id), manual: true }, dedupeKey: `whd:${row.publicId}:manual:${randomToken(6)}`, maxAttempts: 1 });
  await writeAudit(trx, { actor: meta.actor, action: 'webhook_delivery.redeliver', target: { type: 'webhook_delivery', id: row.publicId }, ip: meta.ip, requestId: meta.requestId });
  return toDelivery(row);
}
