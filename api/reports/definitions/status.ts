/** Status report: how many accounts and how much balance sit in each status. */
import { ACCOUNT_STATUSES } from '../../accounts/accounts.schema.js';
import type { ReportContext, ReportDefinition, Row } from '../report.types.js';
import { num, pct, reportAccounts, groupedRows } from '../report.query.js';

async function rows(ctx: ReportContext): Promise<Row[]> {
  const groups = (await reportAccounts(ctx, { placedRange: true }).groupBy('accounts.status').select(
    'accounts.status', ctx.trx.raw('count(*) as n'), ctx.trx.raw('sum(accounts.balance_cents) as balance'), ctx.trx.raw('sum(accounts.paid_to_date_cents) as paid'),
  )) as { status: string; n: unknown; balance: unknown; paid: unknown }[];
  const total = groups.reduce((s, g) => s + num(g.n), 0);
  const order = (s: string) => (ACCOUNT_STATUSES as readonly string[]).indexOf(s);
  return groups
    .sort((a, b) => order(a.status) - order(b.status))
    .map((g) => ({ status: g.status, accounts: num(g.n), share: pct(num(g.n), total), paidCents: num(g.paid), balanceCents: num(g.balance) }));
}

export const statusReport: ReportDefinition = {
  key: 'status',
  title: 'Status report',
  description: 'Accounts, payments to date and balance by account status.',
  permissions: ['accounts.read'],
  parameters: ['from', 'to', 'clientIds', 'statuses', 'ageBuckets', 'asOf'],
  dateRangeLabel: 'Placed between',
  chart: { type: 'bar', labelKey: 'status', series: [{ key: 'accounts', label: 'Accounts' }] },
  columns: () => [
    { key: 'status', label: 'Status', type: 'text' },
    { key: 'accounts', label: 'Accounts', type: 'int' },
    { key: 'share', label: '% of accounts', type: 'percent' },
    { key: 'paidCents', label: 'Paid to date', type: 'money' },
    { key: 'balanceCents', label: 'Balance', type: 'money' },
  ],
  ...groupedRows(rows),
  totals: async (ctx) => {
    const all = await rows(ctx);
    return {
      status: 'Total', accounts: all.reduce((s, r) => s + num(r.accounts), 0), share: all.length ? 100 : 0,
      paidCents: all.reduce((s, r) => s + num(r.paidCents), 0), balanceCents: all.reduce((s, r) => s + num(r.balanceCents), 0),
    };
  },
};
