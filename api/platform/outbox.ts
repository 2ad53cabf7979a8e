/**
 * The transactional outbox for email and SMS. A feature writes the message in the same transaction
 * as the change it announces (`enqueueEmail`, `enqueueSms`); the worker delivers it afterwards
 * (`deliverOutbox`), so a rolled-back change never sends and a crash after commit still sends.
 *
 * Policies (`defineOutboxPolicy`) are asked before each send and may hold a message until a time
 * (a contact window) or cancel it (no consent, an opt-out): the rules live here, not in each sender.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { hostname } from 'node:os';
import type { AppDeps } from './http/context.js';
import type { Trx } from './db.js';
import { now as clockNow } from './db.js';
import { newId } from './ids.js';
import { backoffMs, claimDueRows, heldBy, holdLease, jobSettings, renewLease, rowsInClaimOrder, type LeaseSpec } from './claim.js';
import { dropSecrets, hasSealedSecret, unsealSecrets } from './outbox-secrets.js';

export interface OutboxRow {
  id: number;
  publicId: string;
  channel: 'email' | 'sms';
  category: string;
  recipient: string;
  subject: string | null;
  bodyText: string;
  bodyHtml: string | null;
  accountId: number | null;
  partyId: number | null;
  attempts: number;
}

export type PolicyDecision = { action: 'send' } | { action: 'hold'; until: Date } | { action: 'cancel'; reason: string };
export type OutboxPolicy = (trx: Trx, row: OutboxRow, now: Date) => Promise<PolicyDecision>;

const policies = new Map<string, OutboxPolicy>();

export function defineOutboxPolicy(name: string, fn: OutboxPolicy): void {
  policies.set(name, fn);
}

/**
 * What a decorator adds to a message as it is sent (not stored): headers (List-Unsubscribe) and a
 * footer (the opt-out line). Asked after the policies said `send`, in registration order.
 */
export interface OutboxDecoration {
  headers?: Record<string, string>;
  appendText?: string;
  appendHtml?: string;
}
export type OutboxDecorator = (deps: AppDeps, row: OutboxRow) => Promise<OutboxDecoration | null>;

const decorators = new Map<string, OutboxDecorator>();

export function defineOutboxDecorator(name: string, fn: OutboxDecorator): void {
  decorators.set(name, fn);
}

async function decorate(deps: AppDeps, row: OutboxRow): Promise<{ row: OutboxRow; headers: Record<string, string> }> {
  let out = row;
  const headers: Record<string, string> = {};
  for (const fn of decorators.values()) {
    const d = await fn(deps, out);
    if (!d) continue;
    Object.assign(headers, d.headers ?? {});
    out = {
      ...out,
      bodyText: d.appendText ? `${out.bodyText}${d.appendText}` : out.bodyText,
      bodyHtml: out.bodyHtml && d.appendHtml ? `${out.bodyHtml}${d.appendHtml}` : out.bodyHtml,
    };
  }
  return { row: out, headers };
}

/** Where SMS go. `log` (the default) records them in `sms_log`; a real provider implements the same. */
export interface SmsProvider {
  /** `bodyAtRest`: the same text with any link token removed — what a provider that stores texts must store */
  send(deps: AppDeps, message: { to: string; body: string; bodyAtRest: string; outboxId: string }): Promise<{ messageId: string }>;
}

const smsProviders = new Map<string, SmsProvider>([
  [
    'log',
    {
      async send(deps, m) {
        await deps.db('sms_log').insert({ recipient: m.to, body: m.bodyAtRest, outboxPublicId: m.outboxId, sentAt: clockNow() });
        return { messageId: `log-${m.outboxId}` };
      },
    },
  ],
]);

export function registerSmsProvider(name: string, provider: SmsProvider): void {
  smsProviders.set(name, provider);
}

interface NewMessage {
  to: string;
  text: string;
  category: string;
  accountId?: number;
  partyId?: number;
  /** unique: enqueueing the same key twice sends once */
  dedupeKey?: string;
  /** do not send before */
  notBefore?: Date;
}

async function enqueue(trx: Trx, channel: 'email' | 'sms', m: NewMessage & { subject?: string; html?: string }): Promise<string> {
  if (m.dedupeKey) {
    const existing = await trx('outbox').where({ dedupeKey: m.dedupeKey }).first('publicId');
    if (existing) return (existing as { publicId: string }).publicId;
  }
  const publicId = newId('msg');
  await trx('outbox').insert({
    publicId,
    channel,
    category: m.category,
    recipient: m.to,
    subject: m.subject ?? null,
    bodyText: m.text,
    bodyHtml: m.html ?? null,
    accountId: m.accountId ?? null,
    partyId: m.partyId ?? null,
    status: 'pending',
    attempts: 0,
    notBefore: m.notBefore ?? clockNow(),
    dedupeKey: m.dedupeKey ?? null,
    createdAt: clockNow(),
  });
  return publicId;
}

export const enqueueEmail = (trx: Trx, m: NewMessage & { subject: string; html?: string }) => enqueue(trx, 'email', m);
export const enqueueSms = (trx: Trx, m: NewMessage) => enqueue(trx, 'sms', m);

const MAX_ATTEMPTS = 8;
const transports = new Map<string, Transporter>();

function mailTransport(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    // A local relay or a test peer may offer STARTTLS with a self-signed certificate.
    t = nodemailer.createTransport(url, { tls: { rejectUnauthorized: false } } as never);
    transports.set(url, t);
  }
  return t;
}

/** Stored bodies with their sealed secrets replaced by a marker (outbox-secrets.ts): for a message that leaves the queue. */
function bodiesAtRest(row: OutboxRow): { bodyText?: string; bodyHtml?: string | null } {
  if (!hasSealedSecret(row.bodyText) && !hasSealedSecret(row.bodyHtml)) return {};
  return { bodyText: dropSecrets(row.bodyText), bodyHtml: row.bodyHtml === null ? null : dropSecrets(row.bodyHtml) };
}

async function send(deps: AppDeps, stored: OutboxRow): Promise<string> {
  const decorated = await decorate(deps, stored);
  const headers = decorated.headers;
  // secrets are opened only for the transport, never written back
  const key = deps.config.secrets.dataKey;
  const sealed = decorated.row;
  const row = { ...sealed, bodyText: unsealSecrets(sealed.bodyText, key), bodyHtml: sealed.bodyHtml === null ? null : unsealSecrets(sealed.bodyHtml, key) };
  if (row.channel === 'email') {
    const info = (await mailTransport(deps.config.smtpUrl).sendMail({
      from: deps.config.mailFrom,
      to: row.recipient,
      subject: row.subject ?? '',
      text: row.bodyText,
      ...(row.bodyHtml ? { html: row.bodyHtml } : {}),
      headers: { ...headers, 'X-CollectKit-Message': row.publicId },
    })) as { messageId: string };
    return info.messageId;
  }
  const provider = smsProviders.get(deps.config.smsProvider);
  if (!provider) throw new Error(`Unknown SMS provider ${deps.config.smsProvider}.`);
  // what a provider may keep (the `log` provider's table): the text with its secrets dropped
  const bodyAtRest = dropSecrets(sealed.bodyText);
  return (await provider.send(deps, { to: row.recipient, body: row.bodyText, bodyAtRest, outboxId: row.publicId })).messageId;
}

export interface DeliveryResult {
  sent: number;
  failed: number;
  held: number;
  cancelled: number;
}

/**
 * Claims due messages, asks the policies, sends, and records the outcome of each.
 *
 * Leases (as the job runner's, claim.ts): a claim holds a message for OUTBOX_LEASE_SECONDS (default:
 * the job lease, 30 s). The message being sent keeps its lease by a heartbeat however slow the mail
 * relay is, so no other node sends it meanwhile; the rest of the batch is not renewed while it waits
 * its turn, so a node that died mid-batch, or is stuck on a slow relay, leaves its messages to other
 * nodes within about one lease. Before its turn a message is taken again only if it is still this
 * worker's claim, and every outcome is written only while it is.
 */
export async function deliverOutbox(deps: AppDeps, opts: { workerId?: string; limit?: number } = {}): Promise<DeliveryResult> {
  const at = clockNow();
  const result: DeliveryResult = { sent: 0, failed: 0, held: 0, cancelled: 0 };
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}`;
  const lease: LeaseSpec = { table: 'outbox', working: 'sending', workerId, leaseMs: jobSettings(deps.config).outboxLeaseMs };
  const ids = await claimDueRows(deps.db, {
    table: 'outbox', waiting: 'pending', working: 'sending', dueColumn: 'notBefore',
    now: at, limit: opts.limit ?? 50, workerId, leaseMs: lease.leaseMs,
  });
  for (const row of await rowsInClaimOrder<OutboxRow>(deps, 'outbox', ids)) {
    // taken over by another worker while it waited its turn (this batch was slow): that worker's now
    if (!(await renewLease(deps.db, lease, row))) continue;
    const heartbeat = holdLease(deps.db, lease, row);
    try {
      await deliverOne(deps, row, at, heartbeat.signal, lease, result);
    } finally {
      heartbeat.stop();
    }
  }
  return result;
}

async function deliverOne(deps: AppDeps, row: OutboxRow, at: Date, signal: AbortSignal, lease: LeaseSpec, result: DeliveryResult): Promise<void> {
  /** the outcome, written only while the message is still this worker's claim */
  const record = async (outcome: Record<string, unknown>) => {
    const n = Number(await deps.db('outbox').where(heldBy('sending', row, lease.workerId)).update({ lockedBy: null, lockedUntil: null, ...outcome }));
    if (!n) console.warn(`[outbox] message ${row.publicId}: another worker took it over when this one's lease ran out; this outcome (${String(outcome.status)}) is not recorded`);
  };
  let decision: PolicyDecision = { action: 'send' };
  for (const policy of policies.values()) {
    decision = await policy(deps.db, row, at);
    if (decision.action !== 'send') break;
  }
  if (decision.action === 'hold') {
    // a hold is not a failed attempt
    await record({ status: 'pending', notBefore: decision.until, attempts: row.attempts - 1 });
    result.held++;
    return;
  }
  if (decision.action === 'cancel') {
    await record({ status: 'cancelled', cancelReason: decision.reason.slice(0, 255), ...bodiesAtRest(row) });
    result.cancelled++;
    return;
  }
  // the policies took so long that another worker has the message now: it sends, not this one
  if (signal.aborted) return;
  try {
    const messageId = await send(deps, row);
    await record({ status: 'sent', sentAt: clockNow(), providerMessageId: messageId.slice(0, 255), lastError: null, ...bodiesAtRest(row) });
    result.sent++;
  } catch (err) {
    // The error text may quote the recipient but never a body; bodies stay out of logs.
    const message = err instanceof Error ? err.message : String(err);
    const gaveUp = row.attempts >= MAX_ATTEMPTS;
    await record({
      status: gaveUp ? 'failed' : 'pending',
      notBefore: new Date(at.getTime() + backoffMs(row.attempts)),
      lastError: message.slice(0, 2000),
      ...(gaveUp ? bodiesAtRest(row) : {}),
    });
    result.failed++;
  }
}
