/** Activity report: the timeline entries in a date range across accounts. Clients never see internal entries. */
import type { Knex } from 'knex';
import { toIso } from '../../platform/db.js';
import type { ReportContext, ReportDefinition, Row } from '../report.types.js';
import { addDays } from '../report.params.js';
import { keysetChunks, num, reportAccounts } from '../report.query.js';

interface ActivityRow {
  id: number;
  occurredAt: unknown;
  agencyAccountNumber: string;
  debtorName: string;
  clientName: string;
  type: string;
  visibility: string;
  body: string;
  actorName: string;
}

function base(ctx: ReportContext): Knex.QueryBuilder {
  const { trx, params, caller } = ctx;
  const q = trx('activity')
    .join('accounts', 'accounts.id', 'activity.account_id')
    .join('clients', 'clients.id', 'accounts.client_id')
    .whereIn('activity.account_id', reportAccounts(ctx, { placedRange: false }).select('accounts.id'));
  if (caller.kind !== 'agency') q.where('activity.visibility', 'client');
  // Whole days in UTC: [from 00:00, to+1 00:00)
  if (params.from) q.where('activity.occurred_at', '>=', new Date(`${params.from}T00:00:00Z`));
  if (params.to) q.where('activity.occurred_at', '<', new Date(`${addDays(params.to, 1)}T00:00:00Z`));
  return q;
}

const SELECT = ['activity.id', 'activity.occurred_at', 'accounts.agency_account_number', 'accounts.debtor_name', 'clients.name as client_name',
  'activity.type', 'activity.visibility', 'activity.body', 'activity.actor_name'];

const toRows = (ctx: ReportContext) => (rows: ActivityRow[]): Row[] =>
  rows.map((r) => ({
    occurredAt: toIso(r.occurredAt), agencyAccountNumber: r.agencyAccountNumber, debtorName: r.debtorName, client: r.clientName,
    type: r.type, ...(ctx.caller.kind === 'agency' ? { visibility: r.visibility } : {}), body: r.body, actorName: r.actorName,
  }));

export const activityReport: ReportDefinition = {
  key: 'activity',
  title: 'Activity report',
  description: 'Letters, calls, notes and status changes on the accounts in scope during a period.',
  permissions: ['accounts.read'],
  parameters: ['from', 'to', 'clientIds', 'statuses'],
  dateRangeLabel: 'Activity between',
  landscape: true,
  columns: (ctx) => [
    { key: 'occurredAt', label: 'When', type: 'datetime' },
    { key: 'agencyAccountNumber', label: 'Account', type: 'text', nowrap: true },
    { key: 'debtorName', label: 'Debtor', type: 'text' },
    { key: 'client', label: 'Client', type: 'text' },
    { key: 'type', label: 'Type', type: 'text' },
    ...(ctx.caller.kind === 'agency' ? [{ key: 'visibility', label: 'Visibility', type: 'text' as const }] : []),
    { key: 'body', label: 'Detail', type: 'text' },
    { key: 'actorName', label: 'By', type: 'text' },
  ],
  count: async (ctx) => num(((await base(ctx).count({ n: '*' })) as { n: unknown }[])[0]!.n),
  page: async (ctx, offset, limit) => toRows(ctx)((await base(ctx).select(SELECT).orderBy('activity.id').offset(offset).limit(limit)) as ActivityRow[]),
  stream: (ctx) => keysetChunks<ActivityRow & { [k: string]: unknown }>(() => base(ctx).select(SELECT), 'activity.id', 'id', toRows(ctx)),
  totals: async (ctx) => {
    const n = num(((await base(ctx).count({ n: '*' })) as { n: unknown }[])[0]!.n);
    return { occurredAt: null, agencyAccountNumber: 'Total', debtorName: `${n} entries` };
  },
};
