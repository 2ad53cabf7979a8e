/**
 * What a report is: a definition (key, title, the permissions it needs, the parameters it takes, its
 * columns) and two ways to read its rows — one page for the on-screen view, or every row as a stream
 * of chunks for the exports. The exporters (CSV, XLSX, PDF) only know these types.
 */
import type { Trx } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import type { Permission } from '../platform/permissions.js';
import type { AccountStatus, AgeBucket, GroupBy, ParamName } from './report.params.js';

/** text | money (integer cents) | int | percent (a number, 12.5 = 12.5 %) | date (YYYY-MM-DD) | datetime (ISO) */
export type ColumnType = 'text' | 'money' | 'int' | 'percent' | 'date' | 'datetime';

export interface Column {
  key: string;
  label: string;
  type: ColumnType;
  /** print on one line (account numbers): a wrapped account number is easy to misread */
  nowrap?: boolean;
}

export type Cell = string | number | null;
export type Row = Record<string, Cell>;

/** A bar chart over the rows: one bar group per row, labelled by `labelKey`. */
export interface ChartSpec {
  type: 'bar';
  labelKey: string;
  series: { key: string; label: string }[];
}

/** Parameters after validation and tenancy: client ids are internal and already checked. */
export interface ResolvedParams {
  from: string | null;
  to: string | null;
  /** null = every client the caller may see */
  clientIds: number[] | null;
  statuses: AccountStatus[] | null;
  ageBuckets: AgeBucket[] | null;
  groupBy: GroupBy;
  /** the day ages are counted to (YYYY-MM-DD) */
  asOf: string;
}

export interface ReportContext {
  trx: Trx;
  caller: Caller;
  params: ResolvedParams;
  now: Date;
}

export interface ReportDefinition {
  key: string;
  title: string;
  description: string;
  /** all of these are needed (besides reports.run) to see and run the report */
  permissions: Permission[];
  parameters: ParamName[];
  /** what the date range filters, for the parameter form */
  dateRangeLabel?: string;
  /** wide tables print landscape */
  landscape?: boolean;
  chart?: ChartSpec;
  columns(ctx: ReportContext): Column[];
  /** how many rows the whole report has */
  count(ctx: ReportContext): Promise<number>;
  /** one page for the on-screen view */
  page(ctx: ReportContext, offset: number, limit: number): Promise<Row[]>;
  /** every row, in chunks, for the exports (large reports never sit in memory whole) */
  stream(ctx: ReportContext): AsyncIterable<Row[]>;
  /** one summary row (labels in text columns, sums in number columns) or null */
  totals(ctx: ReportContext): Promise<Row | null>;
  /** caveats shown above the table, e.g. where a figure comes from */
  notices?(ctx: ReportContext): Promise<string[]>;
}
