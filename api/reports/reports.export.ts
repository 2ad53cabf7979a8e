/**
 * Turning a prepared run into a download: picks the exporter for the format and names the file.
 * Everything that can fail on input (unknown report, foreign client, bad parameters) has failed in
 * `prepareRun` before the first byte is sent.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../platform/errors.js';
import type { Row } from './report.types.js';
import { reportHtml } from './export/html.js';
import { printableHead, renderReportPdf } from './export/pdf.js';
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
 * The longest report whose PDF is made while the request waits (issue 17: 4,954 and 5,510 rows ran
 * past the renderer's 30 s on a busy demo server, while 1,000 print in ~0.5 s). Longer reports, up
 * to 20,000 rows, are exported in the background (POST reports/{key}/exports, exports.service.ts),
 * through the same renderer (export/pdf.ts).
 */
export const PDF_MAX_ROWS = 2_000;

export { PDF_TAGGED_MAX_ROWS } from './export/pdf.js';

export interface ExportOptions {
  chromiumPath?: string;
  /** the parameters as the caller gave them, printed under the title */
  given?: Record<string, unknown>;
  /** the most rows a PDF may have here (default PDF_MAX_ROWS; jobs allow more) */
  maxPdfRows?: number;
}

/** The complete printable HTML of a run (every row) as one document: what a bare page.pdf would print (the benchmark's baseline). */
export async function reportPrintHtml(run: PreparedRun, given: Record<string, unknown> = {}): Promise<string> {
  const rows: Row[] = [];
  for await (const chunk of run.def.stream(run.ctx)) rows.push(...chunk);
  return reportHtml({ ...(await printableHead(run, given)), rows });
}

async function pdfOf(run: PreparedRun, opts: ExportOptions): Promise<Buffer> {
  const total = await run.def.count(run.ctx);
  const max = opts.maxPdfRows ?? PDF_MAX_ROWS;
  if (total > max) {
    throw new AppError(422, 'too_many_rows_for_pdf', max === PDF_MAX_ROWS
      ? `This report has ${total.toLocaleString('en-US')} rows; a PDF made while you wait holds at most ${PDF_MAX_ROWS.toLocaleString('en-US')}. Export it as a PDF in the background (POST reports/${run.def.key}/exports, up to 20,000 rows), as CSV or XLSX, or narrow the parameters.`
      : `This report has ${total.toLocaleString('en-US')} rows; a PDF holds at most ${max.toLocaleString('en-US')}. Export it as CSV or XLSX, or narrow the parameters.`);
  }
  return (await renderReportPdf(run, { chromiumPath: opts.chromiumPath, given: opts.given })).pdf;
}

export async function exportReport(run: PreparedRun, format: Exclude<ExportFormat, 'json'>, opts: ExportOptions = {}): Promise<Readable | Buffer> {
  const { def, ctx } = run;
  const columns = def.columns(ctx);
  if (format === 'csv') return csvStream(columns, def.stream(ctx), () => def.totals(ctx));
  if (format === 'xlsx') return xlsxStream({ title: def.title, columns, chunks: def.stream(ctx), totals: () => def.totals(ctx) });
  return pdfOf(run, opts);
}
