import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { z } from 'zod';
import type { CatalogueResponse, ReportResult, SnapshotList, SnapshotView } from '../../api/reports/reports.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { formatCount, formatDateTime, label as humanize } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { reportViewerStyles } from './report-viewer.styles.js';
import { fieldErrorsOf, parametersOf, renderParameter, type Report } from './report-parameters.js';
import { renderResult } from './report-table.js';
import { PdfExportController, renderPdfExport } from './pdf-export.js';

type Catalogue = z.output<typeof CatalogueResponse>;
type Result = z.output<typeof ReportResult>;
type Snapshots = z.output<typeof SnapshotList>;
type SnapshotPage = z.output<typeof SnapshotView>;
type Format = 'csv' | 'xlsx' | 'pdf';

/** Detail of `ck-report-run`: a report finished running on screen. */
export interface ReportRunDetail {
  key: string;
  parameters: Record<string, unknown>;
  total: number;
}

/** Detail of `ck-report-download`: a file is ready; cancel the event to handle the Blob yourself. */
export interface ReportDownloadDetail {
  key: string;
  format: string;
  fileName: string;
  blob: Blob;
  /** the snapshot's id when the file is a snapshot */
  snapshotId?: string;
}

const FORMAT_LABELS: Record<string, string> = { json: 'JSON', csv: 'CSV', xlsx: 'Excel (XLSX)', pdf: 'PDF' };
const TABS = [
  { id: 'run', label: 'Run report' },
  { id: 'snapshots', label: 'Snapshots' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/**
 * Reports for client and agency users: the catalogue the signed-in user may run, a form for the
 * chosen report's parameters, the result as a table (with a chart where the report has one), exports
 * as CSV, Excel or PDF, and the report's scheduled snapshots to view or download. Long runs and
 * exports show progress and are announced to screen readers. A PDF (up to 20,000 rows) is made in
 * the background: its progress shows while the person keeps working, then a "Download PDF" button.
 *
 * @summary Run reports, export them, and browse their snapshots.
 * @tag ck-report-viewer
 *
 * @slot empty - Replaces the "No rows match…" message.
 *
 * @fires {CustomEvent<ReportRunDetail>} ck-report-run - A report finished running on screen.
 * @fires {CustomEvent<ReportDownloadDetail>} ck-report-download - An export or snapshot file is ready (cancelable: then nothing is saved).
 *
 * @csspart base - The wrapper.
 * @csspart picker - The report chooser.
 * @csspart label - A field label.
 * @csspart input - An input or select.
 * @csspart field-error - The error under a field.
 * @csspart button - Every button.
 * @csspart tabs - The tab list.
 * @csspart tab - A tab.
 * @csspart panel - A tab panel.
 * @csspart form - The parameter form (and the schedule form).
 * @csspart schedule-form - The "Schedule snapshots" form (users allowed to schedule).
 * @csspart schedule-result - What was scheduled.
 * @csspart export-menu - The export disclosure menu.
 * @csspart progress - The progress shown while a report runs or a file is prepared (a PDF's is a progressbar with its percentage).
 * @csspart pdf-export - A PDF being made in the background: its progress, then its download.
 * @csspart notice - A caveat above the results.
 * @csspart chart - The chart figure.
 * @csspart table - A results table.
 * @csspart summary - "Rows 1–100 of 1,234".
 * @csspart error - A problem shown when a request fails.
 * @csspart empty - The no-rows message.
 *
 * @cssprop --ck-color-chart-1 - First chart series colour (and --ck-color-chart-2, -3).
 * @cssprop --ck-color-surface-alt - Background of column headers and the empty state.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkReportViewer extends CkElement {
  static override styles = [baseStyles, formStyles, reportViewerStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The key of the chosen report (`inventory`, `status`, …); the first in the catalogue by default. */
  @property({ reflect: true }) report = '';

  /** Rows per page on screen (1–1000). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 50;

  /** The open tab. */
  @property({ attribute: 'active-tab', reflect: true }) activeTab: Tab = 'run';

  /** The parameters of the last run (null until the user runs the report). */
  @state() private run: { key: string; parameters: Record<string, unknown>; page: number } | null = null;

  /** The export being prepared, and what went wrong with the last one. */
  @state() private exporting: string | null = null;

  @state() private exportError = '';

  /** Said by the polite live region: results ready, file downloaded. */
  @state() private announcement = '';

  @state() private snapshotId: string | null = null;

  @state() private snapshotPage = 1;

  /** The outcome of the last "Schedule snapshots" submit. */
  @state() private scheduleMessage = '';

  @state() private scheduleError = '';

  @state() private scheduling = false;

  #portal = new PortalConnection(this);

  #pdf = new PdfExportController(this, () => this.#portal.client, {
    saveFile: (detail) => this.#save(detail),
    announce: (text) => {
      this.announcement = text;
    },
  });

  #catalogue = new Task(this, {
    task: async ([client, userId], { signal }) => {
      if (!userId) return initialState;
      return client.get<Catalogue>('/reports', undefined, signal);
    },
    args: () => [this.#portal.client, this.#usableUserId] as const,
  });

  #result = new Task(this, {
    task: async ([client, run, pageSize], { signal }) => {
      if (!run) return initialState;
      const result = await client.request<Result>('POST', `/reports/${encodeURIComponent(run.key)}/run`, {
        body: { format: 'json', parameters: run.parameters, page: run.page, pageSize }, signal,
      });
      this.announcement = `${result.report.title}: ${formatCount(result.total)} rows.`;
      this.emit<ReportRunDetail>('ck-report-run', { key: run.key, parameters: run.parameters, total: result.total });
      return result;
    },
    args: () => [this.#portal.client, this.run, this.pageSize] as const,
  });

  #snapshots = new Task(this, {
    task: async ([client, userId, key, tab], { signal }) => {
      if (!userId || !key || tab !== 'snapshots') return initialState;
      return client.get<Snapshots>(`/reports/${encodeURIComponent(key)}/snapshots`, { pageSize: 50 }, signal);
    },
    args: () => [this.#portal.client, this.#usableUserId, this.#current?.key ?? '', this.activeTab] as const,
  });

  #snapshot = new Task(this, {
    task: async ([client, id, page, pageSize], { signal }) => {
      if (!id) return initialState;
      return client.get<SnapshotPage>(`/reports/snapshots/${encodeURIComponent(id)}`, { page, pageSize }, signal);
    },
    args: () => [this.#portal.client, this.snapshotId, this.snapshotPage, this.pageSize] as const,
  });

  /** Runs the chosen report with the parameters in the form (as the Run button does). */
  runReport(): void {
    const form = this.renderRoot.querySelector<HTMLFormElement>('#run-form');
    if (form) form.requestSubmit();
  }

  get #usableUserId(): string | null {
    const user = this.#portal.user;
    return user && !user.onboarding.required ? user.id : null;
  }

  get #reports(): Report[] {
    return this.#catalogue.value?.data ?? [];
  }

  get #current(): Report | undefined {
    return this.#reports.find((r) => r.key === this.report) ?? this.#reports[0];
  }

  /** Set by a run the user asked for: its results take the focus once they are on screen. */
  #focusResults = false;

  #onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const report = this.#current;
    if (!report) return;
    this.run = { key: report.key, parameters: parametersOf(event.target as HTMLFormElement, report), page: 1 };
    this.#focusResults = true;
  };

  override updated(): void {
    if (!this.#focusResults || this.#result.status === TaskStatus.PENDING || this.#result.status === TaskStatus.INITIAL) return;
    this.#focusResults = false;
    // The Run button is disabled while the report runs, which drops the focus to the page: the results
    // (or the reason there are none) take it, unless the user has since moved it somewhere themselves.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost) this.renderRoot.querySelector<HTMLElement>('.results')?.focus();
  }

  #onReportChange = (event: Event) => {
    this.report = (event.target as HTMLSelectElement).value;
  };

  async #save(detail: ReportDownloadDetail): Promise<void> {
    const event = this.emit<ReportDownloadDetail>('ck-report-download', detail, { cancelable: true });
    if (event.defaultPrevented) return;
    const url = URL.createObjectURL(detail.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = detail.fileName;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
  }

  async #export(format: Format): Promise<void> {
    const report = this.#current;
    const form = this.renderRoot.querySelector<HTMLFormElement>('#run-form');
    if (!report || !form || this.exporting) return;
    this.renderRoot.querySelector('details[part~=export-menu]')?.removeAttribute('open');
    // A PDF is made in the background, whatever its length (up to 20,000 rows): progress, then the file.
    if (format === 'pdf') return this.#pdf.start(report.key, parametersOf(form, report));
    this.exporting = format;
    this.exportError = '';
    this.announcement = `Preparing ${FORMAT_LABELS[format]}…`;
    try {
      const { blob, fileName } = await this.#portal.client.download('POST', `/reports/${encodeURIComponent(report.key)}/run`, {
        body: { format, parameters: parametersOf(form, report) },
      });
      await this.#save({ key: report.key, format, fileName, blob });
      this.announcement = `${fileName} is ready.`;
    } catch (error) {
      this.exportError = toProblem(error).detail;
      this.announcement = '';
    } finally {
      this.exporting = null;
    }
  }

  async #downloadSnapshot(snapshotId: string, key: string, format: string): Promise<void> {
    this.exporting = format;
    this.exportError = '';
    try {
      const { blob, fileName } = await this.#portal.client.download('GET', `/reports/snapshots/${encodeURIComponent(snapshotId)}/download`, { query: { format } });
      await this.#save({ key, format, fileName, blob, snapshotId });
      this.announcement = `${fileName} is ready.`;
    } catch (error) {
      this.exportError = toProblem(error).detail;
    } finally {
      this.exporting = null;
    }
  }

  #onSchedule = async (event: SubmitEvent) => {
    event.preventDefault();
    const report = this.#current;
    if (!report || this.scheduling) return;
    const data = new FormData(event.target as HTMLFormElement);
    const clientId = String(data.get('scheduleClient') ?? '');
    this.scheduling = true;
    this.scheduleError = '';
    this.scheduleMessage = '';
    try {
      const created = await this.#portal.client.request<{ frequency: string; nextRunAt: string; client: { name: string } | null }>(
        'POST', `/reports/${encodeURIComponent(report.key)}/schedules`,
        { body: { frequency: String(data.get('frequency')), ...(clientId ? { clientId } : {}), parameters: {} } },
      );
      this.scheduleMessage = `${humanize(created.frequency)} snapshots of ${report.title} for ${created.client?.name ?? 'all clients'} are scheduled; the first on ${formatDateTime(created.nextRunAt)}.`;
      this.announcement = this.scheduleMessage;
    } catch (error) {
      this.scheduleError = toProblem(error).detail;
    } finally {
      this.scheduling = false;
    }
  };

  #renderScheduleForm(report: Report) {
    const user = this.#portal.user;
    if (!user?.permissions.includes('reports.schedule')) return nothing;
    const agency = user.kind === 'agency';
    return html`
      <form part="form schedule-form" aria-label="Schedule snapshots of ${report.title}" novalidate @submit=${this.#onSchedule}>
        <div class="field">
          <label part="label" for="frequency">Snapshot every</label>
          <select part="input" id="frequency" name="frequency">
            <option value="daily">Day</option>
            <option value="weekly" selected>Week (Mondays)</option>
            <option value="monthly">Month (the 1st)</option>
          </select>
        </div>
        <div class="field">
          <label part="label" for="scheduleClient">For</label>
          <select part="input" id="scheduleClient" name="scheduleClient">
            ${agency ? html`<option value="">All clients</option>` : nothing}
            ${user.clients.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
          </select>
        </div>
        <div class="actions">
          <button part="button" type="submit" ?disabled=${this.scheduling}>Schedule snapshots</button>
          <span class="hint">With the report's default parameters.</span>
        </div>
        <p class="hint" part="schedule-result">${this.scheduleMessage}</p>
        <div class="alert" part="error" role="alert">${this.scheduleError}</div>
      </form>
    `;
  }

  #selectTab(tab: Tab, focus = false): void {
    this.activeTab = tab;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  #onTabKeydown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === this.activeTab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.#selectTab(TABS[(moves[event.key]! + TABS.length) % TABS.length]!.id, true);
  };

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('report') && changed.get('report') !== undefined) {
      this.run = null;
      this.snapshotId = null;
      this.exportError = '';
    }
  }

  #renderForm(report: Report) {
    const errors = fieldErrorsOf(this.#result.status === TaskStatus.ERROR ? this.#result.error : null);
    const running = this.#result.status === TaskStatus.PENDING;
    return keyed(report.key, html`
      <form id="run-form" part="form" aria-label="${report.title} parameters" novalidate @submit=${this.#onSubmit}>
        ${report.parameters.map((p) => renderParameter(p, errors))}
        <div class="actions">
          <button class="primary" part="button" type="submit" ?disabled=${running}>Run report</button>
          <details part="export-menu">
            <summary part="button">Export…</summary>
            <div role="group" aria-label="Export formats">
              ${(['csv', 'xlsx', 'pdf'] as const).filter((f) => report.formats.includes(f)).map((f) => html`
                <button part="button" type="button" data-format=${f} ?disabled=${f === 'pdf' ? this.#pdf.busy : this.exporting !== null} @click=${() => void this.#export(f)}>${FORMAT_LABELS[f]}</button>`)}
            </div>
          </details>
          ${this.exporting ? html`<span part="progress"><progress aria-label="Preparing ${FORMAT_LABELS[this.exporting]}"></progress>Preparing ${FORMAT_LABELS[this.exporting]}…</span>` : nothing}
        </div>
        <div class="alert" part="error" role="alert">${this.exportError}</div>
      </form>
    `);
  }

  #renderRunPanel(report: Report) {
    const task = this.#result;
    let body: unknown = html`<p class="hint">Choose the parameters and run the report, or export it directly.</p>`;
    if (task.status === TaskStatus.ERROR) {
      body = html`<div class="alert" part="error" role="alert">${toProblem(task.error).detail}</div>`;
    } else if (task.value && this.run) {
      body = renderResult(task.value, (page) => { if (this.run) this.run = { ...this.run, page }; });
    }
    return html`
      <p class="hint">${report.description}</p>
      ${this.#renderForm(report)}
      ${renderPdfExport(this.#pdf)}
      ${task.status === TaskStatus.PENDING
        ? html`<div part="progress"><progress aria-label="Running ${report.title}"></progress><span>Running ${report.title}…</span></div>`
        : nothing}
      <div class="results" tabindex="-1" role="region" aria-label="${report.title}: results" aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>${body}</div>
    `;
  }

  #renderSnapshotsPanel(report: Report) {
    return html`${this.#renderScheduleForm(report)}${this.#renderSnapshotList(report)}`;
  }

  #renderSnapshotList(report: Report) {
    const list = this.#snapshots;
    if (list.status === TaskStatus.ERROR) return html`<div class="alert" part="error" role="alert">${toProblem(list.error).detail}</div>`;
    if (!list.value) return html`<p class="hint">Loading snapshots…</p>`;
    if (!list.value.data.length) {
      return html`<div class="empty" part="empty">No snapshots of ${report.title} yet. Snapshots appear here once a schedule has run.</div>`;
    }
    const open = this.#snapshot;
    return html`
      <div class="table-wrap" tabindex="0" role="region" aria-label="Snapshots of ${report.title}">
        <table part="table">
          <caption>Snapshots of ${report.title}</caption>
          <thead><tr><th scope="col">Made</th><th scope="col">Client</th><th scope="col" class="num">Rows</th><th scope="col">View</th><th scope="col">Download</th></tr></thead>
          <tbody>
            ${list.value.data.map((s) => html`
              <tr data-id=${s.id}>
                <td data-label="Made">${formatDateTime(s.generatedAt)}</td>
                <td data-label="Client">${s.client?.name ?? 'All clients'}</td>
                <td data-label="Rows" class="num">${formatCount(s.rowCount)}</td>
                <td data-label="View">
                  <button part="button" type="button" data-action="view" aria-pressed=${this.snapshotId === s.id ? 'true' : 'false'}
                    aria-label="View the snapshot of ${formatDateTime(s.generatedAt)}"
                    @click=${() => { this.snapshotId = s.id; this.snapshotPage = 1; }}>View</button>
                </td>
                <td data-label="Download">
                  <div class="downloads">
                    ${s.formats.filter((f) => f !== 'json').map((f) => html`
                      <button part="button" type="button" data-format=${f} ?disabled=${this.exporting !== null}
                        aria-label="Download the snapshot of ${formatDateTime(s.generatedAt)} as ${FORMAT_LABELS[f] ?? f}"
                        @click=${() => void this.#downloadSnapshot(s.id, report.key, f)}>${(FORMAT_LABELS[f] ?? f).split(' ')[0]}</button>`)}
                  </div>
                </td>
              </tr>`)}
          </tbody>
        </table>
      </div>
      <div class="alert" part="error" role="alert">${this.exportError}</div>
      ${this.snapshotId
        ? html`<section aria-label="Snapshot" class="results" aria-busy=${open.status === TaskStatus.PENDING ? 'true' : 'false'}>
            ${open.status === TaskStatus.ERROR
              ? html`<div class="alert" part="error" role="alert">${toProblem(open.error).detail}</div>`
              : open.value
                ? html`<h3>Snapshot of ${formatDateTime(open.value.snapshot.generatedAt)}</h3>${renderResult(open.value, (page) => { this.snapshotPage = page; })}`
                : html`<div part="progress"><progress aria-label="Loading the snapshot"></progress>Loading the snapshot…</div>`}
          </section>`
        : nothing}
    `;
  }

  override render() {
    if (!this.#usableUserId) return html`<p class="hint">Sign in to run reports.</p>`;
    const catalogue = this.#catalogue;
    if (catalogue.status === TaskStatus.ERROR) return html`<div class="alert" part="error" role="alert">${toProblem(catalogue.error).detail}</div>`;
    if (!catalogue.value) return html`<div part="progress"><progress aria-label="Loading reports"></progress>Loading reports…</div>`;
    const report = this.#current;
    if (!report) return html`<div class="empty" part="empty">No reports are available to you. Ask your administrator for the reports permission.</div>`;
    return html`
      <div part="base">
        <div class="picker" part="picker">
          <div class="field">
            <label part="label" for="report">Report</label>
            <select part="input" id="report" @change=${this.#onReportChange}>
              ${this.#reports.map((r) => html`<option value=${r.key} ?selected=${r.key === report.key}>${r.title}</option>`)}
            </select>
          </div>
          <p class="hint">${report.lastSnapshotAt ? html`Last snapshot ${formatDateTime(report.lastSnapshotAt)}` : 'No snapshots yet'}</p>
        </div>
        <div role="tablist" part="tabs" aria-label="Report views" @keydown=${this.#onTabKeydown}>
          ${TABS.map((t) => html`
            <button part="tab button" role="tab" type="button" id="tab-${t.id}" aria-selected=${this.activeTab === t.id ? 'true' : 'false'}
              aria-controls="panel-${t.id}" tabindex=${this.activeTab === t.id ? 0 : -1} @click=${() => this.#selectTab(t.id)}>${t.label}</button>`)}
        </div>
        ${TABS.map((t) => html`
          <div part="panel" role="tabpanel" id="panel-${t.id}" aria-labelledby="tab-${t.id}" ?hidden=${this.activeTab !== t.id}>
            ${this.activeTab !== t.id ? nothing : t.id === 'run' ? this.#renderRunPanel(report) : this.#renderSnapshotsPanel(report)}
          </div>`)}
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      </div>
    `;
  }
}

CkReportViewer.define('ck-report-viewer');

declare global {
  interface HTMLElementTagNameMap {
    'ck-report-viewer': CkReportViewer;
  }
  interface GlobalEventHandlersEventMap {
    'ck-report-run': CustomEvent<ReportRunDetail>;
    'ck-report-download': CustomEvent<ReportDownloadDetail>;
  }
}
