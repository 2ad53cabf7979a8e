/**
 * Pausing and resuming a payment plan (agency side). While a plan is `paused` the scheduler charges
 * none of its instalments (pay.jobs.ts skips them, and a charge job that raced the pause lets go of
 * its payment). Resuming moves every remaining instalment later by the whole days the plan was
 * paused, so the intervals of the signed schedule stay and nothing falls due in a burst.
 */
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import type { RequestMeta } from '../platform/http/context.js';
import { conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { getPlan } from './offers.service.js';
import { addDays, daysBetween, todayIso } from './schedule.js';

interface PlanRow { id: number; status: string; clientId: number; pausedAt: unknown }

async function lockPlan(trx: Trx, accountId: number, planPublicId: string): Promise<PlanRow> {
  const q = trx('payment_plans').where({ publicId: planPublicId, accountId });
  if (isMysql(trx)) q.forUpdate();
  const plan = (await q.first('id', 'status', 'client_id', 'paused_at')) as PlanRow | undefined;
  if (!plan) throw notFound('Plan');
  return plan;
}

export async function pausePlan(trx: Trx, accountId: number, planPublicId: string, reason: string | undefined, meta: RequestMeta, now: Date) {
  const plan = await lockPlan(trx, accountId, planPublicId);
  if (plan.status !== 'active') throw conflict('plan_not_active', 'Only an active plan can be paused.');
  await trx('payment_plans').where({ id: plan.id, status: 'active' }).update({ status: 'paused', pausedAt: now });
  await writeAudit(trx, { actor: meta.actor, action: 'plan.paused', target: { type: 'plan', id: planPublicId }, ip: meta.ip, requestId: meta.requestId, before: { status: 'active' }, after: { status: 'paused', reason: reason ?? null } });
  await appendEvent(trx, { type: 'plan.paused', clientId: plan.clientId, accountId, visibility: 'client', payload: { plan: planPublicId, reason: reason ?? null }, actor: meta.actor });
  return getPlan(trx, accountId, planPublicId);
}

export async function resumePlan(trx: Trx, accountId: number, planPublicId: string, meta: RequestMeta, now: Date) {
  const plan = await lockPlan(trx, accountId, planPublicId);
  if (plan.status !== 'paused') throw conflict('plan_not_paused', 'This plan is not paused.');
  const shiftedDays = Math.max(0, daysBetween(toIso(plan.pausedAt)!.slice(0, 10), todayIso(now)));
  const waiting = (await trx('payments').where({ planPublicId, status: 'scheduled' }).select('id', 'public_id', 'attempts', 'scheduled_for')) as { id: number; publicId: string; attempts: number; scheduledFor: unknown }[];
  for (const p of waiting) {
    const from = toDateOnly(p.scheduledFor)!;
    if (shiftedDays) await trx('payments').where({ id: p.id, status: 'scheduled' }).update({ scheduledFor: addDays(from, shiftedDays), updatedAt: now });
    // a charge job that found the plan paused is finished; let the scheduler make a new one
    await trx('jobs').where({ dedupeKey: `pay.charge:${p.publicId}:${p.attempts}` }).whereIn('status', ['done', 'dead']).delete();
  }
  await trx('payment_plans').where({ id: plan.id, status: 'paused' }).update({ status: 'active', pausedAt: null });
  await writeAudit(trx, { actor: meta.actor, action: 'plan.resumed', target: { type: 'plan', id: planPublicId }, ip: meta.ip, requestId: meta.requestId, before: { status: 'paused', pausedAt: toIso(plan.pausedAt) }, after: { status: 'active', shiftedDays, instalments: waiting.length } });
  await appendEvent(trx, { type: 'plan.resumed', clientId: plan.clientId, accountId, visibility: 'client', payload: { plan: planPublicId, shiftedDays }, actor: meta.actor });
  return getPlan(trx, accountId, planPublicId);
}
