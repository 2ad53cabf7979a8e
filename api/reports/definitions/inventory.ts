/** Placement / inventory list: one row per account in scope, with original, paid and current balance. */
import { toDateOnly, toIso } from '../../platform/db.js';
import type { ReportContext, ReportDefinition, Row } from '../report.types.js';
import { ageDays, keysetChunks, num, originalCents, reportAccounts } from '../report.query.js';

interface AccountRow {
  id: number;
  agencyAccountNumber: string;
  clientAccountNumber: string;
  debtorName: string;
  clientName: string;
  status: string;
  placedOn: unknown;
  lastActivityAt: unknown;
  balanceCents: number | string;
  paidToDateCents: number | string;
}

const COLUMNS = [
  'accounts.id', 'accounts.agency_account_number', 'accounts.client_account_number', 'accounts.debtor_name', 'clients.name as client_name',
  'accounts.status', 'accounts.placed_on', 'accounts.last_activity_at', 'accounts.balance_cents', 'accounts.paid_to_date_cents',
];

const base = (ctx: ReportContext) => reportAccounts(ctx, { placedRange: true }).join('clients', 'clients.id', 'accounts.client_id').select(COLUMNS);

async function toRows(ctx: ReportContext, rows: AccountRow[]): Promise<Row[]> {
  const originals = await originalCents(ctx, rows.map((r) => r.id));
  return rows.map((r) => ({
    agencyAccountNumber: r.agencyAccountNumber,
    clientAccountNumber: r.clientAccountNumber,
    debtorName: r.debtorName,
    client: r.clientName,
    status: r.status,
    placedOn: toDateOnly(r.placedOn),
    ageDays: ageDays(r.placedOn, ctx.params.asOf),
    originalCents: originals.get(r.id) ?? 0,
    paidCents: num(r.paidToDateCents),
    balanceCents: num(r.balanceCents),
    lastActivityAt: toDateOnly(toIso(r.lastActivityAt)),
  }));
}

export const inventoryReport: ReportDefinition = {
  key: 'inventory',
  title: 'Placement inventory',
  description: 'Every account placed, with its status, age, original amount, payments to date and balance.',
  permissions: ['accounts.read'],
  parameters: ['from', 'to', 'clientIds', 'statuses', 'ageBuckets', 'asOf'],
  dateRangeLabel: 'Placed between',
  landscape: true,
  columns: () => [
    { key: 'agencyAccountNumber', label: 'Account', type: 'text', nowrap: true },
    { key: 'clientAccountNumber', label: 'Client account', type: 'text', nowrap: true },
    { key: 'debtorName', label: 'Debtor', type: 'text' },
    { key: 'client', label: 'Client', type: 'text' },
    { key: 'status', label: 'Status', type: 'text' },
    { key: 'placedOn', label: 'Placed', type: 'date' },
    { key: 'ageDays', label: 'Age (days)', type: 'int' },
    { key: 'originalCents', label: 'Original', type: 'money' },
    { key: 'paidCents', label: 'Paid', type: 'money' },
    { key: 'balanceCents', label: 'Balance', type: 'money' },
    { key: 'lastActivityAt', label: 'Last activity', type: 'date' },
  ],
  count: async (ctx) => num(((await reportAccounts(ctx, { placedRange: true }).count({ n: '*' })) as { n: unknown }[])[0]!.n),
  page: async (ctx, offset, limit) => toRows(ctx, (await base(ctx).orderBy('accounts.id').offset(offset).limit(limit)) as AccountRow[]),
  stream: (ctx) => keysetChunks<AccountRow & { [k: string]: unknown }>(() => base(ctx), 'accounts.id', 'id', (rows) => toRows(ctx, rows)),
  totals: async (ctx) => {
    const scope = reportAccounts(ctx, { placedRange: true });
    const [agg] = (await scope.clone().select(
      ctx.trx.raw('count(*) as n'), ctx.trx.raw('sum(accounts.balance_cents) as balance'), ctx.trx.raw('sum(accounts.paid_to_date_cents) as paid'),
    )) as { n: unknown; balance: unknown; paid: unknown }[];
    const [orig] = (await ctx.trx('account_balances').whereIn('account_id', scope.clone().select('accounts.id'))
      .select(ctx.trx.raw('sum(original_cents) as original'))) as { original: unknown }[];
    return {
      agencyAccountNumber: 'Total', debtorName: `${num(agg!.n)} accounts`,
      originalCents: num(orig!.original), paidCents: num(agg!.paid), balanceCents: num(agg!.balance),
    };
  },
};
