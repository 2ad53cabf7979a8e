/**
 * A report as PDF, printed in parts so that memory stays flat whatever its length: the rows stream
 * from the report in parts of PDF_PART_ROWS, each part is printed as a document of its own on one
 * browser page (the next part's rows are read while the browser prints), and the parts are joined
 * and numbered (api/platform/pdf-join.ts). The browser never lays out more than one part, which is
 * also what makes a long report fast: Chromium's time per row grows with the length of the table
 * it paginates, so 20 parts of 1,000 rows print sooner than one table of 20,000.
 *
 * One path for every PDF of a report: the download of a short report (reports.routes.ts), scheduled
 * snapshots and the background export job (exports.service.ts).
 */
import { toIso } from '../../platform/db.js';
import { withPdfPrinter } from '../../platform/pdf.js';
import { pdfJoiner } from '../../platform/pdf-join.js';
import type { Row } from '../report.types.js';
import { echoParameters, type PreparedRun } from '../reports.service.js';
import { PDFDocument } from 'pdf-lib';
import { columnWidths, reportHtml, reportPartHtml, type PrintableReport } from './html.js';

/** Rows per printed part (see docs/decisions/2026-12-07-large-pdf-exports.md for how it was chosen). */
export const PDF_PART_ROWS = 1_000;

/**
 * Up to this many rows a report prints as a tagged (accessible) PDF. Beyond it the tag tree makes
 * the file ~20× larger and twice as slow; the CSV and XLSX exports are then the accessible form.
 */
export const PDF_TAGGED_MAX_ROWS = 300;

export interface PdfProgress {
  rowsDone: number;
  rowsTotal: number;
  pagesDone: number;
}

export interface ReportPdfOptions {
  chromiumPath?: string;
  /** the parameters as the caller gave them, printed under the title */
  given?: Record<string, unknown>;
  /** rows per part (tests and the benchmark change it) */
  partRows?: number;
  /** after each printed part */
  onProgress?: (p: PdfProgress) => Promise<void> | void;
  /** stops between parts (a job that lost its lease) */
  signal?: AbortSignal;
  /**
   * Resuming (a background export retried after its node died): the first `count` parts were printed
   * by an earlier attempt and are joined as they are (`load`), not printed again. Only for a report
   * of more than one part, with the same row count and part size as that attempt.
   */
  printedParts?: { count: number; load: (index: number) => Promise<Buffer> };
  /** each part as soon as it is printed (to keep it for a resume), before onProgress */
  onPart?: (part: { index: number; pdf: Buffer; rows: number; pages: number }) => Promise<void>;
}

export interface ReportPdf {
  pdf: Buffer;
  rows: number;
  pages: number;
  /** parts printed by this call (not counting those of an earlier attempt it joined) */
  printed: number;
}

/**
 * The report's rows regrouped into parts of `size` (the report streams them in its own chunks), at
 * most `max` rows: the title block says the count taken at the start and the totals are of that
 * moment, so rows added while printing (new activity) are left for the next export.
 */
async function* parts(chunks: AsyncIterable<Row[]>, size: number, max: number): AsyncGenerator<Row[]> {
  let part: Row[] = [];
  let taken = 0;
  for await (const chunk of chunks) {
    for (const row of chunk) {
      if (taken++ >= max) break;
      part.push(row);
      if (part.length === size) {
        yield part;
        part = [];
      }
    }
    if (taken >= max) break;
  }
  if (part.length) yield part;
}

/** Everything a printed part shows besides its rows. */
export async function printableHead(run: PreparedRun, given: Record<string, unknown> = {}): Promise<Omit<PrintableReport, 'rows'>> {
  const { def, ctx } = run;
  return {
    title: def.title, generatedAt: toIso(ctx.now)!, parameters: echoParameters(run, given), notices: (await def.notices?.(ctx)) ?? [],
    columns: def.columns(ctx), totals: await def.totals(ctx), chart: def.chart ?? null,
  };
}

export async function renderReportPdf(run: PreparedRun, opts: ReportPdfOptions = {}): Promise<ReportPdf> {
  const { def, ctx } = run;
  const size = opts.partRows ?? PDF_PART_ROWS;
  const [rowsTotal, head] = await Promise.all([def.count(ctx), printableHead(run, opts.given)]);
  const tagged = rowsTotal <= PDF_TAGGED_MAX_ROWS;
  const printOptions = { landscape: def.landscape, headerTitle: def.title, chromiumPath: opts.chromiumPath, tagged };
  if (rowsTotal <= size) {
    // One part: Chromium's own PDF as it is (its page numbers, and the tags of a short, tagged report,
    // which joining would drop).
    const rows: Row[] = [];
    for await (const part of parts(def.stream(ctx), size, rowsTotal)) rows.push(...part);
    const pdf = await withPdfPrinter(printOptions, (printer) => printer.print(reportHtml({ ...head, rows })));
    const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
    await opts.onProgress?.({ rowsDone: rows.length, rowsTotal, pagesDone: pages });
    return { pdf, rows: rows.length, pages, printed: 1 };
  }
  const joiner = await pdfJoiner({ title: def.title });
  const reuse = opts.printedParts?.count ?? 0;
  let rowsDone = 0;
  let printed = 0;
  await withPdfPrinter(printOptions, async (printer) => {
    let index = 0;
    const print = async (rows: Row[], first: boolean, last: boolean) => {
      opts.signal?.throwIfAborted();
      const i = index++;
      let pages: number;
      if (i < reuse) {
        // printed by an earlier attempt: its rows were read only to measure the columns and move on
        pages = await joiner.add(await opts.printedParts!.load(i));
      } else {
        const pdf = await printer.print(reportPartHtml(head, rows, { first, last, totalRows: rowsTotal }), { pageNumbers: false });
        printed++;
        pages = await joiner.add(pdf);
        await opts.onPart?.({ index: i, pdf, rows: rows.length, pages });
      }
      rowsDone += rows.length;
      // the parts joined from an earlier attempt report their progress once, when the last of them is in
      if (i >= reuse - 1) await opts.onProgress?.({ rowsDone, rowsTotal, pagesDone: joiner.pages });
    };
    const source = parts(def.stream(ctx), size, rowsTotal);
    let pending = source.next();
    let first = true;
    let closed = false;
    for (;;) {
      const current = await pending;
      if (current.done) break;
      // read the next part from the database while the browser prints this one
      pending = source.next();
      pending.catch(() => undefined);
      // Every part is laid out with the columns measured on the first (also when the first was printed before: same rows, same widths).
      head.widths ??= columnWidths(head.columns, current.value, head.totals);
      closed = rowsDone + current.value.length >= rowsTotal;
      await print(current.value, first, closed);
      first = false;
    }
    // An empty report ("No rows match"), or fewer rows than counted (deleted meanwhile): the totals still end it.
    if (!closed) await print([], first, true);
  });
  return { pdf: await joiner.finish(), rows: rowsDone, pages: joiner.pages, printed };
}
