import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { z } from 'zod';
import type { CatalogueResponse, Schedule, ScheduleList, ScheduleRun } from '../../api/reports/reports.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem } from '../internal/api-client.js';
import { ConfirmController } from '../internal/confirm.js';
import { formatDateTime, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { renderLoaded } from './console-kit.js';

type Schedules = z.output<typeof ScheduleList>;
type Sched = z.output<typeof Schedule>;
type Run = z.output<typeof ScheduleRun>;
type Catalogue = z.output<typeof CatalogueResponse>;

const POLL_MS = 1000;
const RUN_TEXT: Record<Run['status'], string> = { queued: 'Waiting for the job runner…', running: 'Making the snapshot…', succeeded: 'Snapshot ready.', failed: 'The snapshot failed.' };

/**
 * Report snapshot schedules for agency staff: every schedule with its next run, a new schedule
 * (report, frequency, client or all clients), "Run now" — which makes a snapshot at once, shows its
 * progress and then a link to open it — and a schedule stopped after a confirmation.
 *
 * @summary Schedule report snapshots and run one now.
 * @tag ck-report-schedules
 *
 * @fires {CustomEvent<Run>} ck-snapshot-ready - A "Run now" snapshot is ready.
 *
 * @csspart form - The new schedule form.
 * @csspart table - The schedules.
 * @csspart progress - A run's progress.
 */
export class CkReportSchedules extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    dataTableStyles,
    cardTableStyles,
    areaStyles,
    css`
      .run {
        display: flex;
        flex-wrap: wrap;
        gap: var(--ck-space-2, 0.5rem);
        align-items: center;
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Turns a snapshot id into the link that opens it (the console's route); by default none. */
  @property({ attribute: false }) snapshotHref: ((snapshotId: string) => string) | null = null;

  @state() private runs: Record<string, Run> = {};
  @state() private busy = false;
  @state() private error = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private message = '';

  #portal = new PortalConnection(this);
  #confirm = new ConfirmController(this);
  #timers = new Set<ReturnType<typeof setTimeout>>();

  #schedules = new Task(this, {
    task: async ([client, ok], { signal }) => (ok ? client.get<Schedules>('/reports/schedules', undefined, signal) : null),
    args: () => [this.#portal.client, this.#can('reports.run')] as const,
  });

  #catalogue = new Task(this, {
    task: async ([client, ok], { signal }) => (ok ? client.get<Catalogue>('/reports', undefined, signal) : null),
    args: () => [this.#portal.client, this.#can('reports.schedule')] as const,
  });

  #can(permission: string): boolean {
    return Boolean(this.#portal.user?.permissions.includes(permission));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #onCreate = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const report = String(data.get('report') ?? '');
    const clientId = String(data.get('scheduleClient') ?? '');
    this.error = '';
    this.message = '';
    this.fieldErrors = {};
    if (!report) {
      this.fieldErrors = { report: 'Choose a report.' };
      this.error = 'Choose a report.';
      return;
    }
    this.busy = true;
    try {
      const created = await this.#portal.client.request<Sched>('POST', `/reports/${encodeURIComponent(report)}/schedules`, {
        body: { frequency: String(data.get('frequency') ?? 'monthly'), ...(clientId ? { clientId } : {}) },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      this.message = `${label(created.frequency)} snapshots of ${created.report.title} for ${created.client?.name ?? 'all clients'} are scheduled; the first on ${formatDateTime(created.nextRunAt)}.`;
      void this.#schedules.run();
    } catch (error) {
      this.error = toProblem(error).detail;
      if (error instanceof ApiError) this.fieldErrors = error.fieldErrors();
    } finally {
      this.busy = false;
    }
  };

  async #runNow(s: Sched): Promise<void> {
    this.error = '';
    try {
      const run = await this.#portal.client.request<Run>('POST', `/reports/schedules/${encodeURIComponent(s.id)}/run`);
      this.runs = { ...this.runs, [s.id]: run };
      this.#poll(s.id, run.id);
    } catch (error) {
      this.error = toProblem(error).detail;
    }
  }

  #poll(scheduleId: string, runId: string): void {
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      if (!this.isConnected) return;
      try {
        const run = await this.#portal.client.get<Run>(`/reports/schedules/${encodeURIComponent(scheduleId)}/runs/${encodeURIComponent(runId)}`);
        this.runs = { ...this.runs, [scheduleId]: run };
        if (run.status === 'succeeded') {
          this.emit('ck-snapshot-ready', run);
          await this.updateComplete;
          this.renderRoot.querySelector<HTMLElement>(`tr[data-id="${scheduleId}"] [data-action=open-snapshot]`)?.focus();
        } else if (run.status !== 'failed') this.#poll(scheduleId, runId);
      } catch (error) {
        this.error = toProblem(error).detail;
      }
    }, POLL_MS);
    this.#timers.add(timer);
  }

  async #stop(s: Sched): Promise<void> {
    const ok = await this.#confirm.ask({
      title: 'Stop this schedule?',
      body: `No more ${s.frequency} snapshots of ${s.report.title} for ${s.client?.name ?? 'all clients'}. Snapshots already made are kept.`,
      confirmLabel: 'Stop the schedule',
    });
    if (ok === null) return;
    try {
      await this.#portal.client.request('DELETE', `/reports/schedules/${encodeURIComponent(s.id)}`);
      this.message = `The schedule of ${s.report.title} is stopped.`;
      void this.#schedules.run();
    } catch (error) {
      this.error = toProblem(error).detail;
    }
  }

  #renderRun(s: Sched) {
    const run = this.runs[s.id];
    if (!run) return nothing;
    const done = run.status === 'succeeded' && run.snapshotId;
    return html`<div class="run" part="progress" data-field="run" data-status=${run.status}>
      ${run.status === 'queued' || run.status === 'running' ? html`<progress aria-label="Snapshot of ${s.report.title}"></progress>` : nothing}
      <span role="status">${RUN_TEXT[run.status]}${run.error ? ` ${run.error}` : ''}</span>
      ${done && this.snapshotHref ? html`<a data-action="open-snapshot" href=${this.snapshotHref(run.snapshotId!)}>Open the snapshot</a>` : nothing}
    </div>`;
  }

  #renderList(list: Schedules | null) {
    if (!list) return nothing;
    if (!list.data.length) return html`<p class="empty" data-field="empty">No schedules yet.${this.#can('reports.schedule') ? ' Schedule a report above.' : ''}</p>`;
    const manage = this.#can('reports.schedule');
    return html`<div class="scroll" tabindex="0" role="region" aria-label="Report schedules">
      <table part="table" class="cards">
        <thead><tr><th scope="col">Report</th><th scope="col">For</th><th scope="col">Every</th><th scope="col">Next snapshot</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${list.data.map(
            (s) => html`<tr data-id=${s.id}>
              <td data-label="Report">${s.report.title}</td>
              <td data-label="For">${s.client?.name ?? 'All clients'}</td>
              <td data-label="Every">${label(s.frequency)}</td>
              <td data-label="Next snapshot">${formatDateTime(s.nextRunAt)}</td>
              <td data-label="">
                ${manage
                  ? html`<div class="actions">
                      <button type="button" class="primary" data-action="run-now" aria-label="Run now: ${s.report.title} for ${s.client?.name ?? 'all clients'}"
                        ?disabled=${this.runs[s.id]?.status === 'queued' || this.runs[s.id]?.status === 'running'} @click=${() => void this.#runNow(s)}>Run now</button>
                      <button type="button" data-action="stop" aria-label="Stop the schedule of ${s.report.title}" @click=${() => void this.#stop(s)}>Stop</button>
                    </div>`
                  : nothing}
                ${this.#renderRun(s)}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #renderForm() {
    if (!this.#can('reports.schedule')) return nothing;
    const reports = this.#catalogue.value?.data ?? [];
    const clients = this.#portal.user?.clients ?? [];
    const agency = this.#portal.user?.kind === 'agency';
    return html`<form class="panel" part="form" novalidate aria-labelledby="new-schedule-title" @submit=${this.#onCreate}>
      <h2 id="new-schedule-title">New schedule</h2>
      <div class="grid-form">
        <div class="field">
          <label for="report">Report</label>
          <select id="report" name="report" aria-invalid=${this.fieldErrors.report ? 'true' : 'false'} aria-describedby="report-error">
            ${reports.map((r) => html`<option value=${r.key}>${r.title}</option>`)}
          </select>
          <span class="error" id="report-error">${this.fieldErrors.report ?? ''}</span>
        </div>
        <div class="field">
          <label for="frequency">Every</label>
          <select id="frequency" name="frequency">${['daily', 'weekly', 'monthly'].map((f) => html`<option value=${f} ?selected=${f === 'monthly'}>${label(f)}</option>`)}</select>
        </div>
        <div class="field">
          <label for="scheduleClient">For</label>
          <select id="scheduleClient" name="scheduleClient" aria-describedby="clientId-error">
            ${agency ? html`<option value="">All clients</option>` : nothing}
            ${clients.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
          </select>
          <span class="error" id="clientId-error">${this.fieldErrors.clientId ?? ''}</span>
        </div>
        <button class="primary" type="submit" ?disabled=${this.busy || !reports.length}>${this.busy ? 'Scheduling…' : 'Schedule snapshots'}</button>
      </div>
    </form>`;
  }

  override render() {
    if (!this.#can('reports.run')) return html`<p class="hint">Sign in with an account that may run reports.</p>`;
    return html`
      ${this.#renderForm()}
      <p class="hint" role="status" data-field="message">${this.message}</p>
      <p class="alert" role="alert">${this.error}</p>
      <h2>Schedules</h2>
      ${renderLoaded(this.#schedules, 'Loading schedules…', (list) => this.#renderList(list))}
      ${this.#confirm.render()}
    `;
  }
}

CkReportSchedules.define('ck-report-schedules');

declare global {
  interface HTMLElementTagNameMap {
    'ck-report-schedules': CkReportSchedules;
  }
}
