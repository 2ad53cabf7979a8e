/**
 * Settlement and payment-plan offers: the agency makes them per account; the debtor sees the open
 * ones, previews the schedule and agreement, and accepts by signing. A settlement is one payment
 * (today or by its pay-by date) that settles the balance; a plan is N instalments charged by the
 * scheduler (pay.jobs.ts). Accepting is a conditional update (open → accepted), so one offer is
 * taken once, however many requests race.
 */
import { fieldSaid, said } from '../platform/http/debtor-lang.js';
import type { AppDeps, Caller, RequestMeta } from '../platform/http/context.js';
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import { AppError, badRequest, notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId, payableAccounts } from './pay-access.service.js';
import { getPaySettings } from './pay.settings.js';
import { renderAgreement, type AgreementFacts } from './agreement.js';
import { chargeAndFinalize, committedCents, debtorActor, paymentOut, recordAgreement, type PaymentOut, type PaymentRow, type Signature } from './payments.service.js';
import { lockAccountBalance } from './apply-payment-to-balance.js';
import { addDays, instalmentSchedule, todayIso, type Frequency } from './schedule.js';
import { debtorContact, enqueueDebtorEmail } from './payment-notices.js';
import { longDate, money, say } from '../../i18n/catalogue.js';

interface OfferRow {
  id: number; publicId: string; accountId: number; clientId: number; kind: 'settlement' | 'plan'; percentBps: number | null; amountCents: number | string;
  balanceCents: number | string; instalmentCount: number | null; frequency: Frequency | null; payBy: unknown; expiresOn: unknown; status: string;
  createdAt: unknown; acceptedAt: unknown;
}

export function offerOut(o: OfferRow, currency = 'USD') {
  const amount = Number(o.amountCents);
  return {
    id: o.publicId,
    kind: o.kind,
    percent: o.percentBps === null ? null : o.percentBps / 100,
    amount: { amountCents: amount, currency },
    balance: { amountCents: Number(o.balanceCents), currency },
    savings: { amountCents: Number(o.balanceCents) - amount, currency },
    instalments: o.instalmentCount,
    instalmentAmountCents: o.instalmentCount ? Math.floor(amount / o.instalmentCount) : null,
    frequency: o.frequency,
    payBy: toDateOnly(o.payBy),
    expiresOn: toDateOnly(o.expiresOn)!,
    status: o.status,
    createdAt: toIso(o.createdAt)!,
  };
}
export type OfferOut = ReturnType<typeof offerOut>;

export type OfferInput =
  | { kind: 'settlement'; percent: number; payBy: string; expiresOn?: string | undefined }
  | { kind: 'plan'; instalments: number; frequency: Frequency; expiresOn: string };

export async function createOffer(trx: Trx, caller: Caller, accountPublicId: string, input: OfferInput, meta: RequestMeta, now: Date): Promise<OfferOut> {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const account = (await payableAccounts(trx).where('accounts.id', accountId).first('accounts.client_id', 'accounts.balance_cents', 'accounts.currency')) as { clientId: number; balanceCents: number | string; currency: string } | undefined;
  if (!account || Number(account.balanceCents) <= 0) throw new AppError(409, 'account_not_payable', 'This account cannot take offers in its current status or balance.');
  const balance = Number(account.balanceCents);
  const expiresOn = input.kind === 'settlement' ? input.expiresOn ?? input.payBy : input.expiresOn;
  if (expiresOn < todayIso(now)) throw badRequest('validation_failed', 'The offer would already be expired.', [{ path: 'expiresOn', code: 'in_past', message: 'Choose today or a later date.' }]);
  if (input.kind === 'settlement' && input.payBy < expiresOn) throw badRequest('validation_failed', 'The pay-by date is before the offer expires.', [{ path: 'payBy', code: 'before_expiry', message: 'The pay-by date must not be before the expiry date.' }]);
  const publicId = newId('offer');
  const row = {
    publicId, accountId, clientId: account.clientId, kind: input.kind,
    percentBps: input.kind === 'settlement' ? Math.round(input.percent * 100) : null,
    // a settlement rounds up to the cent, in the creditor's favour
    amountCents: input.kind === 'settlement' ? Math.ceil((balance * Math.round(input.percent * 100)) / 10_000) : balance,
    balanceCents: balance,
    instalmentCount: input.kind === 'plan' ? input.instalments : null,
    frequency: input.kind === 'plan' ? input.frequency : null,
    payBy: input.kind === 'settlement' ? input.payBy : null,
    expiresOn, status: 'open', createdByUserId: caller.userId, createdAt: now,
  };
  await trx('offers').insert(row);
  await writeAudit(trx, { actor: meta.actor, action: 'offer.created', target: { type: 'offer', id: publicId }, ip: meta.ip, requestId: meta.requestId, after: { ...row, account: accountPublicId } });
  await appendEvent(trx, { type: 'offer.created', clientId: account.clientId, accountId, visibility: 'client', payload: { offer: publicId, kind: input.kind, amountCents: row.amountCents }, actor: meta.actor });
  return offerOut({ ...row, id: 0, acceptedAt: null } as OfferRow, account.currency);
}

export async function openOffers(trx: Trx, accountId: number, now: Date): Promise<OfferOut[]> {
  const rows = (await trx('offers').where({ accountId, status: 'open' }).where('expires_on', '>=', todayIso(now)).orderBy('id').select()) as OfferRow[];
  return rows.map((o) => offerOut(o));
}

async function loadOpenOffer(trx: Trx, accountId: number, publicId: string, now: Date): Promise<OfferRow> {
  const o = (await trx('offers').where({ publicId, accountId }).first()) as OfferRow | undefined;
  if (!o) throw notFound('Offer');
  if (o.status !== 'open' || toDateOnly(o.expiresOn)! < todayIso(now)) throw said(409, 'offer_not_open', 'offerNotOpen');
  return o;
}

export interface AcceptInput { lang?: 'en' | 'es' | undefined; paymentMethodId: string; startDate?: string | undefined; email?: string | undefined }

interface OfferPlan { offer: OfferRow; accountId: number; clientId: number; method: { id: number; publicId: string; kind: string; brand: string; last4: string }; charges: { date: string; amountCents: number }[]; facts: AgreementFacts }

async function planOffer(trx: Trx, session: DebtorSession, offerId: string, input: AcceptInput, now: Date): Promise<OfferPlan> {
  const account = await debtorAccountId(trx, session.accountId);
  const offer = await loadOpenOffer(trx, account.id, offerId, now);
  const balance = await lockAccountBalance(trx, account.id);
  if (await trx('payment_plans').where({ accountId: account.id }).whereIn('status', ['active', 'paused']).first('id')) throw said(409, 'plan_active', 'planActive');
  if ((await committedCents(trx, account.id)) > 0) throw said(409, 'payments_scheduled', 'paymentsScheduled');
  if (balance < Number(offer.balanceCents) * 0.5 || balance <= 0) throw said(409, 'offer_not_open', 'balanceChanged');
  const method = (await trx('payment_methods').where({ publicId: input.paymentMethodId, accountId: account.id }).first('id', 'public_id', 'kind', 'brand', 'last4')) as OfferPlan['method'] | undefined;
  if (!method) throw said(400, 'validation_failed', 'chooseMethod', {}, [fieldSaid('paymentMethodId', 'not_found', 'methodNotOnAccount')]);
  const today = todayIso(now);
  const start = input.startDate ?? today;
  if (start < today) throw said(400, 'validation_failed', 'firstDateInPast', {}, [fieldSaid('startDate', 'in_past', 'chooseTodayOrLater')]);
  const latest = offer.kind === 'settlement' ? toDateOnly(offer.payBy)! : addDays(today, 30);
  if (start > latest) throw said(400, 'validation_failed', 'firstDateTooLate', {}, [fieldSaid('startDate', 'too_far', 'chooseDateUpTo', { date: latest })]);
  // the amount is what the offer says, but never more than what is owed now
  const total = Math.min(Number(offer.amountCents), balance);
  const charges = offer.kind === 'settlement' ? [{ date: start, amountCents: total }] : instalmentSchedule(total, offer.instalmentCount!, offer.frequency!, start);
  const acct = (await trx('accounts').join('clients', 'clients.id', 'accounts.client_id').where('accounts.id', account.id).first('accounts.debtor_name', 'accounts.agency_account_number', 'accounts.currency', 'clients.name as client_name')) as { debtorName: string; agencyAccountNumber: string; currency: string; clientName: string };
  const settings = await getPaySettings(trx);
  const facts: AgreementFacts = {
    kind: offer.kind === 'settlement' ? 'settlement' : 'plan', agencyName: settings.agencyName, creditor: acct.clientName, accountNumber: acct.agencyAccountNumber,
    payerName: acct.debtorName, currency: acct.currency, method: { kind: method.kind, brand: method.brand, last4: method.last4 }, charges,
    settlesBalanceCents: offer.kind === 'settlement' ? balance : undefined, lang: input.lang,
  };
  return { offer, accountId: account.id, clientId: account.clientId, method, charges, facts };
}

export async function previewOffer(trx: Trx, session: DebtorSession, offerId: string, input: AcceptInput, now: Date) {
  const p = await planOffer(trx, session, offerId, input, now);
  return { offer: offerOut(p.offer), schedule: p.charges, agreement: renderAgreement(p.facts) };
}

export interface AcceptedOffer { offer: OfferOut; planId: string | null; payments: PaymentOut[] }

export async function acceptOffer(deps: AppDeps, session: DebtorSession, offerId: string, input: AcceptInput & { agreement: Signature }, meta: RequestMeta, now: Date): Promise<AcceptedOffer> {
  const today = todayIso(now);
  const { offerRow, planId, paymentIds } = await deps.db.transaction(async (trx) => {
    const p = await planOffer(trx, session, offerId, input, now);
    const taken = await trx('offers').where({ id: p.offer.id, status: 'open' }).update({ status: 'accepted', acceptedAt: now });
    if (!taken) throw said(409, 'offer_not_open', 'offerNotOpen');
    const agreementId = await recordAgreement(trx, p.accountId, p.facts.kind, p.facts, input.agreement, meta, now);
    const planPublicId = p.offer.kind === 'plan' ? newId('plan') : null;
    if (planPublicId) {
      await trx('payment_plans').insert({
        publicId: planPublicId, accountId: p.accountId, clientId: p.clientId, offerId: p.offer.id, paymentMethodId: p.method.id, agreementPublicId: agreementId,
        instalmentCount: p.charges.length, totalCents: p.charges.reduce((s, c) => s + c.amountCents, 0), frequency: p.offer.frequency, status: 'active', createdAt: now,
      });
    }
    const ids: number[] = [];
    for (const [i, c] of p.charges.entries()) {
      const publicId = newId('pay');
      const due = c.date <= today;
      await trx('payments').insert({
        publicId, accountId: p.accountId, clientId: p.clientId, kind: planPublicId ? 'instalment' : 'settlement', amountCents: c.amountCents, currency: p.facts.currency,
        status: due ? 'pending' : 'scheduled', paymentMethodId: p.method.id, methodKind: p.method.kind, methodBrand: p.method.brand, methodLast4: p.method.last4,
        // one charge per instalment, one per attempt at a settlement (a declined attempt reopens the
        // offer, and the next one signs a new agreement): the key is unique in payments and at the gateway
        chargeKey: planPublicId ? `plan:${planPublicId}:${i + 1}` : `offer:${p.offer.publicId}:${agreementId}`,
        scheduledFor: c.date, attempts: 0, planPublicId, instalmentNumber: planPublicId ? i + 1 : null, agreementPublicId: agreementId,
        payerEmail: input.email ?? null, createdAt: now, updatedAt: now,
      });
      ids.push(((await trx('payments').where({ publicId }).first('id')) as { id: number }).id);
    }
    // saved for the instalments to come
    await trx('payment_methods').where({ id: p.method.id }).update({ saved: true });
    await writeAudit(trx, { actor: debtorActor(session), action: 'offer.accepted', target: { type: 'offer', id: p.offer.publicId }, ip: meta.ip, requestId: meta.requestId, after: { agreement: agreementId, plan: planPublicId, schedule: p.charges, method: p.method.publicId } });
    await appendEvent(trx, { type: 'offer.accepted', clientId: p.clientId, accountId: p.accountId, visibility: 'client', payload: { offer: p.offer.publicId, kind: p.offer.kind, plan: planPublicId, schedule: p.charges }, actor: debtorActor(session) });
    // the agreement copy with the schedule and the authorisation
    const contact = await debtorContact(trx, p.accountId);
    const agreement = renderAgreement(p.facts);
    const lang = agreement.lang;
    const signed = { name: contact.name, signedAs: input.agreement.typedName.trim(), date: longDate(now.toISOString(), lang) };
    await enqueueDebtorEmail(trx, p.accountId, input.email ?? contact.email, contact.partyId, 'pay.agreement', `pay.agreement:${agreementId}`,
      say(lang, 'notices', p.offer.kind === 'plan' ? 'agreementSubjectPlan' : 'agreementSubjectSettlement', { agency: p.facts.agencyName }), [
        say(lang, 'notices', contact.name ? 'agreementCopyName' : 'agreementCopy', signed),
        agreement.text,
        ...(p.charges.length > 1 ? [`${say(lang, 'notices', 'agreementSchedule')}\n${p.charges.map((c, i) => say(lang, 'notices', 'scheduleLine', { n: i + 1, date: longDate(c.date, lang), amount: money(c.amountCents, p.facts.currency, lang) })).join('\n')}`] : []),
      ]);
    return { offerRow: (await trx('offers').where({ id: p.offer.id }).first()) as OfferRow, planId: planPublicId, paymentIds: ids };
  });
  const payments: PaymentOut[] = [];
  for (const id of paymentIds) {
    const row = (await deps.db('payments').where({ id }).first()) as PaymentRow;
    // charged in front of the debtor: a decline is answered now (offer open again), never retried silently
    payments.push(row.status === 'pending' ? await chargeAndFinalize(deps, id, now, { attended: true }) : paymentOut(row));
  }
  const firstDeclined = payments[0] && (payments[0].status === 'declined' || payments[0].status === 'failed');
  if (firstDeclined) {
    const reread = await Promise.all(paymentIds.map(async (id) => paymentOut((await deps.db('payments').where({ id }).first()) as PaymentRow)));
    const offer = (await deps.db('offers').where({ id: offerRow.id }).first()) as OfferRow;
    return { offer: offerOut(offer), planId, payments: reread };
  }
  return { offer: offerOut(offerRow), planId, payments };
}

/** Plan statuses as the debtor reads them: Paid / Pending / Declined (and Cancelled). */
const PLAN_STATUS: Record<string, string> = { succeeded: 'paid', scheduled: 'pending', pending: 'pending', declined: 'declined', failed: 'declined', cancelled: 'cancelled' };

export async function getPlan(trx: Trx, accountId: number, planPublicId: string) {
  const plan = (await trx('payment_plans').where({ publicId: planPublicId, accountId }).first()) as
    | { id: number; publicId: string; status: string; instalmentCount: number; totalCents: number | string; frequency: string; agreementPublicId: string; createdAt: unknown; cancelledAt: unknown }
    | undefined;
  if (!plan) throw notFound('Plan');
  const rows = (await trx('payments').where({ planPublicId }).orderBy('instalment_number').select()) as PaymentRow[];
  return {
    id: plan.publicId, status: plan.status, instalments: plan.instalmentCount, total: { amountCents: Number(plan.totalCents), currency: 'USD' }, frequency: plan.frequency,
    agreementId: plan.agreementPublicId, createdAt: toIso(plan.createdAt)!, cancelledAt: toIso(plan.cancelledAt),
    schedule: rows.map((r) => ({ ...paymentOut(r), planStatus: PLAN_STATUS[r.status] ?? r.status })),
  };
}

export async function debtorPlan(trx: Trx, session: DebtorSession, planPublicId: string) {
  return getPlan(trx, (await debtorAccountId(trx, session.accountId)).id, planPublicId);
}

/** Cancels a plan: remaining instalments stop, and the debtor gets a cancellation notice. */
export async function cancelPlan(trx: Trx, accountId: number, planPublicId: string, by: { actor: RequestMeta['actor']; reason: string }, meta: RequestMeta, now: Date) {
  const q = trx('payment_plans').where({ publicId: planPublicId, accountId });
  if (isMysql(trx)) q.forUpdate();
  const plan = (await q.first()) as { id: number; status: string; clientId: number } | undefined;
  if (!plan) throw notFound('Plan');
  if (plan.status !== 'active' && plan.status !== 'paused') throw said(409, 'plan_not_active', 'planNotActive');
  const stopped = await trx('payments').where({ planPublicId, status: 'scheduled' }).update({ status: 'cancelled', updatedAt: now, completedAt: now });
  await trx('payment_plans').where({ id: plan.id }).update({ status: 'cancelled', cancelReason: by.reason.slice(0, 200), cancelledAt: now });
  await writeAudit(trx, { actor: by.actor, action: 'plan.cancelled', target: { type: 'plan', id: planPublicId }, ip: meta.ip, requestId: meta.requestId, before: { status: plan.status }, after: { status: 'cancelled', instalmentsStopped: stopped, reason: by.reason } });
  await appendEvent(trx, { type: 'plan.cancelled', clientId: plan.clientId, accountId, visibility: 'client', payload: { plan: planPublicId, instalmentsStopped: stopped, reason: by.reason }, actor: by.actor });
  const contact = await debtorContact(trx, accountId);
  const settings = await getPaySettings(trx);
  const lang = contact.lang;
  await enqueueDebtorEmail(trx, accountId, contact.email, contact.partyId, 'pay.plan_cancelled', `pay.plan_cancelled:${planPublicId}`, say(lang, 'notices', 'planCancelledSubject', { agency: settings.agencyName }), [
    say(lang, 'notices', stopped === 1 ? 'planCancelledBodyOne' : 'planCancelledBody', { account: contact.accountNumber, creditor: contact.creditor, n: stopped }),
    say(lang, 'notices', 'planCancelledKept'),
  ]);
  return getPlan(trx, accountId, planPublicId);
}
