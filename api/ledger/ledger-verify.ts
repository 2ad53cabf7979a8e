/**
 * `admin ledger-verify`: proves, account by account, that the balances are what the ledger says
 * (the invariant in ledger-entries.ts). Reads in slices of account ids, so it runs on a large
 * database without holding it; reports the first mismatches and their count.
 */
import type { Db } from '../platform/db.js';
import { COMPONENTS, type Component } from './ledger.schema.js';
import { DELTA_COLUMN } from './ledger-entries.js';

export interface LedgerMismatch { account: string; agencyAccountNumber: string; problem: string }
export interface LedgerVerifyResult { ok: boolean; accounts: number; transactions: number; mismatchCount: number; mismatches: LedgerMismatch[] }

const SLICE = 5000;

export async function verifyLedger(db: Db, options: { keep?: number } = {}): Promise<LedgerVerifyResult> {
  const keep = options.keep ?? 50;
  const mismatches: LedgerMismatch[] = [];
  let mismatchCount = 0;
  let accounts = 0;
  let transactions = 0;
  let after = 0;
  for (;;) {
    const rows = (await db('accounts').where('id', '>', after).orderBy('id').limit(SLICE)
      .select('id', 'public_id', 'agency_account_number', 'balance_cents', 'paid_to_date_cents')) as
      { id: number; publicId: string; agencyAccountNumber: string; balanceCents: unknown; paidToDateCents: unknown }[];
    if (!rows.length) break;
    const lo = Number(rows[0]!.id);
    const hi = Number(rows[rows.length - 1]!.id);
    after = hi;
    accounts += rows.length;
    const balances = (await db('account_balances').whereBetween('account_id', [lo, hi]).select('account_id', 'component', 'original_cents', 'current_cents')) as
      { accountId: number; component: Component; originalCents: unknown; currentCents: unknown }[];
    const sums = (await db('transactions').whereBetween('account_id', [lo, hi]).groupBy('account_id').select(
      'account_id',
      db.raw('COUNT(*) as n'),
      db.raw(`SUM(CASE WHEN kind = 'payment' THEN amount_cents ELSE 0 END) as paid`),
      ...COMPONENTS.map((c) => db.raw(`SUM(${DELTA_COLUMN[c]}) as ${c}_delta`)),
    )) as ({ accountId: number; n: unknown; paid: unknown } & Record<string, unknown>)[];
    const byAccount = new Map(sums.map((s) => [Number(s.accountId), s]));
    const comps = new Map<number, typeof balances>();
    for (const b of balances) {
      const list = comps.get(Number(b.accountId)) ?? [];
      list.push(b);
      comps.set(Number(b.accountId), list);
    }
    for (const a of rows) {
      const id = Number(a.id);
      const ledger = byAccount.get(id);
      transactions += Number(ledger?.n ?? 0);
      const problems: string[] = [];
      let sumCurrent = 0;
      for (const b of comps.get(id) ?? []) {
        const delta = Number(ledger?.[`${b.component}Delta`] ?? 0);
        const expected = Number(b.originalCents) + delta;
        sumCurrent += Number(b.currentCents);
        if (Number(b.currentCents) !== expected) problems.push(`${b.component} is ${Number(b.currentCents)} but placed ${Number(b.originalCents)} + ledger ${delta} = ${expected}`);
      }
      for (const c of COMPONENTS) {
        const delta = Number(ledger?.[`${c}Delta`] ?? 0);
        if (delta !== 0 && !(comps.get(id) ?? []).some((b) => b.component === c)) problems.push(`the ledger moves ${c} by ${delta} but the account has no ${c} component`);
      }
      if (Number(a.balanceCents) !== sumCurrent) problems.push(`balance is ${Number(a.balanceCents)} but its components add up to ${sumCurrent}`);
      const paid = Number(ledger?.paid ?? 0);
      if (Number(a.paidToDateCents) !== paid) problems.push(`paid to date is ${Number(a.paidToDateCents)} but its payments add up to ${paid}`);
      if (problems.length) {
        mismatchCount++;
        if (mismatches.length < keep) mismatches.push({ account: a.publicId, agencyAccountNumber: a.agencyAccountNumber, problem: problems.join('; ') });
      }
    }
  }
  return { ok: mismatchCount === 0, accounts, transactions, mismatchCount, mismatches };
}
