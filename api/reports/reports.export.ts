/**
 * Turning a prepared run into a download: picks the exporter for the format and names the file.
 * Everything that can fail on input (unknown report, foreign client, bad parameters) has failed in
 * `prepareRun` before the first byte is sent.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../platform/errors.js';
import { renderPdf } from '../platform/pdf.js';
import { toIso } from '../platform/db.js';
import type { Row } from './report.types.js';
import { echoParameters } from './reports.service.js';
import { reportHtml } from './export/html.js';
import type { PreparedRun } from './reports.service.js';
import type { ExportFormat } from './reports.schema.js';
import { csvStream } from './export/csv.js';
import { xlsxStream } from './export/xlsx.js';

export const CONTENT_TYPES: Record<Exclude<ExportFormat, 'json'>, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export const fileName = (run: PreparedRun, format: string) => `${run.def.key}-${run.ctx.params.asOf}.${format}`;

/**
 * A PDF holds the whole document in the browser at once, and a long table's layout grows faster than
 * its rows: 4,954 and 5,510 rows ran past the renderer's 30 s on a demo server (issue 17), while 1,000
 * print in ~0.5 s. Beyond this many rows the answer is a 422 that points to CSV or XLSX (a background
 * PDF job may lift it later).
 */
export const PDF_MAX_ROWS = 2_000;

export interface ExportOptions {
  chromiumPath?: string;
  /** the parameters as the caller gave them, printed under the title */
  given?: Record<string, unknown>;
}

/**
 * Up to this many rows a report prints as a tagged (accessible) PDF. Beyond it the tag tree makes
 * the file ~20× larger and twice as slow; the CSV and XLSX exports are then the accessible form.
 */
export const PDF_TAGGED_MAX_ROWS = 300;

/** The complete printable HTML of a run (every row), as the PDF export prints it. */
export async function reportPrintHtml(run: PreparedRun, given: Record<string, unknown> = {}): Promise<string> {
  const { def, ctx } = run;
  const total = await def.count(ctx);
  if (total > PDF_MAX_ROWS) {
    throw new AppError(422, 'too_many_rows_for_pdf', `This report has ${total.toLocaleString('en-US')} rows; a PDF holds at most ${PDF_MAX_ROWS.toLocaleString('en-US')}. Export it as CSV or XLSX, or narrow the parameters.`);
  }
  const rows: Row[] = [];
  for await (const chunk of def.stream(ctx)) rows.push(...chunk);
  return reportHtml({
    title: def.title, generatedAt: toIso(ctx.now)!, parameters: echoParameters(run, given), notices: (await def.notices?.(ctx)) ?? [],
    columns: def.columns(ctx), rows, totals: await def.totals(ctx), chart: def.chart ?? null,
  });
}

async function pdfOf(run: PreparedRun, opts: ExportOptions): Promise<Buffer> {
  const html = await reportPrintHtml(run, opts.given);
  const tagged = (await run.def.count(run.ctx)) <= PDF_TAGGED_MAX_ROWS;
  return renderPdf(html, { landscape: run.def.landscape, headerTitle: run.def.title, chromiumPath: opts.chromiumPath, tagged });
}

export async function exportReport(run: PreparedRun, format: Exclude<ExportFormat, 'json'>, opts: ExportOptions = {}): Promise<Readable | Buffer> {
  const { def, ctx } = run;
  const columns = def.columns(ctx);
  if (format === 'csv') return csvStream(columns, def.stream(ctx), () => def.totals(ctx));
  if (format === 'xlsx') return xlsxStream({ title: def.title, columns, chunks: def.stream(ctx), totals: () => def.totals(ctx) });
  return pdfOf(run, opts);
}
