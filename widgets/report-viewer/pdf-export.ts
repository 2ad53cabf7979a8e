/**
 * The report viewer's PDF export (issue 21): asks the API for a PDF made in the background
 * (POST reports/{key}/exports), follows its progress while the person keeps working, and offers the
 * file when it is ready. A controller (state + polling) and the view of that state.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { z } from 'zod';
import type { ReportExport } from '../../api/reports/reports.schema.js';
import type { ApiClient } from '../internal/api-client.js';
import { toProblem } from '../internal/api-client.js';
import { formatCount } from '../internal/format.js';

export type ExportState = z.output<typeof ReportExport>;

/** How often the progress is asked for while the PDF is printed. */
const POLL_MS = 700;

export interface PdfExportHooks {
  /** hands a finished file to the viewer's download (the `ck-report-download` event) */
  saveFile(detail: { key: string; format: string; fileName: string; blob: Blob }): Promise<void>;
  /** says something in the viewer's polite live region */
  announce(text: string): void;
}

const percentOf = (s: ExportState) => (s.rowsTotal ? Math.floor((s.rowsDone / s.rowsTotal) * 100) : s.status === 'done' ? 100 : 0);

export class PdfExportController implements ReactiveController {
  /** the export being made or last made; null before the first */
  state: ExportState | null = null;

  /** what went wrong (asking, following, downloading), in words for the person */
  error = '';

  downloading = false;

  #host: ReactiveControllerHost;
  #hooks: PdfExportHooks;
  #client: () => ApiClient;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connected = false;
  /** the last quarter announced, so a screen reader hears 25 %, 50 %, 75 %, not every poll */
  #announcedQuarter = 0;

  constructor(host: ReactiveControllerHost, client: () => ApiClient, hooks: PdfExportHooks) {
    this.#host = host;
    this.#hooks = hooks;
    this.#client = client;
    host.addController(this);
  }

  get busy(): boolean {
    return this.state?.status === 'queued' || this.state?.status === 'running';
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.busy) this.#schedule(0);
  }

  hostDisconnected(): void {
    this.#connected = false;
    clearTimeout(this.#timer);
  }

  /** Asks for the report as a PDF; the progress then follows by itself. */
  async start(key: string, parameters: Record<string, unknown>): Promise<void> {
    if (this.busy) return;
    this.error = '';
    this.state = null;
    this.#announcedQuarter = 0;
    this.#host.requestUpdate();
    try {
      this.state = await this.#client().request<ExportState>('POST', `/reports/${encodeURIComponent(key)}/exports`, { body: { format: 'pdf', parameters } });
      this.#hooks.announce(`Preparing the PDF of ${this.state.report.title}: ${formatCount(this.state.rowsTotal)} rows. You can keep working.`);
      this.#schedule(POLL_MS);
    } catch (error) {
      this.error = toProblem(error).detail;
    }
    this.#host.requestUpdate();
  }

  /** Forgets a finished or failed export (the "Dismiss" button). */
  dismiss(): void {
    if (this.busy) return;
    this.state = null;
    this.error = '';
    this.#host.requestUpdate();
  }

  async download(): Promise<void> {
    const s = this.state;
    if (!s || s.status !== 'done' || this.downloading) return;
    this.downloading = true;
    this.error = '';
    this.#host.requestUpdate();
    try {
      const { blob, fileName } = await this.#client().download('GET', `/reports/exports/${encodeURIComponent(s.id)}/file`);
      await this.#hooks.saveFile({ key: s.report.key, format: 'pdf', fileName: fileName || s.fileName, blob });
      this.#hooks.announce(`${fileName || s.fileName} is downloaded.`);
    } catch (error) {
      this.error = toProblem(error).detail;
    } finally {
      this.downloading = false;
      this.#host.requestUpdate();
    }
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#connected) this.#timer = setTimeout(() => void this.#poll(), ms);
  }

  async #poll(): Promise<void> {
    const s = this.state;
    if (!s || !this.busy) return;
    try {
      const next = await this.#client().get<ExportState>(`/reports/exports/${encodeURIComponent(s.id)}`);
      this.state = next;
      this.#announceProgress(next);
    } catch (error) {
      // one failed poll is not the export failing: say so, and keep asking
      this.error = `Could not check the PDF's progress: ${toProblem(error).detail} Trying again…`;
      this.#host.requestUpdate();
      this.#schedule(POLL_MS * 4);
      return;
    }
    this.error = '';
    this.#host.requestUpdate();
    if (this.busy) this.#schedule(POLL_MS);
  }

  #announceProgress(s: ExportState): void {
    if (s.status === 'done') {
      this.#hooks.announce(`The PDF of ${s.report.title} is ready: ${s.pagesDone} pages. Use "Download PDF" to save it.`);
    } else if (s.status === 'failed' || s.status === 'expired') {
      this.#hooks.announce(`The PDF of ${s.report.title} could not be made.`);
    } else {
      const quarter = Math.floor(percentOf(s) / 25);
      if (quarter > this.#announcedQuarter && quarter < 4) {
        this.#announcedQuarter = quarter;
        this.#hooks.announce(`PDF ${quarter * 25}% done.`);
      }
    }
  }
}

const sizeText = (bytes: number | null) => (bytes === null ? '' : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`);

/** The export's progress bar, its file when ready, or what went wrong. */
export function renderPdfExport(c: PdfExportController) {
  const s = c.state;
  if (!s && !c.error) return nothing;
  const failed = s && (s.status === 'failed' || s.status === 'expired');
  return html`
    <section class="pdf-export" part="pdf-export" aria-label="PDF export">
      ${s && c.busy
        ? html`
          <div class="pdf-progress">
            <span id="pdf-progress-label">PDF of ${s.report.title}: ${s.status === 'queued' ? 'waiting to start' : `${formatCount(s.rowsDone)} of ${formatCount(s.rowsTotal)} rows, ${formatCount(s.pagesDone)} pages`}</span>
            <div class="bar" part="progress" role="progressbar" aria-labelledby="pdf-progress-label"
              aria-valuemin="0" aria-valuemax="100" aria-valuenow=${percentOf(s)} aria-valuetext="${percentOf(s)}% (${formatCount(s.rowsDone)} of ${formatCount(s.rowsTotal)} rows)">
              <span style="width:${percentOf(s)}%"></span>
            </div>
            <span class="hint">You can keep working; the file is offered here when it is ready.</span>
          </div>`
        : nothing}
      ${s?.status === 'done'
        ? html`
          <div class="pdf-ready">
            <span>The PDF of ${s.report.title} is ready: ${formatCount(s.pagesDone)} pages, ${sizeText(s.byteSize)}.</span>
            <button class="primary" part="button" type="button" data-action="download-pdf" ?disabled=${c.downloading} @click=${() => void c.download()}>Download PDF</button>
            <button part="button" type="button" data-action="dismiss-pdf" @click=${() => c.dismiss()}>Dismiss</button>
          </div>`
        : nothing}
      ${failed
        ? html`<div class="alert" part="error" role="alert">
            ${s!.status === 'expired' ? 'This PDF has expired. Export the report again.' : `The PDF could not be made: ${s!.failure ?? 'unknown error'}`}
            <button part="button" type="button" data-action="dismiss-pdf" @click=${() => c.dismiss()}>Dismiss</button>
          </div>`
        : nothing}
      ${c.error ? html`<div class="alert" part="error" role="alert">${c.error}</div>` : nothing}
    </section>
  `;
}
