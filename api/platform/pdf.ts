/**
 * HTML → PDF with one shared headless Chromium (Puppeteer). The browser starts on first use and is
 * reused; at most `MAX_PAGES` pages print at once, the rest wait their turn. When no browser can
 * start, callers get a 503 `pdf_unavailable` and the other export formats keep working.
 */
import puppeteer, { type Browser } from 'puppeteer-core';
import { AppError } from './errors.js';

export class PdfUnavailableError extends AppError {
  constructor(reason: string) {
    super(503, 'pdf_unavailable', `PDF export is unavailable on this server: ${reason}. CSV and XLSX still work.`);
  }
}

/** Longest a page may take to load or print; past it the answer is a 503 `pdf_timeout`, never a 500. */
export const PDF_TIMEOUT_MS = 30_000;

/** The renderer gave up or broke (a timeout, a crashed page): the server's trouble, not the caller's. */
export class PdfFailedError extends AppError {
  constructor(timedOut: boolean, timeoutMs: number) {
    super(
      503,
      timedOut ? 'pdf_timeout' : 'pdf_unavailable',
      timedOut
        ? `The PDF took longer than ${Math.round(timeoutMs / 1000)} s to print. Export CSV or XLSX instead, or narrow the parameters.`
        : 'The PDF could not be printed just now. Try again, or export CSV or XLSX.',
      undefined,
      { 'Retry-After': '30' },
    );
  }
}

const MAX_PAGES = 2;
/** Flags for a locked-down machine: no network chatter, no sandbox when running as root. */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

let browserPromise: Promise<Browser> | null = null;
let active = 0;
const waiting: (() => void)[] = [];

function browser(executablePath: string): Promise<Browser> {
  if (!browserPromise) {
    // DevTools over a pipe, not a WebSocket: when this process dies — even by SIGKILL, with no chance
    // to close the browser — the pipe's end closes and Chromium exits instead of living on orphaned.
    browserPromise = puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, pipe: true }).catch((err: unknown) => {
      browserPromise = null;
      throw new PdfUnavailableError(err instanceof Error ? err.message.split('\n')[0]! : 'the browser did not start');
    });
    void browserPromise.then((b) => b.once('disconnected', () => { browserPromise = null; }), () => undefined);
  }
  return browserPromise;
}

async function acquire(): Promise<void> {
  if (active < MAX_PAGES) {
    active++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else active--;
}

export interface PdfOptions {
  landscape?: boolean;
  /** printed in the page header beside the page numbers */
  headerTitle?: string;
  chromiumPath?: string;
  /**
   * Tagged (accessible) PDF, Chromium's default. A tagged PDF of a long table is ~20× larger and
   * ~2× slower to print (1,000 rows: 3.8 MB vs 0.2 MB), so long reports may turn it off.
   */
  tagged?: boolean;
  /** load and print, each (default PDF_TIMEOUT_MS) */
  timeoutMs?: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The footer Chromium prints when it numbers the pages itself (one document, one page.pdf). */
const PAGE_NUMBER_FOOTER = '<div style="font-size:8px;width:100%;padding:0 12mm;text-align:right;color:#555">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';

/** The page options of every PDF: Letter, 16/12 mm margins, the title in the header. */
export function pdfPageOptions(opts: PdfOptions & { pageNumbers?: boolean }) {
  return {
    format: 'Letter' as const,
    landscape: opts.landscape ?? false,
    tagged: opts.tagged ?? true,
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;color:#555">${escapeHtml(opts.headerTitle ?? '')}</div>`,
    // A document printed in parts is numbered after the parts are joined (pdf-join.ts).
    footerTemplate: opts.pageNumbers === false ? '<span></span>' : PAGE_NUMBER_FOOTER,
    margin: { top: '16mm', bottom: '16mm', left: '12mm', right: '12mm' },
  };
}

/** Whatever puppeteer throws (TimeoutError, a closed target, a protocol error) becomes a 503 problem. */
async function asPdfProblem<T>(timeout: number, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    console.error(`[pdf] ${timedOut ? 'timed out' : 'failed'}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    throw new PdfFailedError(timedOut, timeout);
  }
}

/** One browser page held for several prints (the parts of a long report): load, print, load, print… */
export interface PdfPrinter {
  /** prints a complete HTML document (the caller escapes its data) */
  print(html: string, opts?: { pageNumbers?: boolean }): Promise<Buffer>;
}

/**
 * Runs `work` with one page of the shared browser (one of MAX_PAGES), reused for every print it makes,
 * and closes the page afterwards. Each print replaces the page's document, so the browser's memory
 * is that of one part, never of the whole report. Errors are 503 problems, as for renderPdf.
 */
export async function withPdfPrinter<T>(opts: PdfOptions, work: (printer: PdfPrinter) => Promise<T>): Promise<T> {
  const b = await browser(opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  await acquire();
  const timeout = opts.timeoutMs ?? PDF_TIMEOUT_MS;
  let page: Awaited<ReturnType<Browser['newPage']>> | undefined;
  try {
    const p = await asPdfProblem(timeout, async () => {
      page = await b.newPage();
      // No network: a report template must not fetch anything, and a data value cannot make it.
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', (req) => (req.url().startsWith('data:') ? req.continue() : req.abort()));
      return page;
    });
    return await work({
      print: (html, printOpts = {}) => asPdfProblem(timeout, async () => {
        await p.setContent(html, { waitUntil: 'load', timeout });
        return Buffer.from(await p.pdf({ timeout, ...pdfPageOptions({ ...opts, ...printOpts }) }));
      }),
    });
  } finally {
    await page?.close().catch(() => undefined);
    release();
  }
}

/** Prints a complete HTML document (the caller escapes its data) to PDF, A4/Letter-agnostic margins. */
export async function renderPdf(html: string, opts: PdfOptions = {}): Promise<Buffer> {
  return withPdfPrinter(opts, (printer) => printer.print(html));
}

export async function closePdf(): Promise<void> {
  const p = browserPromise;
  browserPromise = null;
  if (p) await (await p.catch(() => null))?.close();
}
