import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { z } from 'zod';
import type { PlacementList } from '../../api/placements/placements.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem } from '../internal/api-client.js';
import { formatDate, formatMoney, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';

type PlacementPage = z.output<typeof PlacementList>;
type Placement = PlacementPage['data'][number];

/** Detail of `ck-placement-reviewed`. */
export interface PlacementReviewedDetail {
  decision: 'accept' | 'reject';
  placements: Placement[];
}

/**
 * The agency's placement review queue: placements waiting for review, oldest first. Staff accept or
 * reject (with a reason the client sees) one placement, the ones they tick, or a whole spreadsheet
 * batch at once; the server applies a decision to all of them or none. Accepted accounts appear in
 * the client's search; the client is told either way.
 *
 * @summary Accept or reject placed accounts, one or a batch at a time.
 * @tag ck-placement-review
 *
 * @fires {CustomEvent<PlacementReviewedDetail>} ck-placement-reviewed - A decision was applied.
 *
 * @csspart table - The queue.
 * @csspart button - Every button.
 * @csspart error - The error of the last decision (a live region).
 */
export class CkPlacementReview extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    dataTableStyles,
    css`
      td.money {
        text-align: right;
        white-space: nowrap;
      }
      .decide {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--ck-space-2, 0.5rem);
        margin: var(--ck-space-3, 0.75rem) 0;
      }
      .decide .field {
        flex: 1 1 16rem;
      }
      .pager {
        display: flex;
        gap: var(--ck-space-2, 0.5rem);
        align-items: center;
        margin-top: var(--ck-space-3, 0.75rem);
      }
      input[type='checkbox'] {
        width: 1.25rem;
        min-height: 1.25rem;
        height: 1.25rem;
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Placements per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  @state() private page = 1;
  @state() private revision = 0;
  @state() private selected = new Set<string>();
  @state() private busy = false;
  @state() private error = '';
  @state() private reasonError = '';
  @state() private announcement = '';

  #portal = new PortalConnection(this);

  #queue = new Task(this, {
    task: async ([client, userId, page, pageSize], { signal }) =>
      userId ? client.get<PlacementPage>('/agency/placements', { page, pageSize }, signal) : null,
    args: () => [this.#portal.client, this.#userId, this.page, this.pageSize, this.revision] as const,
  });

  get #userId(): string {
    const user = this.#portal.user;
    return user && user.permissions.includes('agency.review') ? user.id : '';
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #selectBatch(page: PlacementPage, batchId: string): void {
    this.selected = new Set(page.data.filter((p) => p.batchId === batchId).map((p) => p.id));
    this.announcement = `${this.selected.size} placements of the batch selected.`;
  }

  async #decide(decision: 'accept' | 'reject', ids: string[]): Promise<void> {
    if (!ids.length) {
      this.error = 'Tick the placements to decide on first.';
      return;
    }
    const reasonInput = this.renderRoot.querySelector<HTMLInputElement>('#reason');
    const reason = reasonInput?.value.trim() ?? '';
    this.error = '';
    this.reasonError = '';
    if (decision === 'reject' && !reason) {
      this.reasonError = 'Give a reason when rejecting: the client sees it.';
      reasonInput?.focus();
      return;
    }
    this.busy = true;
    try {
      const result = await this.#portal.client.request<{ data: Placement[] }>('POST', '/agency/placements/review', {
        body: { placementIds: ids, decision, ...(decision === 'reject' ? { reason } : {}) },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      const n = result.data.length;
      this.announcement = `${decision === 'accept' ? 'Accepted' : 'Rejected'} ${n} ${n === 1 ? 'placement' : 'placements'}.`;
      this.selected = new Set();
      if (reasonInput) reasonInput.value = '';
      this.revision += 1;
      this.emit<PlacementReviewedDetail>('ck-placement-reviewed', { decision, placements: result.data });
    } catch (error) {
      this.error = toProblem(error).detail;
      if (error instanceof ApiError && error.fieldErrors().reason) this.reasonError = error.fieldErrors().reason!;
    } finally {
      this.busy = false;
    }
  }

  #renderRow(p: Placement, page: PlacementPage) {
    const checked = this.selected.has(p.id);
    return html`
      <tr data-id=${p.id}>
        <td><input type="checkbox" id="sel-${p.id}" .checked=${checked} aria-label="Select ${p.debtorName}, ${p.clientAccountNumber}"
          @change=${(e: Event) => this.#toggle(p.id, (e.target as HTMLInputElement).checked)} /></td>
        <td><strong>${p.debtorName}</strong><br /><span class="hint">${label(p.accountType)} · ${p.clientAccountNumber}</span></td>
        <td>${p.client.name}</td>
        <td class="money">${formatMoney(p.balance.amountCents, p.balance.currency)}</td>
        <td><time datetime=${p.placedAt}>${formatDate(p.placedAt)}</time>${p.placedBy ? html`<br /><span class="hint">by ${p.placedBy}</span>` : nothing}</td>
        <td>${p.batchId
          ? html`<button type="button" part="button" class="link" data-action="select-batch" @click=${() => this.#selectBatch(page, p.batchId!)}>Select batch (row ${p.rowNumber})</button>`
          : 'Single'}</td>
        <td><button type="button" part="button" data-action="accept-one" ?disabled=${this.busy} aria-label="Accept ${p.debtorName}"
          @click=${() => this.#decide('accept', [p.id])}>Accept</button></td>
      </tr>
    `;
  }

  #renderQueue(page: PlacementPage | null) {
    if (!page) return nothing;
    if (!page.data.length) return html`<p class="hint" data-field="empty">No placements are waiting for review.</p>`;
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const allOnPage = page.data.every((p) => this.selected.has(p.id));
    return html`
      <p data-field="total">${page.total} waiting for review.</p>
      <div class="decide">
        <div class="field">
          <label for="reason">Reason (when rejecting; the client sees it)</label>
          <input id="reason" name="reason" maxlength="500" aria-invalid=${this.reasonError ? 'true' : 'false'} aria-describedby="reason-error" />
          <span class="error" id="reason-error">${this.reasonError}</span>
        </div>
        <button type="button" part="button" class="primary" data-action="accept" ?disabled=${this.busy} @click=${() => this.#decide('accept', [...this.selected])}>
          Accept selected (${this.selected.size})</button>
        <button type="button" part="button" data-action="reject" ?disabled=${this.busy} @click=${() => this.#decide('reject', [...this.selected])}>
          Reject selected (${this.selected.size})</button>
      </div>
      <p class="alert" part="error" role="alert">${this.error}</p>
      <div class="scroll" tabindex="0" role="region" aria-label="Placements waiting for review">
        <table part="table">
          <thead>
            <tr>
              <th scope="col"><input type="checkbox" aria-label="Select all on this page" .checked=${allOnPage}
                @change=${(e: Event) => (this.selected = (e.target as HTMLInputElement).checked ? new Set(page.data.map((p) => p.id)) : new Set())} /></th>
              <th scope="col">Debtor</th><th scope="col">Client</th><th scope="col">Balance</th><th scope="col">Placed</th><th scope="col">Batch</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>${page.data.map((p) => this.#renderRow(p, page))}</tbody>
        </table>
      </div>
      ${pages > 1
        ? html`<nav class="pager" aria-label="Review queue pages">
            <button part="button" type="button" ?disabled=${this.page <= 1} @click=${() => (this.page -= 1)}>Previous</button>
            <span>Page ${this.page} of ${pages}</span>
            <button part="button" type="button" ?disabled=${this.page >= pages} @click=${() => (this.page += 1)}>Next</button>
          </nav>`
        : nothing}
    `;
  }

  override render() {
    if (!this.#userId) return html`<p class="hint">Sign in with an agency account that reviews placements.</p>`;
    const task = this.#queue;
    return html`
      <div part="base" aria-busy=${task.status === TaskStatus.PENDING || this.busy ? 'true' : 'false'}>
        ${task.render({
          pending: () => (task.value ? this.#renderQueue(task.value) : html`<p class="hint" role="status">Loading the review queue…</p>`),
          error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>
            <button type="button" part="button" @click=${() => (this.revision += 1)}>Try again</button>`,
          complete: (page) => this.#renderQueue(page),
        })}
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      </div>
    `;
  }
}

CkPlacementReview.define('ck-placement-review');

declare global {
  interface HTMLElementTagNameMap {
    'ck-placement-review': CkPlacementReview;
  }
}
