/** The reports contract: the catalogue, the run request and the on-screen result. */
import { z } from 'zod';
import { ReportParameters } from './report.params.js';
import { FREQUENCIES } from './schedule-periods.js';
import { queryInt } from '../platform/http/route.js';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ReportKeyParams = z.strictObject({ key: z.string().min(1).max(40) });

export const RunReportBody = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('json').describe('json for the on-screen view; csv, xlsx and pdf download the whole report'),
  parameters: ReportParameters.default({}),
  page: z.number().int().min(1).max(100_000).default(1).describe('json only'),
  pageSize: z.number().int().min(1).max(1000).default(100).describe('json only'),
});
export type RunReport = z.output<typeof RunReportBody>;

const Option = z.object({ value: z.string(), label: z.string() });

export const ParameterDescriptor = z.object({
  /** the body field(s): dateRange fills `from` and `to` */
  name: z.string(),
  type: z.enum(['dateRange', 'clients', 'statuses', 'ageBuckets', 'groupBy', 'date']),
  label: z.string(),
  multiple: z.boolean(),
  options: z.array(Option).optional(),
  default: z.string().optional(),
});

export const ColumnSchema = z.object({ key: z.string(), label: z.string(), type: z.enum(['text', 'money', 'int', 'percent', 'date', 'datetime']), nowrap: z.boolean().optional() });
export const ChartSchema = z.object({ type: z.literal('bar'), labelKey: z.string(), series: z.array(z.object({ key: z.string(), label: z.string() })) }).nullable();

export const CatalogueEntry = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  formats: z.array(z.enum(EXPORT_FORMATS)),
  parameters: z.array(ParameterDescriptor),
  columns: z.array(ColumnSchema),
  chart: ChartSchema,
  lastSnapshotAt: z.string().nullable(),
});
export const CatalogueResponse = z.object({ data: z.array(CatalogueEntry) });

const Cell = z.union([z.string(), z.number(), z.null()]);
export const ReportResult = z.object({
  report: z.object({ key: z.string(), title: z.string() }),
  parameters: z.record(z.string(), z.unknown()),
  generatedAt: z.string(),
  columns: z.array(ColumnSchema),
  rows: z.array(z.record(z.string(), Cell)),
  totals: z.record(z.string(), Cell).nullable(),
  chart: ChartSchema,
  notices: z.array(z.string()),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// Schedules and snapshots

export const CreateScheduleBody = z.strictObject({
  frequency: z.enum(FREQUENCIES),
  clientId: z.string().min(4).max(40).optional().describe('the client whose snapshot this is; required for client users, omitted by the agency for all clients'),
  parameters: ReportParameters.default({}),
});

export const ScheduleIdParams = z.strictObject({ id: z.string().min(4).max(40) });
export const SnapshotIdParams = z.strictObject({ id: z.string().min(4).max(40) });

const ClientRef = z.object({ id: z.string(), name: z.string() }).nullable();

export const Schedule = z.object({
  id: z.string(),
  report: z.object({ key: z.string(), title: z.string() }),
  client: ClientRef,
  frequency: z.enum(FREQUENCIES),
  parameters: z.record(z.string(), z.unknown()),
  status: z.string(),
  nextRunAt: z.string(),
  createdAt: z.string(),
});
export const ScheduleList = z.object({ data: z.array(Schedule) });

export const Snapshot = z.object({
  id: z.string(),
  reportKey: z.string(),
  scheduleId: z.string().nullable(),
  client: ClientRef,
  periodKey: z.string(),
  generatedAt: z.string(),
  rowCount: z.number().int(),
  parameters: z.record(z.string(), z.unknown()),
  formats: z.array(z.string()),
});
export const SnapshotList = z.object({ data: z.array(Snapshot), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const PageQuery = z.strictObject({ page: queryInt(1, 100_000).default(1), pageSize: queryInt(1, 1000).default(20) });
export const SnapshotView = ReportResult.omit({ page: true, pageSize: true }).extend({ snapshot: Snapshot, page: z.number().int(), pageSize: z.number().int() });
export const DownloadQuery = z.strictObject({ format: z.enum(EXPORT_FORMATS) });

export const RunParams = z.strictObject({ id: z.string().min(4).max(40), runId: z.string().min(4).max(40) });
export const ScheduleRun = z.object({
  id: z.string().describe('the run; poll GET reports/schedules/:id/runs/:runId until succeeded or failed'),
  scheduleId: z.string(),
  reportKey: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  snapshotId: z.string().nullable().describe('the snapshot made, once succeeded'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

// Exports made in the background (issue 21)

export const CreateExportBody = z.strictObject({
  format: z.enum(['pdf']).describe('pdf: up to 20,000 rows, printed in the background'),
  parameters: ReportParameters.default({}),
});
export const ExportIdParams = z.strictObject({ id: z.string().min(4).max(40) });
export const ReportExport = z.object({
  id: z.string(),
  report: z.object({ key: z.string(), title: z.string() }),
  format: z.enum(['pdf']),
  status: z.enum(['queued', 'running', 'done', 'failed', 'expired']).describe('done: the file can be downloaded until expiresAt'),
  parameters: z.record(z.string(), z.unknown()),
  rowsTotal: z.number().int(),
  rowsDone: z.number().int().describe('rows printed so far'),
  pagesDone: z.number().int().describe('pages printed so far'),
  fileName: z.string(),
  byteSize: z.number().int().nullable(),
  failure: z.string().nullable().describe('why it failed, for the person who asked'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
