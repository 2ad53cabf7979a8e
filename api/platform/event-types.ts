/**
 * The one list of event types (issue 22): each type with when it happens, who may see it, and the
 * zod schema of its payload (the feed's `data`). `appendEvent` accepts only these types and checks
 * the payload against its schema, so what the product emits, what docs/integration.md's catalogue
 * says (generated from this list: `npx tsx scripts/event-catalogue.ts --write`) and what the OpenAPI
 * document lists cannot drift apart. Payloads may carry more fields than listed (loose objects);
 * the listed ones are the contract.
 */
import { z } from 'zod';

const id = (prefix: string) => z.string().describe(`${prefix}_…`);
const cents = z.number().int();
const accountId = id('acct');
const agencyAccountNumber = z.string();

interface EventTypeSpec {
  /** when it is appended */
  when: string;
  /** client: client users of the account's client see it too; internal: the agency (and the integration) only */
  visibility: 'client' | 'internal' | 'client or internal';
  payload: z.ZodObject;
}

const spec = (when: string, visibility: EventTypeSpec['visibility'], shape: z.ZodRawShape): EventTypeSpec => ({ when, visibility, payload: z.looseObject(shape) });

export const EVENT_TYPES = {
  'client.created': spec('inbound client upsert created a client', 'internal', { clientId: id('cli'), code: z.string() }),
  'client.updated': spec('inbound client upsert changed a client', 'internal', { clientId: id('cli'), code: z.string(), changed: z.record(z.string(), z.unknown()) }),
  'account.created': spec('inbound account upsert created an account', 'client', { accountId, agencyAccountNumber, clientAccountNumber: z.string(), status: z.string() }),
  'account.updated': spec('inbound account fields changed', 'client', { accountId, agencyAccountNumber, changed: z.record(z.string(), z.unknown()) }),
  'account.status_changed': spec('a status change (inbound, or a client\'s hold / release / recall / mark)', 'client', {
    accountId, from: z.string(), to: z.string(), reason: z.string().nullable().optional(),
  }),
  'account.contact_updated': spec('party / contact data changed (inbound, by the client or by the debtor)', 'client', {
    accountId: accountId.optional(), account: accountId.optional(), role: z.string().optional(), fields: z.array(z.string()).optional(), by: z.string().optional(),
  }),
  'account.balance_updated': spec('inbound balance component changed (entered in the ledger as a correction)', 'client', {
    accountId, agencyAccountNumber, component: z.enum(['principal', 'interest', 'fees', 'costs']), originalCents: cents, currentCents: cents, balanceCents: cents,
  }),
  'account.activity_added': spec('inbound activity added', 'client or internal', {
    accountId, agencyAccountNumber, activityId: id('act'), externalId: z.string(), type: z.string(), visibility: z.enum(['client', 'internal']), body: z.string(),
  }),
  'account.activity_updated': spec('inbound activity changed', 'client or internal', { accountId, agencyAccountNumber, activityId: id('act'), externalId: z.string() }),
  'account.payment_reported': spec('a client or the agency reported a direct payment (ledger)', 'client', {
    accountId, transactionId: id('txn'), kind: z.literal('payment'), amountCents: cents, balanceCents: cents,
  }),
  'account.adjusted': spec('a credit, write-off or correction was posted (ledger)', 'client', {
    accountId, transactionId: id('txn'), kind: z.enum(['credit', 'write_off', 'correction']), amountCents: cents, balanceCents: cents,
  }),
  'account.settled': spec('a settlement offer was paid in full; the rest is written off', 'client', { payment: id('pay'), writtenOffCents: cents }),
  'account.note_added': spec('a note was added', 'client or internal', { accountId, noteId: z.string(), visibility: z.enum(['client', 'internal']), authorName: z.string() }),
  'account.message_posted': spec('a message was posted on the account\'s thread', 'client', {
    accountId, threadId: z.string(), messageId: z.string(), side: z.string(), authorName: z.string(),
  }),
  'placement.created': spec('a client placed an account (form or spreadsheet row)', 'client', { placementId: z.string(), clientAccountNumber: z.string() }),
  'placement.accepted': spec('the agency accepted a placement', 'client', { placementId: z.string() }),
  'placement.rejected': spec('the agency rejected a placement', 'client', { placementId: z.string(), reason: z.string().nullable() }),
  'placement.batch.validated': spec('a spreadsheet dry run finished', 'client', { batchId: id('plb'), rowsPlaced: z.number().int(), rowsInvalid: z.number().int(), rowsDuplicate: z.number().int() }),
  'placement.batch.completed': spec('a spreadsheet placement run finished', 'client', { batchId: id('plb'), rowsPlaced: z.number().int(), rowsInvalid: z.number().int(), rowsDuplicate: z.number().int() }),
  'placement.batch.rolled_back': spec('a client took back a batch\'s placements not yet reviewed', 'client', { batchId: id('plb'), removed: z.number().int() }),
  'payment.scheduled': spec('a debtor scheduled a payment', 'client', { payment: id('pay'), amountCents: cents, scheduledFor: z.string() }),
  'payment.succeeded': spec('a debtor payment went through', 'client', {
    payment: id('pay'), amountCents: cents, currency: z.string(), kind: z.string(), receiptNumber: z.string(), balanceAfterCents: cents,
  }),
  'payment.cancelled': spec('a debtor cancelled a payment they had scheduled', 'client', { payment: id('pay'), amountCents: cents, scheduledFor: z.string().nullable() }),
  'payment.declined': spec('a debtor payment was declined for good', 'internal', { payment: id('pay'), amountCents: cents, declineCode: z.string().nullable(), kind: z.string() }),
  'payment.retry_scheduled': spec('a declined scheduled payment will be retried', 'internal', { payment: id('pay'), declineCode: z.string().nullable().optional(), retryOn: z.unknown(), attempt: z.number().int() }),
  'payment_link.created': spec('an agency user created a payment link for a debtor', 'internal', { link: z.string(), account: accountId, expiresAt: z.string() }),
  'offer.created': spec('the agency made a settlement or plan offer', 'client', { offer: z.string(), kind: z.string(), amountCents: cents }),
  'offer.accepted': spec('a debtor accepted an offer (signed the agreement)', 'client', { offer: z.string(), kind: z.string(), plan: z.string().nullable().optional(), schedule: z.unknown() }),
  'offer.expired': spec('an offer passed its expiry unaccepted', 'client', { offer: z.string() }),
  'plan.cancelled': spec('a payment plan was cancelled', 'client', { plan: z.string(), instalmentsStopped: z.number().int(), reason: z.string().nullable().optional() }),
  'plan.paused': spec('the agency paused a payment plan: no instalment is charged until it is resumed', 'client', { plan: z.string(), reason: z.string().nullable().optional() }),
  'plan.resumed': spec('the agency resumed a paused payment plan; the remaining instalments moved later by the days paused', 'client', { plan: z.string(), shiftedDays: z.number().int() }),
  'dispute.opened': spec('a debtor or the agency opened a dispute', 'client', {
    accountId, disputeId: z.string(), kind: z.string(), scope: z.string().nullable(), accountStatus: z.string(), documentAttachmentId: z.string().nullable().optional(),
  }),
  'dispute.resolved': spec('a dispute was answered', 'client', { accountId, disputeId: z.string(), accountStatus: z.string() }),
  'contact.opted_out': spec('a debtor opted out of a channel (STOP, unsubscribe, request)', 'internal', { optOutId: z.string(), channel: z.string(), source: z.string() }),
  'esign.consented': spec('a debtor gave E-SIGN consent', 'internal', { consentId: z.string(), statementVersion: z.union([z.string(), z.number()]), channels: z.unknown() }),
  'esign.withdrawn': spec('a debtor withdrew E-SIGN consent', 'internal', { consentId: z.string(), via: z.string() }),
  'attachment.added': spec('a document was attached to an account', 'client', { attachmentId: z.string(), accountId, displayName: z.string(), contentType: z.string(), sizeBytes: z.number().int() }),
  'attachment.deleted': spec('a document was removed from an account', 'client', { attachmentId: z.string(), accountId }),
  'collab.file.added': spec('a file was added to the Collaboration Center', 'client', { fileId: z.string(), name: z.string() }),
  'collab.file.updated': spec('a new version of a Collaboration Center file', 'client', { fileId: z.string(), version: z.number().int() }),
  'collab.comment.added': spec('a comment on a Collaboration Center file', 'client', { fileId: z.string(), commentId: z.string() }),
  'task.opened': spec('a task opened in the agency inbox', 'internal', { taskId: z.string(), kind: z.string(), title: z.string() }),
  'task.claimed': spec('an agency user claimed an inbox task', 'internal', { taskId: z.string(), assignedTo: z.string() }),
  'task.closed': spec('an inbox task was done (by a person or by the work it asked for)', 'internal', {
    taskId: z.string(), status: z.literal('done'), resolution: z.string().nullable(), accountUnflagged: z.boolean(),
  }),
  'webhook.endpoint_disabled': spec('a webhook endpoint was disabled after repeated failure', 'internal', { endpointId: z.string(), url: z.string(), reason: z.string() }),
} as const satisfies Record<string, EventTypeSpec>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];

export const isEventType = (t: string): t is EventType => Object.prototype.hasOwnProperty.call(EVENT_TYPES, t);

/** Thrown for an unknown type or a payload that breaks its schema: a bug in the emitting code, never the caller's input. */
export class EventContractError extends Error {}

export function checkEvent(type: string, payload: unknown): void {
  if (!isEventType(type)) throw new EventContractError(`Unknown event type "${type}": add it to api/platform/event-types.ts (and the docs) first.`);
  const parsed = EVENT_TYPES[type].payload.safeParse(payload);
  if (!parsed.success) {
    throw new EventContractError(`Event ${type} payload does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'} ${i.message}`).join('; ')}`);
  }
}

/** The catalogue as markdown rows (docs/integration.md is checked against this). */
export function eventCatalogueMarkdown(): string {
  const fields = (s: z.ZodObject) => Object.entries(s.shape).map(([k, v]) => ((v as z.ZodType).safeParse(undefined).success ? `\`${k}\`?` : `\`${k}\``)).join(', ');
  const rows = EVENT_TYPE_NAMES.map((t) => `| \`${t}\` | ${EVENT_TYPES[t].when} | ${EVENT_TYPES[t].visibility} | ${fields(EVENT_TYPES[t].payload)} |`);
  return ['| type | when | visibility | `data` (`?` = may be absent) |', '|---|---|---|---|', ...rows].join('\n');
}
