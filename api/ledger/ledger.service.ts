/**
 * The ledger rules. A payment or adjustment locks the account row, reads the balance components,
 * computes signed deltas, appends one `transactions` row and applies the deltas to
 * `account_balances` and `accounts.balance_cents` — all in the caller's transaction, with the audit
 * row, the timeline entry and the event. Nothing here can take a balance below zero: a payment or
 * credit larger than what is owed is refused, and a write-off takes it to exactly zero at most.
 */
import type { Trx } from '../platform/db.js';
import { now as dbNow, toDateOnly, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { AppError, badRequest, conflict } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { formatCents, lockAccount, recordActivity, type LockedAccount } from '../accounts/account-write.js';
import { COMPONENTS, type AdjustmentInput, type Component, type PaymentInput } from './ledger.schema.js';

type Balances = Record<Component, number>;
type Deltas = Record<Component, number>;

/** Money paid or credited settles costs, then fees, then interest, then principal. */
const SETTLE_ORDER: Component[] = ['costs', 'fees', 'interest', 'principal'];

const zeroDeltas = (): Deltas => ({ principal: 0, interest: 0, fees: 0, costs: 0 });
const total = (b: Balances) => COMPONENTS.reduce((s, c) => s + b[c], 0);

async function readBalances(trx: Trx, accountId: number): Promise<Balances> {
  const rows = (await trx('account_balances').where({ accountId }).select('component', 'current_cents')) as { component: Component; currentCents: number | string }[];
  const b: Balances = { principal: 0, interest: 0, fees: 0, costs: 0 };
  for (const r of rows) b[r.component] = Number(r.currentCents);
  return b;
}

/** Takes `amount` off the balance in settle order; the caller has checked it does not exceed the total. */
function settle(b: Balances, amount: number): Deltas {
  const d = zeroDeltas();
  let left = amount;
  for (const c of SETTLE_ORDER) {
    const take = Math.min(b[c], left);
    d[c] = take === 0 ? 0 : -take; // no -0 in JSON
    left -= take;
  }
  return d;
}

const exceedsBalance = (what: string, amount: number, balance: number, currency: string) =>
  new AppError(422, 'exceeds_balance', `The ${what} of ${formatCents(amount, currency)} is more than the balance of ${formatCents(balance, currency)}; the balance cannot go below zero. To clear a balance without payment, post a write-off.`);

function notInFuture(date: string, now: Date, field: string): void {
  if (date > now.toISOString().slice(0, 10)) {
    throw badRequest('validation_failed', 'The date cannot be in the future.', [{ path: field, code: 'too_big', message: 'The date cannot be in the future.' }]);
  }
}

interface Posting {
  kind: 'payment' | 'credit' | 'write_off' | 'correction';
  amountCents: number;
  deltas: Deltas;
  effectiveOn: string;
  method?: string | null;
  reference?: string | null;
  reason?: string | null;
  activity: string;
}

/** Appends the transaction, applies it to the balances, and writes audit, timeline and event. */
async function post(trx: Trx, caller: Caller, meta: RequestMeta, account: LockedAccount, before: Balances, p: Posting, now: Date) {
  const after = { ...before };
  for (const c of COMPONENTS) after[c] += p.deltas[c];
  const balanceAfter = total(after);
  const paidDelta = p.kind === 'payment' ? p.amountCents : 0;
  const publicId = newId('txn');
  await trx('transactions').insert({
    publicId, accountId: account.id, clientId: account.clientId, kind: p.kind, amountCents: p.amountCents, currency: account.currency,
    principalDeltaCents: p.deltas.principal, interestDeltaCents: p.deltas.interest, feesDeltaCents: p.deltas.fees, costsDeltaCents: p.deltas.costs,
    balanceAfterCents: balanceAfter, effectiveDate: p.effectiveOn, method: p.method ?? null, reference: p.reference ?? null,
    reason: p.reason ?? null, createdByUserId: caller.userId, createdAt: now,
  });
  for (const c of COMPONENTS) {
    if (p.deltas[c] !== 0) await trx('account_balances').where({ accountId: account.id, component: c }).update({ currentCents: after[c] });
  }
  await trx('accounts').where({ id: account.id }).update({ balanceCents: balanceAfter, paidToDateCents: account.paidToDateCents + paidDelta });
  await recordActivity(trx, caller, { accountId: account.id, type: p.kind === 'payment' ? 'payment' : 'adjustment', visibility: 'client', body: p.activity }, now);
  const target = { type: 'account', id: account.publicId };
  await writeAudit(trx, {
    actor: meta.actor, action: p.kind === 'payment' ? 'account.payment_reported' : 'account.adjustment_posted', target, ip: meta.ip, requestId: meta.requestId,
    before: { balanceCents: total(before), components: before },
    after: { transactionId: publicId, kind: p.kind, amountCents: p.amountCents, balanceCents: balanceAfter, components: after },
  });
  await appendEvent(trx, {
    type: p.kind === 'payment' ? 'account.payment_reported' : 'account.adjusted', clientId: account.clientId, accountId: account.id, visibility: 'client',
    payload: { accountId: account.publicId, transactionId: publicId, kind: p.kind, amountCents: p.amountCents, balanceCents: balanceAfter },
    actor: meta.actor,
  });
  return getTransaction(trx, publicId);
}

export async function reportPayment(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, input: PaymentInput, now: Date = dbNow()) {
  notInFuture(input.paidOn, now, 'paidOn');
  const account = await lockAccount(trx, caller, accountPublicId);
  const before = await readBalances(trx, account.id);
  if (input.amountCents > total(before)) throw exceedsBalance('payment', input.amountCents, total(before), account.currency);
  const ref = input.reference ? ` (${input.method}, ref ${input.reference})` : ` (${input.method})`;
  return post(trx, caller, meta, account, before, {
    kind: 'payment', amountCents: input.amountCents, deltas: settle(before, input.amountCents), effectiveOn: input.paidOn,
    method: input.method, reference: input.reference ?? null, reason: input.note ?? null,
    activity: `Direct payment of ${formatCents(input.amountCents, account.currency)} reported, paid ${input.paidOn}${ref}.`,
  }, now);
}

export async function postAdjustment(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, input: AdjustmentInput, now: Date = dbNow()) {
  const effectiveOn = input.effectiveOn ?? now.toISOString().slice(0, 10);
  notInFuture(effectiveOn, now, 'effectiveOn');
  const account = await lockAccount(trx, caller, accountPublicId);
  const before = await readBalances(trx, account.id);
  const balance = total(before);
  const money = (n: number) => formatCents(n, account.currency);
  let amountCents: number;
  let deltas: Deltas;
  let activity: string;
  if (input.type === 'correction') {
    if (before[input.component] + input.deltaCents < 0) {
      throw new AppError(422, 'exceeds_balance', `The ${input.component} is ${money(before[input.component])}; a correction of ${money(input.deltaCents)} would take it below zero.`);
    }
    amountCents = Math.abs(input.deltaCents);
    deltas = { ...zeroDeltas(), [input.component]: input.deltaCents };
    activity = `Balance correction: ${input.component} ${input.deltaCents > 0 ? 'increased' : 'reduced'} by ${money(amountCents)}. Reason: ${input.reason}`;
  } else {
    if (balance === 0) throw conflict('nothing_owed', 'The balance is already zero.');
    amountCents = input.type === 'write_off' ? (input.amountCents ?? balance) : input.amountCents;
    if (amountCents > balance) throw exceedsBalance(input.type === 'credit' ? 'credit' : 'write-off', amountCents, balance, account.currency);
    deltas = settle(before, amountCents);
    activity = `${input.type === 'credit' ? 'Credit' : 'Write-off'} of ${money(amountCents)}. Reason: ${input.reason}`;
  }
  return post(trx, caller, meta, account, before, { kind: input.type, amountCents, deltas, effectiveOn, reason: input.reason, activity }, now);
}

interface TransactionRow {
  publicId: string;
  accountPublicId: string;
  kind: 'payment' | 'credit' | 'write_off' | 'correction';
  amountCents: number | string;
  currency: string;
  principalDeltaCents: number | string;
  interestDeltaCents: number | string;
  feesDeltaCents: number | string;
  costsDeltaCents: number | string;
  balanceAfterCents: number | string;
  effectiveDate: unknown;
  method: string | null;
  reference: string | null;
  reason: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: unknown;
}

const COLUMNS = [
  'transactions.*', 'accounts.public_id as account_public_id', 'users.first_name', 'users.last_name',
];

function toTransaction(r: TransactionRow) {
  return {
    id: r.publicId,
    accountId: r.accountPublicId,
    kind: r.kind,
    amount: { amountCents: Number(r.amountCents), currency: r.currency },
    deltas: { principalCents: Number(r.principalDeltaCents), interestCents: Number(r.interestDeltaCents), feesCents: Number(r.feesDeltaCents), costsCents: Number(r.costsDeltaCents) },
    balanceAfter: { amountCents: Number(r.balanceAfterCents), currency: r.currency },
    effectiveOn: toDateOnly(r.effectiveDate)!,
    method: r.method as never,
    reference: r.reference,
    reason: r.reason,
    createdBy: r.firstName ? `${r.firstName} ${r.lastName}` : null,
    createdAt: toIso(r.createdAt)!,
  };
}

async function getTransaction(trx: Trx, publicId: string) {
  const row = (await trx('transactions')
    .join('accounts', 'accounts.id', 'transactions.account_id')
    .leftJoin('users', 'users.id', 'transactions.created_by_user_id')
    .where('transactions.public_id', publicId)
    .first(COLUMNS)) as TransactionRow;
  return toTransaction(row);
}

export async function listTransactions(trx: Trx, caller: Caller, accountPublicId: string, q: { kind?: string; page: number; pageSize: number }) {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const base = trx('transactions').where('transactions.account_id', accountId);
  if (q.kind) base.where('transactions.kind', q.kind);
  const [rows, [{ n }]] = (await Promise.all([
    base.clone()
      .join('accounts', 'accounts.id', 'transactions.account_id')
      .leftJoin('users', 'users.id', 'transactions.created_by_user_id')
      .select(COLUMNS).orderBy('transactions.id', 'desc').limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    base.clone().count({ n: '*' }),
  ])) as [TransactionRow[], { n: number | string }[]];
  return { data: rows.map(toTransaction), total: Number(n), page: q.page, pageSize: q.pageSize };
}
