/**
 * Disputes and original-creditor requests (Regulation F §1006.38): the one path for every dispute,
 * whether the debtor sent it online, staff entered it (POST /accounts/:id/disputes) or an agency or
 * client user marked the account disputed (account-status). Opening one, in one transaction:
 * the account goes on hold at once (status `disputed`, or `hold` for an original-creditor request,
 * when it was being collected), the client sees it on the account (a client-visible activity entry
 * and event), the agency gets an inbox task, and a confirmation email is queued — which the outbox
 * sends only with the debtor's E-SIGN consent and outside any opt-out (compliance.jobs.ts).
 *
 * While a record is open it holds the account. Resolving the last one restores the status it
 * interrupted; a status change that takes the account out of collection (recalled, paid, settled …)
 * closes the open records (`closeOpenDisputes`, called by account-status). Either way a record that
 * closes completes the inbox task it opened, in the same transaction.
 */
import { money, say, type Lang, type Params } from '../../i18n/catalogue.js';
import type { NoticeWords } from '../../i18n/en/notices.js';
import { fieldSaid, said } from '../platform/http/debtor-lang.js';
import type { Trx } from '../platform/db.js';
import { now as clockNow, toIso } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { enqueueEmail } from '../platform/outbox.js';
import { completeTask, openTask } from '../inbox/tasks.service.js';
import { flagAccount } from '../accounts/account-flag.js';
import { announceStatusChange, formatCents } from '../accounts/account-write.js';
import { insertAttachment } from '../attachments/attachments.service.js';
import type { ReceivedFile } from '../platform/uploads/receive.js';
import type { AuditMeta } from './consents.service.js';

export type DisputeKind = 'dispute' | 'original_creditor_request';
export const DISPUTE_REASONS = ['not_mine', 'wrong_amount', 'already_paid', 'identity_theft', 'not_owed', 'other'] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

const REASON_TEXT: Record<DisputeReason, string> = {
  not_mine: 'the debt is not theirs',
  wrong_amount: 'the amount is wrong',
  already_paid: 'it was already paid',
  identity_theft: 'identity theft',
  not_owed: 'the debt is not owed',
  other: 'another reason',
};

/** Statuses in which the account is being collected, so a dispute puts it on hold. */
const COLLECTING = new Set(['active', 'hold', 'disputed']);
/** The statuses a dispute or request puts an account in. */
const HOLD_STATUSES = new Set(['disputed', 'hold']);

export interface NewDispute {
  accountId: number;
  partyId?: number | null;
  kind: DisputeKind;
  /** disputes: all of the debt or part of it */
  scope?: 'all' | 'part';
  disputedAmountCents?: number;
  reasonCode?: DisputeReason;
  reason?: string | null;
  /** debtor: online; agency or client: received by phone or mail and entered by their staff */
  via: 'debtor' | 'agency' | 'client';
  /** the language of the debtor's confirmation (shown and emailed); English when not given */
  lang?: Lang;
  /** the user id of the staff member who entered it */
  enteredByUserId?: number | null;
  actorName: string;
  /**
   * An optional supporting document, already received into the file store (receiveForm). It is
   * linked to the dispute and becomes an attachment of the account in this transaction; if the
   * transaction fails the caller discards the stored bytes.
   */
  document?: ReceivedFile | null;
}

interface DisputeRow {
  id: number;
  publicId: string;
  accountId: number;
  clientId: number;
  kind: DisputeKind;
  scope: 'all' | 'part' | null;
  disputedAmountCents: number | string | null;
  reasonCode: string | null;
  reason: string | null;
  status: 'open' | 'resolved';
  previousStatus: string;
  submittedVia: string;
  submittedBy: string | null;
  ip: string | null;
  taskPublicId: string | null;
  createdAt: unknown;
  resolvedAt: unknown;
  resolution: string | null;
  documentName: string | null;
  documentAttachmentId: string | null;
  documentContentType: string | null;
  documentSizeBytes: number | string | null;
}

/** Disputes with their supporting document's attachment (at most one per dispute). */
const disputeRows = (trx: Trx) => trx('disputes')
  .leftJoin('attachments', 'attachments.dispute_id', 'disputes.id')
  .select('disputes.*', 'attachments.public_id as document_attachment_id', 'attachments.content_type as document_content_type', 'attachments.size_bytes as document_size_bytes');

export const disputeOut = (d: DisputeRow) => ({
  id: d.publicId,
  kind: d.kind,
  scope: d.scope,
  disputedAmountCents: d.disputedAmountCents === null ? null : Number(d.disputedAmountCents),
  reasonCode: d.reasonCode,
  reason: d.reason,
  status: d.status,
  submittedVia: d.submittedVia,
  createdAt: toIso(d.createdAt)!,
  resolvedAt: toIso(d.resolvedAt),
  resolution: d.resolution,
  document: d.documentAttachmentId
    ? { attachmentId: d.documentAttachmentId, fileName: d.documentName!, contentType: d.documentContentType!, sizeBytes: Number(d.documentSizeBytes) }
    : null,
});

/** How a dispute's timeline entry ends. */
export const ON_HOLD = 'Collection is on hold until the agency responds.';

/** The one-line summary of a dispute or request (timeline, inbox task, confirmation); the seed uses it too. */
export function describeDispute(d: Pick<NewDispute, 'kind' | 'scope' | 'disputedAmountCents' | 'reasonCode'>): string {
  if (d.kind === 'original_creditor_request') return 'The debtor asked for the name and address of the original creditor.';
  const what = d.scope === 'part' ? `${formatCents(d.disputedAmountCents!)} of the debt` : 'all of the debt';
  return `The debtor disputed ${what}: ${REASON_TEXT[d.reasonCode!]}.`;
}

interface AccountForDispute {
  id: number;
  publicId: string;
  clientId: number;
  status: string;
  balanceCents: number | string;
  agencyAccountNumber: string;
}

/** Opens a dispute or request; the API's answer. */
export async function openDispute(trx: Trx, input: NewDispute, meta: AuditMeta, now: Date) {
  return (await recordDispute(trx, input, meta, now)).created;
}

/** As openDispute, with the timeline entry's id (account-status answers with it). */
export async function recordDispute(trx: Trx, input: NewDispute, meta: AuditMeta, now: Date) {
  if (input.kind === 'dispute') {
    if (!input.scope || !input.reasonCode) throw said(400, 'validation_failed', 'disputeNeedsScope');
    if (input.reasonCode === 'other' && !input.reason?.trim()) throw said(400, 'validation_failed', 'disputeNeedsReason');
  }
  const account = (await trx('accounts').where({ id: input.accountId }).forUpdate()
    .first('id', 'publicId', 'clientId', 'status', 'balanceCents', 'agencyAccountNumber')) as AccountForDispute | undefined;
  if (!account) throw notFound('Account');
  if (input.kind === 'dispute' && input.scope === 'part') {
    const amount = input.disputedAmountCents ?? 0;
    if (!Number.isInteger(amount) || amount <= 0 || amount > Number(account.balanceCents)) {
      const balance = { balance: formatCents(Number(account.balanceCents)) };
      throw said(400, 'validation_failed', 'disputedAmountRange', balance, [fieldSaid('disputedAmountCents', 'out_of_range', 'disputedAmountRange', balance)]);
    }
  }
  const party = (await trx('account_parties')
    .where({ accountId: account.id })
    .modify((q) => (input.partyId ? q.where({ id: input.partyId }) : q.where({ role: 'responsible' })))
    .first('id', 'emails')) as { id: number; emails: string | null } | undefined;
  if (input.partyId && !party) throw notFound('Party');

  const openOfKind = await trx('disputes').where({ accountId: account.id, kind: input.kind, status: 'open' }).first('publicId');
  if (openOfKind && input.kind === 'original_creditor_request') {
    throw said(409, 'request_already_open', 'requestAlreadyOpen');
  }
  // While another dispute holds the account, this one inherits the status from before the first hold.
  const holding = (await trx('disputes').where({ accountId: account.id, status: 'open' }).orderBy('id').first('previousStatus')) as { previousStatus: string } | undefined;
  const statusBefore = holding && HOLD_STATUSES.has(account.status) ? holding.previousStatus : account.status;

  const publicId = newId('dsp');
  const holdStatus = input.kind === 'dispute' ? 'disputed' : 'hold';
  // A dispute outranks a request's plain hold; a request leaves a disputed account disputed.
  const newStatus = !COLLECTING.has(account.status) ? account.status : account.status === 'disputed' ? 'disputed' : holdStatus;
  const summary = describeDispute(input);
  const taskId = await openTask(trx, {
    clientId: account.clientId, accountId: account.id, kind: input.kind, sourceType: 'dispute', sourceId: publicId,
    title: input.kind === 'dispute' ? `Dispute on ${account.agencyAccountNumber}: verify before collecting` : `Original-creditor request on ${account.agencyAccountNumber}`,
    detail: `${summary}${input.reason ? `\n\nIn the debtor's words: ${input.reason}` : ''}`
      + `${input.document ? `\n\nSupporting document: ${input.document.originalName} (with the account's attachments).` : ''}\n\nReceived ${input.via === 'debtor' ? 'online from the debtor' : input.via === 'client' ? 'by the client and entered in the portal' : 'by the agency'}; collection is on hold.`,
    createdByUserId: input.enteredByUserId ?? null,
  });
  await trx('disputes').insert({
    publicId, accountId: account.id, clientId: account.clientId, partyId: party?.id ?? null, kind: input.kind,
    scope: input.kind === 'dispute' ? input.scope : null,
    disputedAmountCents: input.kind === 'dispute' ? (input.scope === 'part' ? input.disputedAmountCents : Number(account.balanceCents)) : null,
    reasonCode: input.kind === 'dispute' ? input.reasonCode : null, reason: input.reason?.trim() || null,
    status: 'open', previousStatus: statusBefore, submittedVia: input.via, submittedBy: meta.actor.id ?? null, ip: meta.ip,
    taskPublicId: taskId, createdAt: now,
  });
  let documentAttachmentId: string | null = null;
  if (input.document) {
    const dispute = (await trx('disputes').where({ publicId }).first('id')) as { id: number };
    documentAttachmentId = await insertAttachment(trx, {
      accountId: account.id, file: input.document, disputeId: dispute.id,
      displayName: `${input.kind === 'dispute' ? 'Dispute' : 'Original-creditor request'} document (${publicId})`,
      uploadedByUserId: input.enteredByUserId ?? null, uploadedByName: input.enteredByUserId ? null : input.actorName,
    }, meta);
    await trx('disputes').where({ id: dispute.id }).update({ documentName: input.document.originalName.slice(0, 200), documentKey: input.document.key });
  }
  if (newStatus !== account.status) {
    await trx('accounts').where({ id: account.id }).update({ status: newStatus, updatedAt: clockNow(), lastActivityAt: now });
    await announceStatusChange(trx, account, newStatus, { holdUntil: null, reason: summary }, meta.actor);
  } else {
    await trx('accounts').where({ id: account.id }).update({ lastActivityAt: now });
  }
  // the flag follows the inbox (accounts/account-flag.ts): a task that needs the agency just opened
  await flagAccount(trx, account.id, now);
  const activityId = newId('act');
  await trx('activity').insert({
    publicId: activityId, accountId: account.id, type: 'dispute', visibility: 'client',
    body: `${summary}${input.document ? ' A supporting document is with the attachments.' : ''} ${ON_HOLD}`,
    actorUserId: input.enteredByUserId ?? null, actorName: input.actorName, occurredAt: now,
  });
  await writeAudit(trx, {
    actor: meta.actor, action: input.kind === 'dispute' ? 'dispute.opened' : 'dispute.original_creditor_requested',
    target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId,
    before: { status: account.status }, after: { status: newStatus, disputeId: publicId, kind: input.kind, scope: input.scope ?? null, reasonCode: input.reasonCode ?? null, documentAttachmentId },
  });
  await appendEvent(trx, {
    type: 'dispute.opened', clientId: account.clientId, accountId: account.id, visibility: 'client',
    payload: { accountId: account.publicId, disputeId: publicId, kind: input.kind, scope: input.scope ?? null, accountStatus: newStatus, documentAttachmentId }, actor: meta.actor,
  });

  // The confirmation goes to the debtor's address on file; the outbox decides whether it may go by email.
  const email = party?.emails ? (JSON.parse(party.emails) as string[])[0] : undefined;
  const lang: Lang = input.lang ?? 'en';
  const w = (key: keyof NoticeWords, params?: Params) => say(lang, 'notices', key, params);
  if (email) {
    // the reason in the words of the form the debtor chose it from
    const reason = input.reasonCode ? say(lang, 'disputeForm', `reason_${input.reasonCode}`) : '';
    const yours = input.kind !== 'dispute' ? w('requestSummary')
      : input.scope === 'part' ? w('disputePart', { amount: money(input.disputedAmountCents ?? 0, 'USD', lang), reason }) : w('disputeAll', { reason });
    await enqueueEmail(trx, {
      to: email, category: 'dispute_confirmation', accountId: account.id, partyId: party!.id, dedupeKey: `dispute-confirmation:${publicId}`,
      subject: w(input.kind === 'dispute' ? 'disputeSubject' : 'requestSubject'),
      text: `${w(input.kind === 'dispute' ? 'disputeBody' : 'requestBody', { account: account.agencyAccountNumber, reference: publicId })}\n\n${yours}\n\n${w('disputeOnHold')}`,
    });
  }
  const row = (await disputeRows(trx).where('disputes.public_id', publicId).first()) as DisputeRow;
  const created = {
    ...disputeOut(row),
    accountStatus: newStatus,
    confirmation: {
      reference: publicId,
      message: say(lang, 'problems', input.kind === 'dispute' ? 'disputeReceived' : 'requestReceived'),
    },
  };
  return { created, activityId };
}

/** What the open records of an account require: `disputed` (a dispute), `hold` (only requests) or nothing. */
export async function openDisputeHold(trx: Trx, accountId: number): Promise<'disputed' | 'hold' | null> {
  const kinds = (await trx('disputes').where({ accountId, status: 'open' }).distinct('kind')) as { kind: DisputeKind }[];
  if (kinds.some((k) => k.kind === 'dispute')) return 'disputed';
  return kinds.length ? 'hold' : null;
}

/**
 * A record closes: resolved with its resolution, and the inbox task it opened is done in the same
 * transaction (unless someone already closed it there).
 */
async function markResolved(trx: Trx, d: { id: number; taskPublicId: string | null }, resolution: string, task: { resolution: string; byUserId?: number | null; now: Date }, meta: AuditMeta): Promise<void> {
  await trx('disputes').where({ id: d.id }).update({ status: 'resolved', resolvedAt: task.now, resolution });
  await completeTask(trx, d.taskPublicId, meta, task);
}

/** The `dispute.resolved` audit row and the client-visible event, whichever path closed the record. */
async function announceResolved(
  trx: Trx, account: { id: number; publicId: string; clientId: number }, disputePublicId: string, accountStatus: string,
  audit: { before: Record<string, unknown>; after: Record<string, unknown> }, meta: AuditMeta,
): Promise<void> {
  await writeAudit(trx, {
    actor: meta.actor, action: 'dispute.resolved', target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId, ...audit,
  });
  await appendEvent(trx, {
    type: 'dispute.resolved', clientId: account.clientId, accountId: account.id, visibility: 'client',
    payload: { accountId: account.publicId, disputeId: disputePublicId, accountStatus }, actor: meta.actor,
  });
}

/**
 * The account left collection by a status action (recalled, marked paid, settled, bankrupt …): its
 * open disputes and requests close with that as the resolution. The status itself is the caller's.
 */
export async function closeOpenDisputes(trx: Trx, account: { id: number; publicId: string; clientId: number }, toStatus: string, resolution: string, meta: AuditMeta, now: Date): Promise<string[]> {
  const open = (await trx('disputes').where({ accountId: account.id, status: 'open' }).orderBy('id').select('id', 'publicId', 'taskPublicId')) as { id: number; publicId: string; taskPublicId: string | null }[];
  for (const d of open) {
    await markResolved(trx, d, resolution, { resolution, now }, meta);
    await announceResolved(trx, account, d.publicId, toStatus, { before: { dispute: 'open' }, after: { status: toStatus, dispute: 'resolved', disputeId: d.publicId, resolution } }, meta);
  }
  return open.map((d) => d.publicId);
}

/** The agency answered (verification or the creditor's name sent): the account returns to its earlier status. */
export async function resolveDispute(trx: Trx, disputePublicId: string, resolution: string, actorName: string, actorUserId: number | null, meta: AuditMeta, now: Date) {
  const d = (await trx('disputes').where({ publicId: disputePublicId }).forUpdate().first()) as DisputeRow | undefined;
  if (!d) throw notFound('Dispute');
  const accountId = d.accountId;
  if (d.status !== 'open') throw said(409, 'dispute_not_open', 'disputeNotOpen');
  const account = (await trx('accounts').where({ id: accountId }).forUpdate().first('id', 'publicId', 'clientId', 'status', 'statusBeforeHold')) as
    { id: number; publicId: string; clientId: number; status: string; statusBeforeHold: string | null };
  await markResolved(trx, d, resolution, { resolution: `${d.kind === 'dispute' ? 'Dispute' : 'Request'} answered: ${resolution}`, byUserId: actorUserId, now }, meta);
  // Restore only what the dispute changed, and only when no other dispute still holds the account.
  const stillHeld = await openDisputeHold(trx, accountId);
  // A hold placed by hand on the disputed account (account-status) interrupts the dispute: it stays,
  // and its release returns to what the dispute interrupted instead of to `disputed`.
  const heldByHand = account.status === 'hold' && account.statusBeforeHold === 'disputed';
  let newStatus = account.status;
  if (heldByHand) {
    const back = stillHeld ?? (d.previousStatus === 'hold' ? 'active' : d.previousStatus);
    await trx('accounts').where({ id: accountId }).update({ statusBeforeHold: back });
  } else if (stillHeld === null && HOLD_STATUSES.has(account.status) && d.previousStatus !== account.status) {
    newStatus = d.previousStatus;
  } else if (stillHeld === 'hold' && account.status === 'disputed') {
    // the dispute is answered; an open original-creditor request still holds the account
    newStatus = 'hold';
  }
  if (newStatus !== account.status) {
    await trx('accounts').where({ id: accountId }).update({ status: newStatus, updatedAt: clockNow() });
    await announceStatusChange(trx, account, newStatus, { holdUntil: null, reason: `Dispute answered: ${resolution}` }, meta.actor);
  }
  await trx('activity').insert({
    publicId: newId('act'), accountId, type: 'dispute', visibility: 'client',
    body: `The agency responded to the ${d.kind === 'dispute' ? 'dispute' : 'original-creditor request'}: ${resolution}`,
    actorUserId, actorName, occurredAt: now,
  });
  await announceResolved(trx, account, d.publicId, newStatus, { before: { status: account.status, dispute: 'open' }, after: { status: newStatus, dispute: 'resolved', disputeId: d.publicId } }, meta);
  return { ...disputeOut((await disputeRows(trx).where('disputes.id', d.id).first()) as DisputeRow), accountStatus: newStatus };
}

export async function listDisputes(trx: Trx, accountId: number) {
  const rows = (await disputeRows(trx).where('disputes.account_id', accountId).orderBy('disputes.id', 'asc')) as DisputeRow[];
  return rows.map(disputeOut);
}
