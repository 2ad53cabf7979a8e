/**
 * Reports: the catalogue a caller sees, and running a report — one page as JSON for the screen, or
 * a prepared run (definition + context) that the exporters stream from.
 */
import type { Trx } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { ACCOUNT_STATUSES } from '../accounts/accounts.schema.js';
import { statusLabel } from '../../i18n/account-statuses.js';
import { findReport, reportsFor } from './catalogue.js';
import { AGE_BUCKETS, isoDay, resolveParams, type ReportParametersInput } from './report.params.js';
import type { ReportContext, ReportDefinition } from './report.types.js';
import { EXPORT_FORMATS, type RunReport } from './reports.schema.js';
import { lastSnapshotDates } from './snapshots.read.js';

const GROUP_BY_OPTIONS = [
  { value: 'client', label: 'Client' },
  { value: 'clientGroup', label: 'Client group' },
  { value: 'ageBucket', label: 'Age bucket' },
];

const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

async function clientOptions(trx: Trx, caller: Caller) {
  const q = trx('clients').where('status', 'active').orderBy('name').select('public_id', 'name');
  if (caller.clientIds !== 'all') q.whereIn('id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  return ((await q) as { publicId: string; name: string }[]).map((c) => ({ value: c.publicId, label: c.name }));
}

function describeParameters(def: ReportDefinition, clients: { value: string; label: string }[], now: Date) {
  const out = [];
  const has = (n: string) => def.parameters.includes(n as never);
  if (has('from')) out.push({ name: 'dateRange', type: 'dateRange' as const, label: def.dateRangeLabel ?? 'Date range', multiple: false });
  if (has('clientIds')) out.push({ name: 'clientIds', type: 'clients' as const, label: 'Clients', multiple: true, options: clients });
  if (has('statuses')) out.push({ name: 'statuses', type: 'statuses' as const, label: 'Statuses', multiple: true, options: ACCOUNT_STATUSES.map((s) => ({ value: s, label: statusLabel(s) })) });
  if (has('ageBuckets')) out.push({ name: 'ageBuckets', type: 'ageBuckets' as const, label: 'Age', multiple: true, options: AGE_BUCKETS.map((b) => ({ value: b.key, label: b.label })) });
  if (has('groupBy')) out.push({ name: 'groupBy', type: 'groupBy' as const, label: 'Group by', multiple: false, options: GROUP_BY_OPTIONS, default: 'client' });
  if (has('asOf')) out.push({ name: 'asOf', type: 'date' as const, label: 'Age as of', multiple: false, default: isoDay(now) });
  return out;
}

export async function listCatalogue(trx: Trx, caller: Caller, now: Date) {
  const defs = reportsFor(caller);
  const [clients, last] = await Promise.all([clientOptions(trx, caller), lastSnapshotDates(trx, caller)]);
  const ctx = { trx, caller, now, params: await resolveParams(trx, caller, [], {}, now) } satisfies ReportContext;
  return {
    data: defs.map((def) => ({
      key: def.key,
      title: def.title,
      description: def.description,
      formats: [...EXPORT_FORMATS],
      parameters: describeParameters(def, clients, now),
      columns: def.columns(ctx),
      chart: def.chart ?? null,
      lastSnapshotAt: last.get(def.key) ?? null,
    })),
  };
}

export interface PreparedRun {
  def: ReportDefinition;
  ctx: ReportContext;
}

/** Finds the report (404 when unknown or not allowed) and resolves its parameters (tenancy, defaults). */
export async function prepareRun(trx: Trx, caller: Caller, key: string, parameters: ReportParametersInput, now: Date): Promise<PreparedRun> {
  const def = findReport(caller, key);
  if (!def) throw notFound('Report');
  const params = await resolveParams(trx, caller, def.parameters, parameters, now);
  return { def, ctx: { trx, caller, params, now } };
}

/** The parameters as the caller gave them, with defaults filled in: echoed in results and snapshots. */
export function echoParameters(run: PreparedRun, given: ReportParametersInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of run.def.parameters) {
    if (name === 'asOf') out.asOf = run.ctx.params.asOf;
    else if (name === 'groupBy') out.groupBy = run.ctx.params.groupBy;
    else if (given[name] !== undefined) out[name] = given[name];
  }
  return out;
}

export async function runReportJson(trx: Trx, caller: Caller, key: string, body: RunReport, now: Date) {
  const run = await prepareRun(trx, caller, key, body.parameters, now);
  const { def, ctx } = run;
  const [total, rows, totals, notices] = await Promise.all([
    def.count(ctx), def.page(ctx, (body.page - 1) * body.pageSize, body.pageSize), def.totals(ctx), def.notices?.(ctx) ?? [],
  ]);
  return {
    report: { key: def.key, title: def.title },
    parameters: echoParameters(run, body.parameters),
    generatedAt: toIso(now)!,
    columns: def.columns(ctx),
    rows,
    totals,
    chart: def.chart ?? null,
    notices,
    total,
    page: body.page,
    pageSize: body.pageSize,
  };
}
