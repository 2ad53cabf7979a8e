/**
 * The agency console's side of offers and plans: every offer and plan across accounts (filtered by
 * account, client and status, limited to the caller's clients), and editing or withdrawing an offer
 * the debtor has not taken yet. Making offers and cancelling plans stay in offers.service.ts.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { toDateOnly, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { badRequest, conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { resolveAccountId, resolveClientId } from '../accounts/accounts.scope.js';
import { offerOut } from './offers.service.js';
import { paymentOut, type PaymentRow } from './payments.service.js';
import { todayIso } from './schedule.js';

interface Filters { accountId?: string | undefined; clientId?: string | undefined; status?: string | undefined; page: number; pageSize: number }

interface Refs { accountPublicId: string; agencyAccountNumber: string; debtorName: string; clientPublicId: string; clientName: string; currency: string }

const refs = (r: Refs) => ({
  account: { id: r.accountPublicId, agencyAccountNumber: r.agencyAccountNumber, debtorName: r.debtorName },
  client: { id: r.clientPublicId, name: r.clientName },
});

/** The internal ids of the account and client filters (404 for one the caller may not see). */
async function filterIds(trx: Trx, caller: Caller, f: Pick<Filters, 'accountId' | 'clientId'>): Promise<{ account?: number; client?: number }> {
  return {
    ...(f.accountId ? { account: await resolveAccountId(trx, caller, f.accountId) } : {}),
    ...(f.clientId ? { client: await resolveClientId(trx, caller, f.clientId) } : {}),
  };
}

/**
 * `table` joined to its account and client, limited to the caller's clients and the filters. Not
 * async on purpose: a query builder is a thenable, so an async function returning one would run it.
 */
function scoped(trx: Trx, caller: Caller, table: 'offers' | 'payment_plans', ids: { account?: number; client?: number }, status?: string): Knex.QueryBuilder {
  const q = trx(table)
    .join('accounts', 'accounts.id', `${table}.account_id`)
    .join('clients', 'clients.id', `${table}.client_id`);
  if (caller.clientIds !== 'all') q.whereIn(`${table}.client_id`, caller.clientIds.length ? [...caller.clientIds] : [-1]);
  if (ids.account !== undefined) q.where(`${table}.account_id`, ids.account);
  if (ids.client !== undefined) q.where(`${table}.client_id`, ids.client);
  if (status) q.where(`${table}.status`, status);
  return q;
}

const REF_COLUMNS = [
  'accounts.public_id as account_public_id', 'accounts.agency_account_number', 'accounts.debtor_name', 'accounts.currency',
  'clients.public_id as client_public_id', 'clients.name as client_name',
];

async function page<T>(q: Knex.QueryBuilder, table: string, f: Filters): Promise<{ rows: T[]; total: number }> {
  const [rows, counted] = (await Promise.all([
    q.clone().select(`${table}.*`, ...REF_COLUMNS).orderBy(`${table}.id`, 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize),
    q.clone().count({ n: '*' }),
  ])) as [T[], { n: unknown }[]];
  return { rows, total: Number(counted[0]?.n ?? 0) };
}

type OfferRow = Parameters<typeof offerOut>[0] & Refs;

export async function listOffers(trx: Trx, caller: Caller, f: Filters) {
  const { rows, total } = await page<OfferRow>(scoped(trx, caller, 'offers', await filterIds(trx, caller, f), f.status), 'offers', f);
  return { data: rows.map((o) => ({ ...offerOut(o, o.currency), ...refs(o) })), total, page: f.page, pageSize: f.pageSize };
}

export interface OfferEdit {
  percent?: number | undefined; payBy?: string | undefined; instalments?: number | undefined;
  frequency?: 'weekly' | 'biweekly' | 'monthly' | undefined; expiresOn?: string | undefined; status?: 'withdrawn' | undefined;
}

const invalid = (path: string, message: string) => badRequest('validation_failed', message, [{ path, code: 'invalid', message }]);

/** Changes the terms of an open offer, or withdraws it. A taken, expired or withdrawn offer is a 409. */
export async function editOffer(trx: Trx, caller: Caller, publicId: string, input: OfferEdit, meta: RequestMeta, now: Date) {
  const found = (await scoped(trx, caller, 'offers', {}).where('offers.public_id', publicId).first('offers.*', ...REF_COLUMNS)) as OfferRow | undefined;
  if (!found) throw notFound('Offer');
  if (found.status !== 'open') throw conflict('offer_not_open', 'Only an open offer can be changed.');
  const settlement = found.kind === 'settlement';
  if (settlement && (input.instalments !== undefined || input.frequency !== undefined)) throw invalid('instalments', 'A settlement offer has no instalments.');
  if (!settlement && (input.percent !== undefined || input.payBy !== undefined)) throw invalid('percent', 'A plan offer has no percentage or pay-by date.');
  const update: Record<string, unknown> = {};
  if (input.status === 'withdrawn') update.status = 'withdrawn';
  else {
    if (input.percent !== undefined) {
      update.percentBps = Math.round(input.percent * 100);
      update.amountCents = Math.ceil((Number(found.balanceCents) * (update.percentBps as number)) / 10_000);
    }
    if (input.payBy !== undefined) update.payBy = input.payBy;
    if (input.instalments !== undefined) update.instalmentCount = input.instalments;
    if (input.frequency !== undefined) update.frequency = input.frequency;
    if (input.expiresOn !== undefined) update.expiresOn = input.expiresOn;
    const expires = (update.expiresOn as string | undefined) ?? toDateOnly(found.expiresOn)!;
    if (input.expiresOn !== undefined && expires < todayIso(now)) throw invalid('expiresOn', 'Choose today or a later date.');
    if (settlement && ((update.payBy as string | undefined) ?? toDateOnly(found.payBy)!) < expires) throw invalid('payBy', 'The pay-by date must not be before the expiry date.');
  }
  if (!Object.keys(update).length) return { ...offerOut(found, found.currency), ...refs(found) };
  // only while still open: a debtor accepting at the same moment wins or loses cleanly
  const changed = await trx('offers').where({ publicId, status: 'open' }).update(update);
  if (!changed) throw conflict('offer_not_open', 'Only an open offer can be changed.');
  const before = { percentBps: found.percentBps, amountCents: Number(found.amountCents), payBy: toDateOnly(found.payBy), instalmentCount: found.instalmentCount, frequency: found.frequency, expiresOn: toDateOnly(found.expiresOn), status: found.status };
  await writeAudit(trx, {
    actor: meta.actor, action: input.status === 'withdrawn' ? 'offer.withdrawn' : 'offer.updated', target: { type: 'offer', id: publicId },
    ip: meta.ip, requestId: meta.requestId, before, after: update,
  });
  const row = (await scoped(trx, caller, 'offers', {}).where('offers.public_id', publicId).first('offers.*', ...REF_COLUMNS)) as OfferRow;
  return { ...offerOut(row, row.currency), ...refs(row) };
}

interface PlanRow extends Refs {
  publicId: string; status: string; instalmentCount: number; totalCents: number | string; frequency: string;
  createdAt: unknown; cancelledAt: unknown; cancelReason: string | null; pausedAt: unknown;
}

/** Paid / Pending / Declined (with the retry date while a retry is due) / Cancelled. */
function planStatus(p: PaymentRow): { planStatus: 'paid' | 'pending' | 'declined' | 'cancelled'; retryOn: string | null } {
  if (p.status === 'succeeded') return { planStatus: 'paid', retryOn: null };
  if (p.status === 'cancelled') return { planStatus: 'cancelled', retryOn: null };
  if (p.status === 'declined' || p.status === 'failed') return { planStatus: 'declined', retryOn: null };
  // a declined instalment waiting for its retry is scheduled again, with the decline kept
  if (p.status === 'scheduled' && p.declineCode) return { planStatus: 'declined', retryOn: toDateOnly(p.scheduledFor) };
  return { planStatus: 'pending', retryOn: null };
}

export async function listPlans(trx: Trx, caller: Caller, f: Filters) {
  const { rows, total } = await page<PlanRow>(scoped(trx, caller, 'payment_plans', await filterIds(trx, caller, f), f.status), 'payment_plans', f);
  const ids = rows.map((r) => r.publicId);
  const payments = (ids.length ? await trx('payments').whereIn('plan_public_id', ids).orderBy('instalment_number').select() : []) as PaymentRow[];
  return {
    data: rows.map((r) => {
      const schedule = payments.filter((p) => p.planPublicId === r.publicId).map((p) => ({ ...paymentOut(p), ...planStatus(p) }));
      const paid = schedule.filter((s) => s.planStatus === 'paid').reduce((sum, s) => sum + s.amount.amountCents, 0);
      return {
        id: r.publicId, status: r.status, ...refs(r), instalments: Number(r.instalmentCount), total: { amountCents: Number(r.totalCents), currency: r.currency },
        frequency: r.frequency, createdAt: toIso(r.createdAt)!, cancelledAt: toIso(r.cancelledAt), cancelReason: r.cancelReason, pausedAt: toIso(r.pausedAt),
        paid: { amountCents: paid, currency: r.currency }, schedule,
      };
    }),
    total, page: f.page, pageSize: f.pageSize,
  };
}
