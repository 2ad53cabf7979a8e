import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { z } from 'zod';
import type { CatalogueResponse, Schedule, ScheduleList, ScheduleRun } from '../../api/reports/reports.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { toProblem } from '../internal/api-client.js';
import { formatDateTime, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { ManagedList } from './managed-list.js';

type Schedules = z.output<typeof ScheduleList>;
type Sched = z.output<typeof Schedule>;
type Run = z.output<typeof ScheduleRun>;
type Catalogue = z.output<typeof CatalogueResponse>;

const POLL_MS = 1000;
const CHECK_FAILED = "Can't check the snapshot's progress just now; still trying.";
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
  #timers = new Set<ReturnType<typeof setTimeout>>();

  #schedules = new ManagedList(this, {
    permission: 'reports.run',
    load: (client, signal) => client.get<Schedules>('/reports/schedules', undefined, signal),
  });

  #catalogue = new Task(this, {
    task: async ([client, ok], { signal }) => (ok ? client.get<Catalogue>('/reports', undefined, signal) : null),
    args: () => [this.#schedules.portal.client, this.#can('reports.schedule')] as const,
  });

  #can(permission: string): boolean {
    return Boolean(this.#schedules.portal.user?.permissions.includes(permission));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #onCreate = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const report = String(data.get('report') ?? '');
    const clientId = String(data.get('scheduleClient') ?? '');
    if (!report) {
      this.#schedules.invalid('Choose a report.', { report: 'Choose a report.' });
      return;
    }
    const body = { frequency: String(data.get('frequency') ?? 'monthly'), ...(clientId ? { clientId } : {}) };
    void this.#schedules.change(
      'create',
      (client) => client.request<Sched>('POST', `/reports/${encodeURIComponent(report)}/schedules`, { body, headers: { 'Idempotency-Key': crypto.randomUUID() } }),
      {
        done: (created) =>
          `${label(created.frequency)} snapshots of ${created.report.title} for ${created.client?.name ?? 'all clients'} are scheduled; the first on ${formatDateTime(created.nextRunAt)}.`,
      },
    );
  };

  #runNow(s: Sched): void {
    void this.#schedules.change(s.id, (client) => client.request<Run>('POST', `/reports/schedules/${encodeURIComponent(s.id)}/run`), {
      done: (run) => {
        this.runs = { ...this.runs, [s.id]: run };
        this.#poll(s.id, run.id);
      },
    });
  }

  /** Checks the run every POLL_MS until it ends; `delay` grows while checks fail for a passing reason. */
  #poll(scheduleId: string, runId: string, delay = POLL_MS): void {
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      if (!this.isConnected) return;
      try {
        const run = await this.#schedules.portal.client.get<Run>(`/reports/schedules/${encodeURIComponent(scheduleId)}/runs/${encodeURIComponent(runId)}`);
        this.runs = { ...this.runs, [scheduleId]: run };
        if (run.status === 'succeeded') {
          this.emit('ck-snapshot-ready', run);
          await this.updateComplete;
          this.renderRoot.querySelector<HTMLElement>(`tr[data-id="${scheduleId}"] [data-action=open-snapshot]`)?.focus();
        } else if (run.status !== 'failed') this.#poll(scheduleId, runId);
        if (this.#schedules.error === CHECK_FAILED) this.#schedules.error = '';
      } catch (error) {
        const problem = toProblem(error);
        // The run goes on on the server whatever happened to one check: keep asking, more slowly,
        // unless the answer says it never will (gone, or no longer ours to see).
        if (problem.status === 0 || problem.status === 429 || problem.status >= 500) {
          this.#schedules.error = CHECK_FAILED;
          this.#poll(scheduleId, runId, Math.min(delay * 2, 30 * POLL_MS));
        } else this.#schedules.error = problem.detail;
      }
    }, delay);
    this.#timers.add(timer);
  }

  #stop(s: Sched): void {
    void this.#schedules.change(s.id, (client) => client.request('DELETE', `/reports/schedules/${encodeURIComponent(s.id)}`), {
      confirm: {
        title: 'Stop this schedule?',
        body: `No more ${s.frequency} snapshots of ${s.report.title} for ${s.client?.name ?? 'all clients'}. Snapshots already made are kept.`,
        confirmLabel: 'Stop the schedule',
      },
      done: () => `The schedule of ${s.report.title} is stopped.`,
    });
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
                        ?disabled=${this.#schedules.busy(s.id) || this.runs[s.id]?.status === 'queued' || this.runs[s.id]?.status === 'running'} @click=${() => this.#runNow(s)}>Run now</button>
                      <button type="button" data-action="stop" aria-label="Stop the schedule of ${s.report.title}" ?disabled=${this.#schedules.busy(s.id)} @click=${() => this.#stop(s)}>Stop</button>
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
    const schedules = this.#schedules;
    const clients = schedules.portal.user?.clients ?? [];
    const agency = schedules.portal.user?.kind === 'agency';
    return html`<form class="panel" part="form" novalidate aria-labelledby="new-schedule-title" @submit=${this.#onCreate}>
      <h2 id="new-schedule-title">New schedule</h2>
      <div class="grid-form">
        <div class="field">
          <label for="report">Report</label>
          <select id="report" name="report" aria-invalid=${schedules.fieldErrors.report ? 'true' : 'false'} aria-describedby="report-error">
            ${reports.map((r) => html`<option value=${r.key}>${r.title}</option>`)}
          </select>
          <span class="error" id="report-error">${schedules.fieldErrors.report ?? ''}</span>
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
          <span class="error" id="clientId-error">${schedules.fieldErrors.clientId ?? ''}</span>
        </div>
        <button class="primary" type="submit" ?disabled=${schedules.busy('create') || !reports.length}>${schedules.busy('create') ? 'Scheduling…' : 'Schedule snapshots'}</button>
      </div>
    </form>`;
  }

  override render() {
    const schedules = this.#schedules;
    if (!schedules.allowed) return html`<p class="hint">Sign in with an account that may run reports.</p>`;
    return html`
      ${this.#renderForm()}
      <p class="hint" role="status" data-field="message">${schedules.message}</p>
      <p class="alert" role="alert">${schedules.error}</p>
      <h2>Schedules</h2>
      ${schedules.render('Loading schedules…', (list) => this.#renderList(list))}
    `;
  }
}

CkReportSchedules.define('ck-report-schedules');

declare global {
  interface HTMLElementTagNameMap {
    'ck-report-schedules': CkReportSchedules;
  }
}
