/**
 * Status actions. Each runs on the locked account row, checks the move is sensible from the current
 * status, and writes the change, a timeline entry, the audit row and an `account.status_changed`
 * event in one transaction.
 *
 * The rules: an account in collection is active, on hold or disputed. Only those can be held,
 * recalled or marked; a hold is released back to the status it interrupted; a recall is permanent —
 * nothing is done to a recalled account afterwards.
 *
 * Disputes have one path, the disputes service (compliance/disputes.service.ts): marking an account
 * disputed opens a dispute record there (hold, inbox task, audit, the debtor's confirmation); a move
 * out of collection closes the open records; and while a dispute or original-creditor request is
 * open, a hold cannot end in collecting (a release is refused, an expiring hold stays a plain hold).
 */
import type { Db, Trx } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { now as dbNow, toDateOnly } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import type { AuditActor } from '../platform/audit.js';
import { writeAudit } from '../platform/audit.js';
import { badRequest, conflict } from '../platform/errors.js';
import { announceStatusChange, formatCents, lockAccount, recordActivity, type LockedAccount } from '../accounts/account-write.js';
import { closeOpenDisputes, openDisputeHold, recordDispute } from '../compliance/disputes.service.js';
import type { HoldInput, RecallInput, ReleaseInput, StatusInput } from './account-status.schema.js';

const IN_COLLECTION = ['active', 'hold', 'disputed'];
const LABEL: Record<string, string> = {
  active: 'active', hold: 'on hold', recalled: 'recalled', paid: 'paid', settled: 'settled', bankrupt: 'bankrupt', deceased: 'deceased',
  business_closed: 'business closed', disputed: 'disputed', closed: 'closed',
};

function refuse(account: LockedAccount, action: string): never {
  throw conflict('invalid_transition', `A ${LABEL[account.status] ?? account.status} account cannot be ${action}.`);
}

interface Change {
  to: string;
  holdUntil?: string | null;
  statusBeforeHold?: string | null;
  reason: string | null;
  documentRef: string | null;
  activityType: string;
  activityBody: string;
  auditAction: string;
}

async function apply(trx: Trx, caller: Caller | null, actor: AuditActor, meta: { ip: string | null; requestId: string | null }, account: LockedAccount, c: Change, now: Date) {
  const before = await trx('accounts').where({ id: account.id }).first('status', 'hold_until', 'status_before_hold') as { status: string; holdUntil: unknown; statusBeforeHold: string | null };
  const holdUntil = c.holdUntil ?? null;
  await trx('accounts').where({ id: account.id }).update({ status: c.to, holdUntil, statusBeforeHold: c.statusBeforeHold ?? null, updatedAt: now });
  const activity = { accountId: account.id, type: c.activityType, visibility: 'client' as const, body: c.activityBody };
  const activityId = caller
    ? await recordActivity(trx, caller, activity, now)
    : await recordSystemActivity(trx, activity, now);
  await writeAudit(trx, {
    actor, action: c.auditAction, target: { type: 'account', id: account.publicId }, ip: meta.ip, requestId: meta.requestId,
    before: { status: before.status, holdUntil: toDateOnly(before.holdUntil) },
    after: { status: c.to, holdUntil, reason: c.reason, documentRef: c.documentRef },
  });
  await announceStatusChange(trx, account, c.to, { holdUntil, reason: c.reason }, actor);
  if (!IN_COLLECTION.includes(c.to)) {
    await closeOpenDisputes(trx, account, c.to, `Closed: the account was ${c.to === 'recalled' ? 'recalled' : `marked ${LABEL[c.to]}`}${c.reason ? ` (${c.reason})` : ''}.`, { actor, ...meta }, now);
  }
  return { accountId: account.publicId, from: account.status as never, status: c.to as never, holdUntil, reason: c.reason, documentRef: c.documentRef, activityId };
}

/** The worker releases expired holds as the system, not as a user. */
async function recordSystemActivity(trx: Trx, a: { accountId: number; type: string; visibility: 'client'; body: string }, at: Date): Promise<string> {
  const publicId = newId('act');
  await trx('activity').insert({ publicId, ...a, actorUserId: null, actorName: 'CollectKit', occurredAt: at });
  await trx('accounts').where({ id: a.accountId }).update({ lastActivityAt: at });
  return publicId;
}

const withDoc = (text: string, ref: string | undefined) => (ref ? `${text} Supporting document: ${ref}.` : text);

export async function holdAccount(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, input: HoldInput, now: Date = dbNow()) {
  const today = now.toISOString().slice(0, 10);
  if (input.until && input.until <= today) {
    throw badRequest('validation_failed', 'The hold must end after today.', [{ path: 'until', code: 'too_small', message: 'Pick a day after today.' }]);
  }
  const account = await lockAccount(trx, caller, publicId);
  if (!['active', 'disputed'].includes(account.status)) refuse(account, 'put on hold');
  return apply(trx, caller, meta.actor, meta, account, {
    to: 'hold', holdUntil: input.until ?? null, statusBeforeHold: account.status, reason: input.reason, documentRef: input.documentRef ?? null,
    activityType: 'hold', auditAction: 'account.hold',
    activityBody: withDoc(`Account placed on hold${input.until ? ` until ${input.until}` : ''}. Reason: ${input.reason}`, input.documentRef),
  }, now);
}

export async function releaseAccount(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, input: ReleaseInput, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, publicId);
  if (account.status !== 'hold') refuse(account, 'released from hold');
  const back = (await trx('accounts').where({ id: account.id }).first('status_before_hold')) as { statusBeforeHold: string | null };
  const to = back.statusBeforeHold ?? 'active';
  if (to === 'active' && (await openDisputeHold(trx, account.id))) {
    throw conflict('dispute_open', 'A dispute or original-creditor request is open on this account: collection stays on hold until the agency answers it (resolve it from the inbox).');
  }
  return apply(trx, caller, meta.actor, meta, account, {
    to, reason: input.reason ?? null, documentRef: null, activityType: 'hold', auditAction: 'account.release',
    activityBody: `Hold released${input.reason ? `. Reason: ${input.reason}` : '.'}`,
  }, now);
}

export async function recallAccount(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, input: RecallInput, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, publicId);
  if (!IN_COLLECTION.includes(account.status)) refuse(account, 'recalled');
  return apply(trx, caller, meta.actor, meta, account, {
    to: 'recalled', reason: input.reason, documentRef: input.documentRef ?? null, activityType: 'recall', auditAction: 'account.recall',
    activityBody: withDoc(`Account recalled by the client; collection has stopped. Reason: ${input.reason}`, input.documentRef),
  }, now);
}

export async function markAccount(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, input: StatusInput, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, publicId);
  if (!IN_COLLECTION.includes(account.status) || account.status === input.status) refuse(account, `marked ${LABEL[input.status]}`);
  if (input.status === 'disputed') {
    // The disputes service does it all: the record (entered by this user), hold, inbox task, audit, confirmation.
    const { created, activityId } = await recordDispute(trx, {
      accountId: account.id, kind: 'dispute', scope: 'all', reasonCode: 'other', reason: withDoc(input.reason, input.documentRef),
      via: caller.kind, enteredByUserId: caller.userId, actorName: caller.displayName,
    }, meta, now);
    return {
      accountId: account.publicId, from: account.status as never, status: created.accountStatus as never, holdUntil: null,
      reason: input.reason, documentRef: input.documentRef ?? null, activityId, disputeId: created.id,
    };
  }
  // "Paid" means nothing is owed; a payment the client received is reported first, so the ledger agrees.
  if (input.status === 'paid' && account.balanceCents > 0) {
    throw conflict('balance_not_zero', `The balance is still ${formatCents(account.balanceCents, account.currency)}. Report the payment first, then mark the account paid.`);
  }
  return apply(trx, caller, meta.actor, meta, account, {
    to: input.status, reason: input.reason, documentRef: input.documentRef ?? null, activityType: 'status_change',
    auditAction: 'account.status_change',
    activityBody: withDoc(`Status changed from ${LABEL[account.status]} to ${LABEL[input.status]}. Reason: ${input.reason}`, input.documentRef),
  }, now);
}

/**
 * Releases every hold whose until-date has come (the worker's ticker calls this). Each account is
 * locked and re-checked, so a hold released by hand in the meantime is left alone.
 */
export async function releaseExpiredHolds(db: Db, now: Date = dbNow()): Promise<number> {
  const today = now.toISOString().slice(0, 10);
  const due = (await db('accounts').where({ status: 'hold' }).whereNotNull('hold_until').where('hold_until', '<=', today).limit(500)
    .select('public_id')) as { publicId: string }[];
  let released = 0;
  const system: Caller = { userId: 0, publicId: 'system', username: 'system', displayName: 'CollectKit', kind: 'agency', permissions: new Set(), clientIds: 'all', sessionId: 0, sessionPublicId: '', onboardingRequired: false };
  for (const { publicId } of due) {
    const done = await db.transaction(async (trx) => {
      const account = await lockAccount(trx, system, publicId);
      const row = (await trx('accounts').where({ id: account.id }).first('hold_until', 'status_before_hold')) as { holdUntil: unknown; statusBeforeHold: string | null };
      const until = toDateOnly(row.holdUntil);
      if (account.status !== 'hold' || !until || until > today) return false;
      const to = row.statusBeforeHold ?? 'active';
      const actor = { type: 'system', id: 'hold-expiry' } as const;
      if (to === 'active' && (await openDisputeHold(trx, account.id))) {
        // An original-creditor request came in during the hold: the account stays on hold for it (no
        // end date), and answering it now returns the account to collection, not to the ended hold.
        await apply(trx, null, actor, { ip: null, requestId: null }, account, {
          to: 'hold', reason: `Hold ended on ${until}`, documentRef: null, activityType: 'hold', auditAction: 'account.release',
          activityBody: `Hold ended on ${until}; collection stays on hold until the agency answers the open original-creditor request.`,
        }, now);
        await trx('disputes').where({ accountId: account.id, status: 'open', previousStatus: 'hold' }).update({ previousStatus: 'active' });
        return true;
      }
      await apply(trx, null, actor, { ip: null, requestId: null }, account, {
        to, reason: `Hold ended on ${until}`, documentRef: null, activityType: 'hold', auditAction: 'account.release',
        activityBody: `Hold ended on ${until}; collection resumed.`,
      }, now);
      return true;
    });
    if (done) released++;
  }
  return released;
}
