/**
 * Recovery summary: for the accounts placed in the date range, what was placed (original amounts),
 * what has been collected and the recovery rate, grouped by client, client group (the client's kind:
 * hospital, utility …) or age bucket, with a chart.
 */
import type { ReportContext, ReportDefinition, Row } from '../report.types.js';
import { AGE_BUCKETS } from '../report.params.js';
import { ageBucketSql, num, pct, reportAccounts, groupedRows } from '../report.query.js';

const CLIENT_GROUP_LABELS: Record<string, string> = { hospital: 'Hospitals', clinic: 'Clinics', utility: 'Utilities', landlord: 'Landlords', b2b: 'Commercial (B2B)' };

async function rows(ctx: ReportContext): Promise<Row[]> {
  const { trx, params } = ctx;
  const groupExpr =
    params.groupBy === 'client' ? trx.raw('clients.name') : params.groupBy === 'clientGroup' ? trx.raw('clients.kind') : ageBucketSql(trx, params.asOf);
  const originals = trx('account_balances').groupBy('account_id').select('account_id', trx.raw('sum(original_cents) as original_cents')).as('o');
  const groups = (await reportAccounts(ctx, { placedRange: true })
    .join('clients', 'clients.id', 'accounts.client_id')
    .leftJoin(originals, 'o.account_id', 'accounts.id')
    .groupByRaw('grp')
    .select(
      trx.raw('? as grp', [groupExpr]), trx.raw('count(*) as n'), trx.raw('sum(o.original_cents) as placed'),
      trx.raw('sum(accounts.paid_to_date_cents) as collected'), trx.raw('sum(accounts.balance_cents) as balance'),
    )) as { grp: string; n: unknown; placed: unknown; collected: unknown; balance: unknown }[];
  const label = (g: string) =>
    params.groupBy === 'clientGroup' ? CLIENT_GROUP_LABELS[g] ?? g : params.groupBy === 'ageBucket' ? AGE_BUCKETS.find((b) => b.key === g)?.label ?? g : g;
  const order = (g: string) => (params.groupBy === 'ageBucket' ? AGE_BUCKETS.findIndex((b) => b.key === g) : 0);
  return groups
    .sort((a, b) => order(a.grp) - order(b.grp) || label(a.grp).localeCompare(label(b.grp)))
    .map((g) => ({
      group: label(g.grp), accounts: num(g.n), placedCents: num(g.placed), collectedCents: num(g.collected),
      recoveryRate: pct(num(g.collected), num(g.placed)), balanceCents: num(g.balance),
    }));
}

export const recoveryReport: ReportDefinition = {
  key: 'recovery',
  title: 'Recovery summary',
  description: 'Placed, collected and recovery rate for a placement period, by client, client group or age bucket.',
  permissions: ['accounts.read', 'reports.financial'],
  parameters: ['from', 'to', 'clientIds', 'ageBuckets', 'groupBy', 'asOf'],
  dateRangeLabel: 'Placed between',
  chart: { type: 'bar', labelKey: 'group', series: [{ key: 'placedCents', label: 'Placed' }, { key: 'collectedCents', label: 'Collected' }] },
  columns: () => [
    { key: 'group', label: 'Group', type: 'text' },
    { key: 'accounts', label: 'Accounts', type: 'int' },
    { key: 'placedCents', label: 'Placed', type: 'money' },
    { key: 'collectedCents', label: 'Collected', type: 'money' },
    { key: 'recoveryRate', label: 'Recovery rate', type: 'percent' },
    { key: 'balanceCents', label: 'Balance', type: 'money' },
  ],
  ...groupedRows(rows),
  totals: async (ctx) => {
    const all = await rows(ctx);
    const placed = all.reduce((s, r) => s + num(r.placedCents), 0);
    const collected = all.reduce((s, r) => s + num(r.collectedCents), 0);
    return {
      group: 'Total', accounts: all.reduce((s, r) => s + num(r.accounts), 0), placedCents: placed, collectedCents: collected,
      recoveryRate: pct(collected, placed), balanceCents: all.reduce((s, r) => s + num(r.balanceCents), 0),
    };
  },
};
