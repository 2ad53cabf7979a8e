/**
 * The payment scheduler, on the platform job runner (several API processes may run it):
 *  - ticker `pay.due-payments` enqueues one `pay.charge` job per due scheduled payment or instalment,
 *    with a dedupe key per attempt, so two runners produce each job once;
 *  - job `pay.charge` takes the payment by a conditional update (scheduled → pending: one winner),
 *    then charges with the payment's unique charge key (the gateway's idempotency key) and finalises;
 *  - ticker `pay.recover-pending` finishes payments whose process died mid-charge (same key again);
 *  - ticker `pay.offers` sends up to three reminders before an offer expires, then the expiry notice.
 */
import { longDate, money, say } from '../../i18n/catalogue.js';
import type { AppDeps } from '../platform/http/context.js';
import { defineJob, defineTicker, enqueueJob } from '../platform/jobs.js';
import { isMysql, toDateOnly } from '../platform/db.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { chargeAndFinalize, recoverPendingPayments } from './payments.service.js';
import { getPaySettings } from './pay.settings.js';
import { daysBetween, todayIso } from './schedule.js';
import { debtorContact, enqueueDebtorEmail } from './payment-notices.js';
import { now as clockNow } from '../platform/clock.js';

const BATCH = 2000;

export async function enqueueDuePayments(deps: AppDeps, now: Date): Promise<number> {
  const { db } = deps;
  // Only payments without their job yet, so a tick after the first costs one query.
  const key = isMysql(db) ? "concat('pay.charge:', payments.public_id, ':', payments.attempts)" : "'pay.charge:' || payments.public_id || ':' || payments.attempts";
  const due = (await db('payments').where({ status: 'scheduled' }).where('scheduled_for', '<=', todayIso(now))
    .whereNotExists(db('jobs').select(db.raw('1')).whereRaw(`jobs.dedupe_key = ${key}`))
    // instalments of a paused plan wait (plan-pause.service.ts)
    .whereNotExists(db('payment_plans').select(db.raw('1')).whereRaw('payment_plans.public_id = payments.plan_public_id').where('payment_plans.status', 'paused'))
    .orderBy('id').limit(BATCH).select('id', 'public_id', 'attempts')) as { id: number; publicId: string; attempts: number }[];
  // One short transaction per job: a long one would hold index locks the other runners' claims need.
  for (const p of due) {
    await enqueueJob(db, { type: 'pay.charge', payload: { payment: p.publicId, attempt: p.attempts }, dedupeKey: `pay.charge:${p.publicId}:${p.attempts}`, maxAttempts: 5 });
  }
  return due.length;
}

/** The job: take the payment (one runner wins), charge it, finalise. `attempt` guards against a stale job after a retry was rescheduled. */
export async function chargeDuePayment(deps: AppDeps, paymentPublicId: string, attempt: number, now: Date): Promise<void> {
  const row = (await deps.db('payments').where({ publicId: paymentPublicId }).first('id', 'status')) as { id: number; status: string } | undefined;
  if (!row) return;
  if (row.status === 'scheduled') {
    const taken = await deps.db('payments').where({ id: row.id, status: 'scheduled', attempts: attempt })
      // a plan paused after this job was queued: let go (resuming clears the job for a new one)
      .whereNotExists(deps.db('payment_plans').select(deps.db.raw('1')).whereRaw('payment_plans.public_id = payments.plan_public_id').where('payment_plans.status', 'paused'))
      .update({ status: 'pending', updatedAt: now });
    if (!taken) return; // another runner has it, or it was cancelled
  } else {
    return; // pending ones belong to a running charge; recovery takes them over if it died
  }
  await chargeAndFinalize(deps, row.id, now);
}

export async function offerReminders(deps: AppDeps, now: Date): Promise<void> {
  const today = todayIso(now);
  const settings = await getPaySettings(deps.db);
  const days = [...settings.offerReminderDays].slice(0, 3).sort((a, b) => a - b);
  const open = (await deps.db('offers').where({ status: 'open' }).orderBy('id').limit(BATCH).select()) as {
    id: number; publicId: string; accountId: number; clientId: number; kind: string; amountCents: number | string; expiresOn: unknown;
  }[];
  for (const o of open) {
    const expiresOn = toDateOnly(o.expiresOn)!;
    const left = daysBetween(today, expiresOn);
    await deps.db.transaction(async (trx) => {
      const contact = await debtorContact(trx, o.accountId);
      const lang = contact.lang;
      const what = o.kind === 'plan' ? say(lang, 'notices', 'offerPlanWhat') : say(lang, 'notices', 'offerSettlementWhat', { amount: money(Number(o.amountCents), 'USD', lang) });
      const words = { what, account: contact.accountNumber, creditor: contact.creditor, date: longDate(expiresOn, lang), agency: settings.agencyName };
      if (left < 0) {
        const expired = await trx('offers').where({ id: o.id, status: 'open' }).update({ status: 'expired' });
        if (!expired) return;
        await writeAudit(trx, { actor: { type: 'system', id: 'pay' }, action: 'offer.expired', target: { type: 'offer', id: o.publicId }, before: { status: 'open' }, after: { status: 'expired' } });
        await appendEvent(trx, { type: 'offer.expired', clientId: o.clientId, accountId: o.accountId, visibility: 'client', payload: { offer: o.publicId }, actor: { type: 'system', id: 'pay' } });
        await enqueueDebtorEmail(trx, o.accountId, contact.email, contact.partyId, 'pay.offer_expired', `pay.offer_expired:${o.publicId}`, say(lang, 'notices', 'offerExpiredSubject', words), [
          say(lang, 'notices', 'offerExpiredBody', words), say(lang, 'notices', 'offerExpiredNext'),
        ]);
        return;
      }
      // the nearest reminder day at or above the days left: at most one per configured day, three in all
      const day = days.find((d) => left <= d);
      if (day === undefined) return;
      await enqueueDebtorEmail(trx, o.accountId, contact.email, contact.partyId, 'pay.offer_reminder', `pay.offer_reminder:${o.publicId}:${day}`, say(lang, 'notices', 'offerReminderSubject', words), [
        say(lang, 'notices', 'offerReminderBody', { ...words, left: left === 0 ? say(lang, 'notices', 'offerToday') : left === 1 ? say(lang, 'notices', 'offerInOneDay') : say(lang, 'notices', 'offerInDays', { n: left }) }),
        say(lang, 'notices', 'offerReminderNext'),
      ]);
    });
  }
}

defineTicker('pay.due-payments', async (deps, now) => {
  await enqueueDuePayments(deps, now);
});
defineTicker('pay.recover-pending', async (deps, now) => {
  await recoverPendingPayments(deps, now);
});
defineTicker('pay.offers', offerReminders);
defineJob<{ payment: string; attempt: number }>('pay.charge', async (deps, payload) => chargeDuePayment(deps, payload.payment, payload.attempt, clockNow()));
