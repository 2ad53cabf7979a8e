import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { DeliveryDetail, DeliveryPage } from '../../api/integration/webhooks.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { toProblem } from '../internal/api-client.js';
import { formatDateTime, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { ManagedList } from './managed-list.js';

type Page = z.output<typeof DeliveryPage>;
type Delivery = Page['data'][number];
type Detail = z.output<typeof DeliveryDetail>;

/** How often the open log is read again, so new deliveries and retries appear by themselves. */
const REFRESH_MS = 3000;

/**
 * One webhook endpoint's delivery log, newest first: event, status, attempts, the last response code
 * or error, the next try; each delivery's attempts on request, and one delivery sent again now.
 * The log refreshes itself every few seconds while shown.
 *
 * @summary The delivery log of a webhook, with redeliver.
 * @tag ck-webhook-deliveries
 *
 * @csspart table - The deliveries.
 */
export class CkWebhookDeliveries extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, cardTableStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The endpoint (`whk_…`). */
  @property({ attribute: 'endpoint-id' }) endpointId = '';

  /** Its address, for the heading. */
  @property({ attribute: false }) endpointUrl = '';

  @state() private detail: Detail | null = null;

  #timer: ReturnType<typeof setInterval> | undefined;

  #log = new ManagedList(this, {
    args: () => [this.endpointId] as const,
    load: (client, signal, [id]) => (id ? client.get<Page>(`/agency/webhooks/${encodeURIComponent(id)}/deliveries`, { limit: 20 }, signal) : Promise.resolve(null)),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    this.#timer = setInterval(() => void this.#log.reload(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#timer);
  }

  #path(d: Delivery): string {
    return `/agency/webhooks/${encodeURIComponent(this.endpointId)}/deliveries/${encodeURIComponent(d.id)}`;
  }

  #redeliver(d: Delivery): void {
    void this.#log.change(d.id, (client) => client.request('POST', `${this.#path(d)}/redeliver`), {
      done: () => `The ${d.eventType} delivery is being sent again.`,
    });
  }

  async #attempts(d: Delivery): Promise<void> {
    if (this.detail?.id === d.id) {
      this.detail = null;
      return;
    }
    try {
      this.detail = await this.#log.portal.client.get<Detail>(this.#path(d));
    } catch (error) {
      this.#log.error = toProblem(error).detail;
    }
  }

  #result(d: Delivery): string {
    if (d.lastStatusCode !== null) return `HTTP ${d.lastStatusCode}`;
    return d.lastError ?? '—';
  }

  #renderLog(page: Page | null) {
    if (!page) return nothing;
    if (!page.data.length) return html`<p class="empty" data-field="empty">No deliveries yet. Events of the chosen types are sent here as they happen.</p>`;
    return html`<div class="scroll" tabindex="0" role="region" aria-label="Deliveries">
      <table part="table" class="cards">
        <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Response</th><th scope="col">Last try</th><th scope="col">Next try</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${page.data.map(
            (d) => html`<tr data-id=${d.id} data-status=${d.status}>
              <td data-label="Event"><code>${d.eventType}</code></td>
              <td data-label="Status" data-field="status">${label(d.status)}</td>
              <td data-label="Attempts" data-field="attempts">${d.attempts}</td>
              <td data-label="Response" data-field="code">${this.#result(d)}</td>
              <td data-label="Last try">${d.lastAttemptAt ? formatDateTime(d.lastAttemptAt) : '—'}</td>
              <td data-label="Next try">${d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'}</td>
              <td data-label="">
                <div class="actions">
                  <button type="button" data-action="attempts" aria-label="Attempts of the ${d.eventType} delivery" aria-expanded=${this.detail?.id === d.id ? 'true' : 'false'} @click=${() => void this.#attempts(d)}>Attempts</button>
                  <button type="button" data-action="redeliver" aria-label="Redeliver the ${d.eventType} delivery" ?disabled=${this.#log.busy(d.id)} @click=${() => this.#redeliver(d)}>Redeliver</button>
                </div>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #renderDetail() {
    const d = this.detail;
    if (!d) return nothing;
    return html`<div class="panel" data-field="attempt-log">
      <h4>Attempts of the ${d.eventType} delivery</h4>
      <ol>
        ${d.log.map(
          (a) => html`<li>${formatDateTime(a.requestedAt)}: ${a.statusCode !== null ? `HTTP ${a.statusCode}` : a.error ?? 'no answer'}, ${a.durationMs} ms${a.manual ? ' (sent again by hand)' : ''}${a.responseExcerpt ? html` — <code>${a.responseExcerpt}</code>` : nothing}</li>`,
        )}
      </ol>
    </div>`;
  }

  override render() {
    // Not the console's usual loaded region: the log is read every few seconds, and a Try again line
    // announced as an alert on each failed read would repeat itself during an outage.
    const task = this.#log.task;
    return html`
      <div class="panel">
        <h3 id="log-title">Delivery log${this.endpointUrl ? html` of <code>${this.endpointUrl}</code>` : nothing}</h3>
        <p class="hint" role="status">${this.#log.message}</p>
        <p class="alert" role="alert">${this.#log.error}</p>
        ${task.render({
          pending: () => (task.value ? this.#renderLog(task.value) : html`<p class="hint">Loading deliveries…</p>`),
          error: (e) => html`<p class="alert">${toProblem(e).detail}</p>`,
          complete: (page) => this.#renderLog(page),
        })}
        ${this.#renderDetail()}
      </div>
    `;
  }
}

CkWebhookDeliveries.define('ck-webhook-deliveries');

declare global {
  interface HTMLElementTagNameMap {
    'ck-webhook-deliveries': CkWebhookDeliveries;
  }
}
