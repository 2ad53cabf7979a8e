/**
 * Payments and remittance: each payment received in the period with the agency's contingency fee and
 * the net due to the client, totalled. Reads the `transactions` ledger when the database has one
 * (see ledger-source.ts); otherwise lists payments to date per account and says so.
 */
import type { Knex } from 'knex';
import { toDateOnly, toIso, type Trx } from '../../platform/db.js';
import type { ReportContext, ReportDefinition, Row } from '../report.types.js';
import { addDays } from '../report.params.js';
import { keysetChunks, num, reportAccounts } from '../report.query.js';
import { ledgerColumns, PAYMENT_TYPES, type LedgerColumns } from '../ledger-source.js';

/**
 * The agency's contingency fee in basis points (25 %). Agencies agree a rate per client; until the
 * settings carry one, every client uses this rate.
 */
export const DEFAULT_CONTINGENCY_BPS = 2500;

/** Fee rounded half up to the cent; net = amount − fee so the two always add up. */
export const feeOf = (amountCents: number) => Math.round((amountCents * DEFAULT_CONTINGENCY_BPS) / 10_000);

interface PaymentRow {
  id: number;
  paidOn: unknown;
  agencyAccountNumber: string;
  debtorName: string;
  clientName: string;
  method: string | null;
  reference: string | null;
  amountCents: number | string;
}

function ledgerQuery(ctx: ReportContext, l: LedgerColumns): Knex.QueryBuilder {
  const { trx, params } = ctx;
  const q = trx('transactions')
    .join('accounts', 'accounts.id', 'transactions.account_id')
    .join('clients', 'clients.id', 'accounts.client_id')
    .whereIn('transactions.account_id', reportAccounts(ctx, { placedRange: false }).select('accounts.id'))
    .whereIn(`transactions.${l.type}`, PAYMENT_TYPES);
  const isDay = l.date.endsWith('_on');
  if (params.from) q.where(`transactions.${l.date}`, '>=', isDay ? params.from : new Date(`${params.from}T00:00:00Z`));
  if (params.to) q.where(`transactions.${l.date}`, isDay ? '<=' : '<', isDay ? params.to : new Date(`${addDays(params.to, 1)}T00:00:00Z`));
  return q;
}

const ledgerSelect = (trx: Trx, l: LedgerColumns) => [
  'transactions.id', `transactions.${l.date} as paid_on`, 'accounts.agency_account_number', 'accounts.debtor_name', 'clients.name as client_name',
  l.method ? `transactions.${l.method} as method` : trx.raw('null as method'),
  l.reference ? `transactions.${l.reference} as reference` : trx.raw('null as reference'),
  `transactions.${l.amount} as amount_cents`,
];

/** Without a ledger: accounts with payments to date, one row each, no date. */
const fallbackQuery = (ctx: ReportContext) =>
  reportAccounts(ctx, { placedRange: false }).join('clients', 'clients.id', 'accounts.client_id').where('accounts.paid_to_date_cents', '>', 0);
const FALLBACK_SELECT = ['accounts.id', 'accounts.agency_account_number', 'accounts.debtor_name', 'clients.name as client_name', 'accounts.paid_to_date_cents as amount_cents'];

const toRows = (rows: PaymentRow[]): Row[] =>
  rows.map((r) => {
    const amount = num(r.amountCents);
    const fee = feeOf(amount);
    return {
      paidOn: r.paidOn === undefined ? null : toDateOnly(toIso(r.paidOn)), agencyAccountNumber: r.agencyAccountNumber, debtorName: r.debtorName,
      client: r.clientName, method: r.method ?? null, reference: r.reference ?? null, amountCents: amount, feeCents: fee, netCents: amount - fee,
    };
  });

async function source(ctx: ReportContext): Promise<{ base: () => Knex.QueryBuilder; select: (string | Knex.Raw)[]; id: string }> {
  const l = await ledgerColumns(ctx.trx);
  if (l) return { base: () => ledgerQuery(ctx, l), select: ledgerSelect(ctx.trx, l), id: 'transactions.id' };
  return { base: () => fallbackQuery(ctx), select: FALLBACK_SELECT, id: 'accounts.id' };
}

export const paymentsReport: ReportDefinition = {
  key: 'payments',
  title: 'Payments and remittance',
  description: 'Payments received, the agency fee and the net remitted to the client.',
  permissions: ['accounts.read', 'reports.financial'],
  parameters: ['from', 'to', 'clientIds'],
  dateRangeLabel: 'Paid between',
  landscape: true,
  columns: () => [
    { key: 'paidOn', label: 'Paid on', type: 'date' },
    { key: 'agencyAccountNumber', label: 'Account', type: 'text', nowrap: true },
    { key: 'debtorName', label: 'Debtor', type: 'text' },
    { key: 'client', label: 'Client', type: 'text' },
    { key: 'method', label: 'Method', type: 'text' },
    { key: 'reference', label: 'Reference', type: 'text' },
    { key: 'amountCents', label: 'Amount', type: 'money' },
    { key: 'feeCents', label: 'Agency fee', type: 'money' },
    { key: 'netCents', label: 'Net to client', type: 'money' },
  ],
  count: async (ctx) => {
    const s = await source(ctx);
    return num(((await s.base().count({ n: '*' })) as { n: unknown }[])[0]!.n);
  },
  page: async (ctx, offset, limit) => {
    const s = await source(ctx);
    return toRows((await s.base().select(s.select).orderBy(s.id).offset(offset).limit(limit)) as PaymentRow[]);
  },
  stream: async function* (ctx) {
    const s = await source(ctx);
    yield* keysetChunks<PaymentRow & { [k: string]: unknown }>(() => s.base().select(s.select), s.id, 'id', toRows);
  },
  totals: async (ctx) => {
    // Fees are rounded per payment, so the total fee is the sum of the rounded fees, as remitted.
    let n = 0, amount = 0, fee = 0;
    for await (const chunk of paymentsReport.stream(ctx)) {
      for (const r of chunk) {
        n++;
        amount += num(r.amountCents);
        fee += num(r.feeCents);
      }
    }
    return { paidOn: null, agencyAccountNumber: 'Total', debtorName: `${n} payments`, amountCents: amount, feeCents: fee, netCents: amount - fee };
  },
  notices: async (ctx) =>
    (await ledgerColumns(ctx.trx))
      ? [`Agency fee at ${DEFAULT_CONTINGENCY_BPS / 100}% of each payment.`]
      : ['The payment ledger is not available in this database: the list shows payments to date per account, without dates, and the date range is not applied.',
        `Agency fee at ${DEFAULT_CONTINGENCY_BPS / 100}% of each payment.`],
};
