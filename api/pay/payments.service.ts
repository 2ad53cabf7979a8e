/**
 * Debtor payments. Money moves in three steps so a charge is never made twice:
 *   1. one transaction checks the amount against the (locked) balance, records the signed agreement
 *      and writes the payment as `pending` with a unique charge key — committed before any charge;
 *   2. the gateway charges with that key as its idempotency key (outside any transaction);
 *   3. one transaction finalises the payment (status, balance, activity, event, audit, receipt mail).
 * If the process dies between 2 and 3, `recoverPendingPayments` repeats 2 with the same key — the
 * gateway answers with the first charge — and finishes 3. Step 3 is a no-op for a payment already final.
 */
import { fieldSaid, said } from '../platform/http/debtor-lang.js';
import type { AppDeps, RequestMeta } from '../platform/http/context.js';
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { newId, encodeBase32 } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { randomBytes } from 'node:crypto';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId } from './pay-access.service.js';
import { getPaySettings } from './pay.settings.js';
import { applyPaymentToBalance, lockAccountBalance, settleRemainder } from './apply-payment-to-balance.js';
import { retryNotice } from './payment-notices.js';
import { gatewayFor } from './gateway/sandbox-gateway.js';
import { declineMessage, type ChargeResult, type TokenizeInput } from './gateway/gateway.js';
import { renderAgreement, formatMoney, type AgreementFacts } from './agreement.js';
import { brandName } from '../../i18n/catalogue.js';
import { afterPaymentFinal, recordDebtorLanguage } from './payment-notices.js';
import { addDays, todayIso } from './schedule.js';

export const debtorActor = (s: DebtorSession) => ({ type: 'debtor' as const, id: s.sessionId });

export interface MethodOut { id: string; kind: string; brand: string; last4: string; expMonth: number | null; expYear: number | null; saved: boolean }

interface MethodRow { id: number; publicId: string; accountId: number; gatewayToken: string; kind: string; brand: string; last4: string; expMonth: number | null; expYear: number | null; saved: unknown }

const methodOut = (m: MethodRow): MethodOut => ({
  id: m.publicId, kind: m.kind, brand: m.brand, last4: m.last4, expMonth: m.expMonth ?? null, expYear: m.expYear ?? null, saved: m.saved === true || m.saved === 1,
});

/**
 * Tokenises card/bank details with the gateway and keeps only the token, brand and last 4.
 * Called by the pay frame; the details are in `input` for the length of this call and go nowhere else.
 */
export async function addPaymentMethod(deps: AppDeps, session: DebtorSession, input: TokenizeInput & { save?: boolean | undefined }, meta: RequestMeta, now: Date): Promise<MethodOut> {
  const account = await debtorAccountId(deps.db, session.accountId);
  const tokenized = await gatewayFor(deps).tokenize(input, now);
  return deps.db.transaction(async (trx) => {
    const publicId = newId('pm');
    const row = {
      publicId, accountId: account.id, gateway: gatewayFor(deps).name, gatewayToken: tokenized.token, kind: tokenized.kind, brand: tokenized.brand,
      last4: tokenized.last4, expMonth: tokenized.expMonth, expYear: tokenized.expYear, saved: Boolean(input.save), createdAt: now,
    };
    await trx('payment_methods').insert(row);
    await writeAudit(trx, { actor: debtorActor(session), action: 'payment_method.added', target: { type: 'account', id: session.accountId }, ip: meta.ip, requestId: meta.requestId, after: { method: publicId, kind: row.kind, brand: row.brand, last4: row.last4 } });
    return methodOut({ ...row, id: 0, saved: row.saved } as MethodRow);
  });
}

async function loadMethod(trx: Trx, accountId: number, publicId: string): Promise<MethodRow> {
  const m = (await trx('payment_methods').where({ publicId, accountId }).first()) as MethodRow | undefined;
  if (!m) throw said(400, 'validation_failed', 'chooseMethod', {}, [fieldSaid('paymentMethodId', 'not_found', 'methodNotOnAccount')]);
  return m;
}

export async function savedMethods(trx: Trx, accountId: number): Promise<MethodOut[]> {
  const rows = (await trx('payment_methods').where({ accountId, saved: true }).orderBy('id', 'desc').select()) as MethodRow[];
  return rows.map(methodOut);
}

export interface PaymentOut {
  id: string;
  kind: string;
  status: string;
  amount: { amountCents: number; currency: string };
  method: { kind: string | null; brand: string | null; last4: string | null };
  scheduledFor: string | null;
  declineCode: string | null;
  declineMessage: string | null;
  receiptNumber: string | null;
  planId: string | null;
  instalmentNumber: number | null;
  createdAt: string;
  completedAt: string | null;
}

export interface PaymentRow {
  id: number; publicId: string; accountId: number; clientId: number; kind: string; amountCents: number | string; currency: string; status: string;
  paymentMethodId: number | null; methodKind: string | null; methodBrand: string | null; methodLast4: string | null; chargeKey: string;
  gatewayChargeId: string | null; declineCode: string | null; scheduledFor: unknown; attempts: number; planPublicId: string | null;
  instalmentNumber: number | null; agreementPublicId: string | null; payerEmail: string | null; receiptNumber: string | null;
  createdAt: unknown; updatedAt: unknown; completedAt: unknown;
}

export const paymentOut = (p: PaymentRow): PaymentOut => ({
  id: p.publicId,
  kind: p.kind,
  status: p.status,
  amount: { amountCents: Number(p.amountCents), currency: p.currency },
  method: { kind: p.methodKind, brand: p.methodBrand, last4: p.methodLast4 },
  scheduledFor: toDateOnly(p.scheduledFor),
  declineCode: p.declineCode,
  declineMessage: declineMessage(p.declineCode),
  receiptNumber: p.receiptNumber,
  planId: p.planPublicId,
  instalmentNumber: p.instalmentNumber,
  createdAt: toIso(p.createdAt)!,
  completedAt: toIso(p.completedAt),
});

/** Money already promised by pending or scheduled payments: a new payment may not exceed the rest. */
export async function committedCents(trx: Trx, accountId: number): Promise<number> {
  const row = (await trx('payments').where({ accountId }).whereIn('status', ['pending', 'scheduled']).sum({ s: 'amount_cents' }).first()) as { s: number | string | null };
  return Number(row?.s ?? 0);
}

export interface PaymentInput {
  lang?: 'en' | 'es' | undefined;
  amountCents: number;
  paymentMethodId: string;
  scheduledFor?: string | undefined;
  email?: string | undefined;
}

const today = todayIso;

interface Checked { accountId: number; clientId: number; method: MethodRow; facts: AgreementFacts; scheduled: boolean; currency: string }

/** Everything a payment must satisfy; shared by the preview (review step) and the real thing. */
async function checkPayment(trx: Trx, session: DebtorSession, input: PaymentInput, now: Date): Promise<Checked> {
  const account = await debtorAccountId(trx, session.accountId);
  const settings = await getPaySettings(trx);
  const balance = await lockAccountBalance(trx, account.id);
  const available = balance - (await committedCents(trx, account.id));
  if (!settings.allowSkipOffer && (await trx('offers').where({ accountId: account.id, status: 'open' }).where('expires_on', '>=', today(now)).first('id'))) {
    throw said(409, 'offer_required', 'offerRequired');
  }
  const method = await loadMethod(trx, account.id, input.paymentMethodId);
  const min = Math.min(settings.minPaymentCents, available);
  if (available <= 0) throw said(409, 'nothing_to_pay', 'nothingToPay');
  if (input.amountCents < min || input.amountCents > available) {
    throw said(400, 'validation_failed', 'amountOutOfRange', {}, [fieldSaid('amountCents', 'out_of_range', 'amountBetween', { min: formatMoney(min, 'USD'), max: formatMoney(available, 'USD') })]);
  }
  const scheduled = Boolean(input.scheduledFor && input.scheduledFor > today(now));
  if (input.scheduledFor && input.scheduledFor < today(now)) {
    throw said(400, 'validation_failed', 'dateInPast', {}, [fieldSaid('scheduledFor', 'in_past', 'chooseTodayOrLater')]);
  }
  if (scheduled) {
    if (!settings.schedulingEnabled) throw said(409, 'scheduling_disabled', 'schedulingDisabled');
    if (input.scheduledFor! > addDays(today(now), settings.maxScheduleDays)) {
      throw said(400, 'validation_failed', 'dateTooFar', {}, [fieldSaid('scheduledFor', 'too_far', 'chooseWithinDays', { days: settings.maxScheduleDays })]);
    }
    const plan = await trx('payment_plans').where({ accountId: account.id }).whereIn('status', ['active', 'paused']).first('id');
    if (plan) throw said(409, 'plan_active', 'planActiveNoSchedule');
  }
  const acct = (await trx('accounts').join('clients', 'clients.id', 'accounts.client_id').where('accounts.id', account.id).first('accounts.debtor_name', 'accounts.agency_account_number', 'accounts.currency', 'clients.name as client_name')) as { debtorName: string; agencyAccountNumber: string; currency: string; clientName: string };
  const facts: AgreementFacts = {
    kind: scheduled ? 'scheduled' : 'one_time', agencyName: settings.agencyName, creditor: acct.clientName, accountNumber: acct.agencyAccountNumber,
    payerName: acct.debtorName, currency: acct.currency, method: { kind: method.kind, brand: method.brand, last4: method.last4 },
    charges: [{ date: scheduled ? input.scheduledFor! : today(now), amountCents: input.amountCents }], lang: input.lang,
  };
  return { accountId: account.id, clientId: account.clientId, method, facts, scheduled, currency: acct.currency };
}

export async function previewPayment(trx: Trx, session: DebtorSession, input: PaymentInput, now: Date) {
  const c = await checkPayment(trx, session, input, now);
  return { amount: { amountCents: input.amountCents, currency: c.currency }, scheduledFor: c.scheduled ? input.scheduledFor! : null, agreement: renderAgreement(c.facts) };
}

export interface Signature { typedName: string; textHash: string }

/** Records the e-signature: typed name, time, IP, user agent, version, language and the exact text with its hash. */
export async function recordAgreement(trx: Trx, accountId: number, kind: AgreementFacts['kind'], facts: AgreementFacts, sig: Signature, meta: RequestMeta, now: Date): Promise<string> {
  const agreement = renderAgreement(facts);
  if (agreement.textHash !== sig.textHash) {
    throw said(409, 'agreement_changed', 'agreementChanged');
  }
  const publicId = newId('agr');
  await trx('payment_agreements').insert({
    publicId, accountId, kind, version: agreement.version, lang: agreement.lang, textHash: agreement.textHash, text: agreement.text,
    typedName: sig.typedName.trim(), ip: meta.ip, userAgent: meta.userAgent, signedAt: now,
  });
  // the debtor signed in this language: their emails and texts follow it from now on
  await recordDebtorLanguage(trx, accountId, agreement.lang, meta);
  return publicId;
}

/**
 * A one-time (or future-dated) payment. The idempotency key, when given, becomes the charge key,
 * so a retried or double-submitted request finds the first payment instead of making another.
 */
export async function makePayment(
  deps: AppDeps, session: DebtorSession, input: PaymentInput & { agreement: Signature }, idempotencyKey: string | undefined, meta: RequestMeta, now: Date,
): Promise<{ payment: PaymentOut; replayed: boolean }> {
  const account = await debtorAccountId(deps.db, session.accountId);
  const chargeKey = idempotencyKey ? `idem:${account.id}:${idempotencyKey}` : `pay:${newId('k')}`;
  const existing = await findByChargeKey(deps.db, chargeKey);
  if (existing) return replay(existing, input);
  let created: PaymentRow;
  try {
    created = await deps.db.transaction(async (trx) => {
      const c = await checkPayment(trx, session, input, now);
      const agreementId = await recordAgreement(trx, c.accountId, c.facts.kind, c.facts, input.agreement, meta, now);
      const publicId = newId('pay');
      await trx('payments').insert({
        publicId, accountId: c.accountId, clientId: c.clientId, kind: c.scheduled ? 'scheduled' : 'one_time', amountCents: input.amountCents,
        currency: c.currency, status: c.scheduled ? 'scheduled' : 'pending', paymentMethodId: c.method.id, methodKind: c.method.kind,
        methodBrand: c.method.brand, methodLast4: c.method.last4, chargeKey, scheduledFor: c.scheduled ? input.scheduledFor : null,
        attempts: 0, agreementPublicId: agreementId, payerEmail: input.email ?? null, createdAt: now, updatedAt: now,
      });
      await writeAudit(trx, {
        actor: debtorActor(session), action: c.scheduled ? 'payment.scheduled' : 'payment.submitted', target: { type: 'payment', id: publicId },
        ip: meta.ip, requestId: meta.requestId, after: { account: session.accountId, amountCents: input.amountCents, scheduledFor: input.scheduledFor ?? null, agreement: agreementId, method: c.method.publicId },
      });
      if (c.scheduled) {
        await appendEvent(trx, { type: 'payment.scheduled', clientId: c.clientId, accountId: c.accountId, visibility: 'client', payload: { payment: publicId, amountCents: input.amountCents, scheduledFor: input.scheduledFor }, actor: debtorActor(session) });
      }
      return (await trx('payments').where({ publicId }).first()) as PaymentRow;
    });
  } catch (err) {
    // Two identical requests at once: the loser of the unique charge key finds the winner's payment.
    const raced = await findByChargeKey(deps.db, chargeKey);
    if (raced) return replay(raced, input);
    throw err;
  }
  if (created.status === 'scheduled') return { payment: paymentOut(created), replayed: false };
  return { payment: await chargeAndFinalize(deps, created.id, now), replayed: false };
}

async function findByChargeKey(trx: Trx, chargeKey: string): Promise<PaymentRow | undefined> {
  return (await trx('payments').where({ chargeKey }).first()) as PaymentRow | undefined;
}

function replay(existing: PaymentRow, input: PaymentInput): { payment: PaymentOut; replayed: boolean } {
  if (Number(existing.amountCents) !== input.amountCents) {
    throw said(409, 'idempotency_key_reused', 'paymentKeyReused');
  }
  return { payment: paymentOut(existing), replayed: true };
}

/** Step 2 and 3 for one payment in `pending` (the scheduler and the crash recovery use this too). */
export interface ChargeOptions {
  /** charged while the debtor waits for the answer: a decline is reported, not retried later */
  attended?: boolean;
}

export async function chargeAndFinalize(deps: AppDeps, paymentId: number, now: Date, opts: ChargeOptions = {}): Promise<PaymentOut> {
  const p = (await deps.db('payments').where({ id: paymentId }).first()) as PaymentRow;
  if (p.status !== 'pending') return paymentOut(p);
  const method = (await deps.db('payment_methods').where({ id: p.paymentMethodId }).first('gateway_token')) as { gatewayToken: string };
  const result = await gatewayFor(deps).charge({ token: method.gatewayToken, amountCents: Number(p.amountCents), currency: p.currency, idempotencyKey: p.chargeKey }, now);
  return finalizePayment(deps, paymentId, result, now, opts);
}

function receiptNumber(now: Date): string {
  return `R${now.toISOString().slice(2, 10).replace(/-/g, '')}-${encodeBase32(randomBytes(5)).toUpperCase()}`;
}

/** Step 3: records the gateway's answer once. A payment no longer pending is left as it is. */
export async function finalizePayment(deps: AppDeps, paymentId: number, result: ChargeResult, now: Date, opts: ChargeOptions = {}): Promise<PaymentOut> {
  return deps.db.transaction(async (trx) => {
    const q = trx('payments').where({ id: paymentId });
    if (isMysql(trx)) q.forUpdate();
    const p = (await q.first()) as PaymentRow;
    if (p.status !== 'pending') return paymentOut(p);
    const attended = opts.attended ?? !isAutomatic(p);
    const system = { type: 'system' as const, id: 'pay' };
    if (result.status === 'succeeded') {
      const receipt = receiptNumber(now);
      const applied = await applyPaymentToBalance(trx, p.accountId, Number(p.amountCents), now, { methodKind: p.methodKind, reference: receipt });
      await trx('payments').where({ id: paymentId }).update({ status: 'succeeded', gatewayChargeId: result.id, receiptNumber: receipt, attempts: p.attempts + 1, updatedAt: now, completedAt: now });
      const method = p.methodKind === 'ach' ? `bank account ending ${p.methodLast4}` : `${brandName(p.methodBrand, 'en')} ending ${p.methodLast4}`;
      await trx('activity').insert({
        publicId: newId('act'), accountId: p.accountId, type: 'payment', visibility: 'client',
        body: `Online payment of ${formatMoney(Number(p.amountCents), p.currency)} received (${method}). Receipt ${receipt}.`,
        actorUserId: null, actorName: 'Debtor payment', occurredAt: now,
      });
      await appendEvent(trx, { type: 'payment.succeeded', clientId: p.clientId, accountId: p.accountId, visibility: 'client', payload: { payment: p.publicId, amountCents: Number(p.amountCents), currency: p.currency, kind: p.kind, receiptNumber: receipt, balanceAfterCents: applied.afterCents }, actor: system });
      await writeAudit(trx, { actor: system, action: 'payment.succeeded', target: { type: 'payment', id: p.publicId }, before: { status: p.status, balanceCents: applied.beforeCents }, after: { status: 'succeeded', charge: result.id, balanceCents: applied.afterCents } });
      await afterSuccess(trx, p, now);
    } else if (!attended && p.attempts + 1 <= (await getPaySettings(trx)).declineRetries) {
      // an automatic charge declined with retries left: tried again later under a new charge key
      const settings = await getPaySettings(trx);
      const from = [today(now), toDateOnly(p.scheduledFor) ?? today(now)].sort()[1]!;
      const next = addDays(from, settings.retryEveryDays);
      const chargeKey = `${p.chargeKey.replace(/#r\d+$/, '')}#r${p.attempts + 1}`;
      await trx('payments').where({ id: paymentId }).update({ status: 'scheduled', scheduledFor: next, chargeKey, declineCode: result.declineCode, attempts: p.attempts + 1, updatedAt: now });
      await appendEvent(trx, { type: 'payment.retry_scheduled', clientId: p.clientId, accountId: p.accountId, visibility: 'internal', payload: { payment: p.publicId, declineCode: result.declineCode, retryOn: next, attempt: p.attempts + 1 }, actor: system });
      await writeAudit(trx, { actor: system, action: 'payment.retry_scheduled', target: { type: 'payment', id: p.publicId }, before: { status: p.status }, after: { status: 'scheduled', charge: result.id, declineCode: result.declineCode, retryOn: next } });
      const final = (await trx('payments').where({ id: paymentId }).first()) as PaymentRow;
      await retryNotice(trx, final, next);
      return paymentOut(final);
    } else {
      await trx('payments').where({ id: paymentId }).update({ status: result.status, gatewayChargeId: result.id, declineCode: result.declineCode, attempts: p.attempts + 1, updatedAt: now, completedAt: now });
      await appendEvent(trx, { type: 'payment.declined', clientId: p.clientId, accountId: p.accountId, visibility: 'internal', payload: { payment: p.publicId, amountCents: Number(p.amountCents), declineCode: result.declineCode, kind: p.kind }, actor: system });
      await writeAudit(trx, { actor: system, action: `payment.${result.status}`, target: { type: 'payment', id: p.publicId }, before: { status: p.status }, after: { status: result.status, charge: result.id, declineCode: result.declineCode } });
      if (attended) await undoAttendedAcceptance(trx, p, now);
    }
    const final = (await trx('payments').where({ id: paymentId }).first()) as PaymentRow;
    await afterPaymentFinal(trx, deps, final, now, attended);
    return paymentOut(final);
  });
}

/**
 * A settlement or a plan's first instalment declined in front of the debtor: nothing was agreed.
 * The offer opens again for another method, the plan stops with its other instalments, and the
 * agreement copy still waiting in the outbox is not sent (the debtor signs anew with the next method).
 */
async function undoAttendedAcceptance(trx: Trx, p: PaymentRow, now: Date): Promise<void> {
  if (p.kind === 'settlement') {
    await trx('offers').where({ accountId: p.accountId, status: 'accepted' }).where('pay_by', '>=', today(now)).update({ status: 'open', acceptedAt: null });
  }
  if (p.kind === 'instalment' && p.planPublicId) {
    const plan = (await trx('payment_plans').where({ publicId: p.planPublicId }).first('id', 'offer_id', 'status')) as { id: number; offerId: number | null; status: string };
    await trx('payments').where({ planPublicId: p.planPublicId }).whereIn('status', ['scheduled']).update({ status: 'cancelled', updatedAt: now, completedAt: now });
    if (plan.status === 'active') await trx('payment_plans').where({ id: plan.id }).update({ status: 'cancelled', cancelReason: 'The first payment was declined.', cancelledAt: now });
    if (plan.offerId) await trx('offers').where({ id: plan.offerId, status: 'accepted' }).update({ status: 'open', acceptedAt: null });
    await writeAudit(trx, { actor: { type: 'system', id: 'pay' }, action: 'plan.first_payment_declined', target: { type: 'plan', id: p.planPublicId }, before: { status: plan.status }, after: { status: 'cancelled', declinedPayment: p.publicId } });
  }
  if (p.agreementPublicId) {
    await trx('outbox').where({ dedupeKey: `pay.agreement:${p.agreementPublicId}`, status: 'pending' }).update({ status: 'cancelled', cancelReason: 'The payment under this agreement was declined.' });
  }
}

/** Charged by the scheduler rather than in front of the debtor: declines are retried and notified. */
function isAutomatic(p: PaymentRow): boolean {
  if (p.kind === 'scheduled' || p.kind === 'instalment') return true;
  return p.kind === 'settlement' && (toDateOnly(p.scheduledFor) ?? '') > (toIso(p.createdAt) ?? '').slice(0, 10);
}

/** A settlement settles the account; the last instalment completes its plan. */
async function afterSuccess(trx: Trx, p: PaymentRow, now: Date): Promise<void> {
  const system = { type: 'system' as const, id: 'pay' };
  if (p.kind === 'settlement') {
    const settled = await settleRemainder(trx, p.accountId, now, p.receiptNumber ?? p.publicId);
    await trx('activity').insert({
      publicId: newId('act'), accountId: p.accountId, type: 'settlement', visibility: 'client',
      body: `Settled in full by an online settlement payment; the remaining ${formatMoney(settled.writtenOffCents, p.currency)} is written off.`,
      actorUserId: null, actorName: 'Debtor payment', occurredAt: now,
    });
    await appendEvent(trx, { type: 'account.settled', clientId: p.clientId, accountId: p.accountId, visibility: 'client', payload: { payment: p.publicId, writtenOffCents: settled.writtenOffCents }, actor: system });
    await writeAudit(trx, { actor: system, action: 'account.settled', target: { type: 'payment', id: p.publicId }, before: { status: settled.previousStatus, balanceCents: settled.writtenOffCents }, after: { status: 'settled', balanceCents: 0 } });
  }
  if (p.kind === 'instalment' && p.planPublicId) {
    const left = await trx('payments').where({ planPublicId: p.planPublicId }).whereIn('status', ['scheduled', 'pending']).whereNot({ id: p.id }).first('id');
    if (!left) await trx('payment_plans').where({ publicId: p.planPublicId, status: 'active' }).update({ status: 'completed', completedAt: now });
  }
}

/**
 * Crash recovery: payments left `pending` longer than `graceMs` (their process died between the
 * charge and the commit, or before the charge) are charged again with the same key and finalised.
 */
export async function recoverPendingPayments(deps: AppDeps, now: Date, graceMs = 2 * 60_000): Promise<number> {
  const stale = (await deps.db('payments').where({ status: 'pending' }).where('updated_at', '<', new Date(now.getTime() - graceMs)).limit(100).select('id')) as { id: number }[];
  for (const s of stale) await chargeAndFinalize(deps, s.id, now);
  return stale.length;
}

export async function getDebtorPayment(trx: Trx, session: DebtorSession, publicId: string): Promise<PaymentOut> {
  const account = await debtorAccountId(trx, session.accountId);
  const p = (await trx('payments').where({ publicId, accountId: account.id }).first()) as PaymentRow | undefined;
  if (!p) throw notFound('Payment');
  return paymentOut(p);
}

export async function listDebtorPayments(trx: Trx, accountId: number): Promise<PaymentOut[]> {
  const rows = (await trx('payments').where({ accountId }).orderBy('id', 'desc').limit(50).select()) as PaymentRow[];
  return rows.map(paymentOut);
}

/**
 * The debtor cancels a future-dated payment they scheduled (plan instalments stop with their plan,
 * `cancelPlan`). Conditional on `scheduled`, so a payment the scheduler already took is not touched.
 */
export async function cancelScheduledPayment(trx: Trx, session: DebtorSession, publicId: string, meta: RequestMeta, now: Date): Promise<PaymentOut> {
  const account = await debtorAccountId(trx, session.accountId);
  const p = (await trx('payments').where({ publicId, accountId: account.id }).first()) as PaymentRow | undefined;
  if (!p) throw notFound('Payment');
  if (p.planPublicId) throw said(409, 'payment_in_plan', 'paymentInPlan');
  const stopped = await trx('payments').where({ id: p.id, status: 'scheduled' }).update({ status: 'cancelled', updatedAt: now, completedAt: now });
  if (!stopped) throw said(409, 'payment_not_scheduled', 'paymentNotScheduled');
  await writeAudit(trx, { actor: debtorActor(session), action: 'payment.cancelled', target: { type: 'payment', id: p.publicId }, ip: meta.ip, requestId: meta.requestId, before: { status: 'scheduled' }, after: { status: 'cancelled' } });
  await appendEvent(trx, { type: 'payment.cancelled', clientId: p.clientId, accountId: p.accountId, visibility: 'client', payload: { payment: p.publicId, amountCents: Number(p.amountCents), scheduledFor: toDateOnly(p.scheduledFor) }, actor: debtorActor(session) });
  return paymentOut((await trx('payments').where({ id: p.id }).first()) as PaymentRow);
}
