import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { z } from 'zod';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { formatCount, formatDate, formatMoney } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import type { BatchList } from '../../api/placements/batches.schema.js';
import type { PlacementList } from '../../api/placements/placements.schema.js';

type Batches = z.output<typeof BatchList>;
type BatchItem = Batches['data'][number];
type Placements = z.output<typeof PlacementList>;
type PlacementItem = Placements['data'][number];

/** Detail of `ck-batch-select`. */
export interface BatchSelectDetail {
  batchId: string;
}

const PAGE = 10;

/** What a person reads for a batch: processing, failed, pending review, accepted … */
export function batchStatus(b: BatchItem): { key: string; label: string } {
  switch (b.status) {
    case 'queued':
    case 'running':
      return { key: 'processing', label: b.mode === 'validate' ? 'Checking' : 'Processing' };
    case 'failed':
      return { key: 'failed', label: 'Failed' };
    case 'uploaded':
      return { key: 'not-started', label: 'Not started' };
    case 'validated':
      return { key: 'checked', label: 'Checked, not placed' };
    case 'rolled_back':
      return { key: 'withdrawn', label: 'Taken back' };
    case 'expired':
      return { key: 'expired', label: 'Expired' };
    default: {
      const r = b.review;
      if (b.rowsPlaced === 0) return { key: 'none', label: 'Nothing placed' };
      if (r.pending > 0) return { key: 'pending', label: 'Pending review' };
      if (r.rejected === 0) return { key: 'accepted', label: 'Accepted' };
      if (r.accepted === 0) return { key: 'rejected', label: 'Rejected' };
      return { key: 'reviewed', label: 'Reviewed' };
    }
  }
}

const PLACEMENT_STATUS: Record<PlacementItem['status'], string> = { pending_review: 'Pending review', accepted: 'Accepted', rejected: 'Rejected' };

/**
 * "My placements": the spreadsheets and single accounts placed for the signed-in user's clients,
 * newest first, each with its status (pending review, accepted, rejected with the reason,
 * processing, failed), its counts and date. An accepted account opens with `ck-account-select`; a
 * spreadsheet's accounts unfold under it, and a running one's progress opens with `ck-batch-select`.
 * A spreadsheet uploaded but not started (or only checked) can be continued — `ck-batch-select`
 * again: bulk placement opens it at its mapping step — or discarded, after a confirmation: the
 * upload and its stored file are deleted.
 *
 * @summary The client's placements: spreadsheets and single accounts, with their review status.
 * @tag ck-my-placements
 *
 * @fires {CustomEvent<{ accountId: string }>} ck-account-select - An accepted account was chosen.
 * @fires {CustomEvent<BatchSelectDetail>} ck-batch-select - "Show progress", "Continue" or "Open" of a spreadsheet was chosen.
 *
 * @csspart table - The tables of spreadsheets and of accounts.
 * @csspart status - A status badge.
 * @csspart button - Every button.
 * @csspart dialog - The confirmation before a spreadsheet is discarded.
 *
 * @cssprop --ck-color-success - Badge of accepted placements.
 * @cssprop --ck-color-danger - Badge of rejected and failed ones.
 */
export class CkMyPlacements extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, css`
    section + section { margin-top: var(--ck-space-5, 1.5rem); }
    h2 { font-size: var(--ck-font-size-h2, 1.2rem); margin: 0 0 var(--ck-space-2, 0.5rem); }
    table { min-width: 0; }
    .badge { display: inline-block; padding: 0 0.5em; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; font-size: 0.9em; }
    .badge[data-status='accepted'] { color: var(--ck-color-success, #1a7f37); }
    .badge[data-status='rejected'], .badge[data-status='failed'] { color: var(--ck-color-danger, #b42318); }
    .badge[data-status='processing'], .badge[data-status='pending'] { color: var(--ck-color-warning-text, #7a3b00); }
    .sub { display: block; color: var(--ck-color-muted, #57606a); font-size: 0.9em; }
    td.num, th.num { text-align: right; }
    tr.inner > td { background: var(--ck-color-surface-muted, #f6f8fa); }
    .pager { display: flex; gap: var(--ck-space-2, 0.5rem); align-items: center; margin-top: var(--ck-space-2, 0.5rem); }
    td .actions { display: flex; flex-wrap: wrap; gap: var(--ck-space-1, 0.25rem); }
    dialog { max-width: min(28rem, calc(100vw - 2rem)); border: 1px solid var(--ck-color-border, #8c959f); border-radius: var(--ck-radius, 6px); padding: var(--ck-space-4, 1rem); }
    dialog h3 { margin: 0 0 var(--ck-space-2, 0.5rem); font-size: var(--ck-font-size-h3, 1.05rem); }
    button.danger { color: var(--ck-color-danger, #b42318); border-color: currentColor; }
    dialog .actions { display: flex; flex-wrap: wrap; gap: var(--ck-space-2, 0.5rem); justify-content: flex-end; }
    .linklike { background: none; border: 0; padding: 0; min-height: 0; color: var(--ck-color-link, #0b57d0); text-decoration: underline; font: inherit; cursor: pointer; }
    /* A phone: each row is a card. */
    @media (max-width: 640px) {
      table, tbody, tr, td { display: block; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
      tr { border: 1px solid var(--ck-color-border-subtle, #d0d7de); border-radius: var(--ck-radius, 6px); margin-bottom: var(--ck-space-2, 0.5rem); }
      td { border: 0; padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem); }
      td.num { text-align: left; }
      td[data-label]::before { content: attr(data-label) ': '; font-weight: 600; }
    }
  `];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  @state() private batchPage = 1;
  @state() private singlePage = 1;
  /** the spreadsheet whose accounts are unfolded */
  @state() private openBatch = '';
  /** the spreadsheet waiting for "Discard" to be confirmed */
  @state() private discarding: BatchItem | null = null;
  @state() private discardBusy = false;
  /** the polite live region: what a discard did */
  @state() private notice = '';
  @state() private discardProblem = '';

  #portal = new PortalConnection(this);

  #batches = new Task(this, {
    task: async ([client, userId, page], { signal }) =>
      userId ? client.get<Batches>('/placements/batches', { page, pageSize: PAGE }, signal) : null,
    args: () => [this.#portal.client, this.#portal.user?.id ?? '', this.batchPage] as const,
  });

  #singles = new Task(this, {
    task: async ([client, userId, page], { signal }) =>
      userId ? client.get<Placements>('/placements', { source: 'form', page, pageSize: PAGE }, signal) : null,
    args: () => [this.#portal.client, this.#portal.user?.id ?? '', this.singlePage] as const,
  });

  #batchRows = new Task(this, {
    task: async ([client, batchId], { signal }) =>
      batchId ? client.get<Placements>('/placements', { batchId, pageSize: 100 }, signal) : null,
    args: () => [this.#portal.client, this.openBatch] as const,
  });

  /** Reads the lists again. */
  refresh(): void {
    void this.#batches.run();
    void this.#singles.run();
    if (this.openBatch) void this.#batchRows.run();
  }

  #askDiscard(b: BatchItem, opener: HTMLElement): void {
    this.discarding = b;
    this.discardProblem = '';
    this.#opener = opener;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.showModal());
  }

  /** the button that opened the dialog: focus goes back to it (or to the list) when it closes */
  #opener: HTMLElement | null = null;

  #closeDiscard(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.close();
  }

  #onDialogClose = (): void => {
    const gone = !this.discarding;
    this.discarding = null;
    this.discardProblem = '';
    const opener = this.#opener;
    this.#opener = null;
    // the row is gone after a discard: focus the list's heading instead of a removed button
    if (gone || !opener?.isConnected) this.renderRoot.querySelector<HTMLElement>('#sheets-title')?.focus();
    else opener.focus();
  };

  async #discard(): Promise<void> {
    const b = this.discarding;
    if (!b) return;
    this.discardBusy = true;
    this.discardProblem = '';
    try {
      await this.#portal.client.request('DELETE', `/placements/batches/${b.id}`);
      this.notice = `${b.fileName} was discarded.`;
      this.discarding = null;
      this.#closeDiscard();
      void this.#batches.run();
    } catch (error) {
      this.discardProblem = toProblem(error).detail;
    } finally {
      this.discardBusy = false;
    }
  }

  #renderDiscardDialog() {
    const b = this.discarding;
    return html`<dialog part="dialog" aria-labelledby="discard-title" aria-describedby="discard-text" @close=${this.#onDialogClose}>
      ${b ? html`
        <h3 id="discard-title">Discard ${b.fileName}?</h3>
        <p id="discard-text">The uploaded file and its column mapping are deleted. Nothing of it was placed. To place it later, upload the file again.</p>
        <p class="alert" role="alert">${this.discardProblem}</p>
        <div class="actions">
          <button part="button" type="button" data-action="cancel-discard" autofocus @click=${() => this.#closeDiscard()}>Keep it</button>
          <button class="danger" part="button" type="button" data-action="confirm-discard" ?disabled=${this.discardBusy} @click=${() => this.#discard()}>Discard</button>
        </div>` : nothing}
    </dialog>`;
  }

  #status(p: PlacementItem) {
    return html`<span class="badge" part="status" data-status=${p.status === 'pending_review' ? 'pending' : p.status}>${PLACEMENT_STATUS[p.status]}</span>
      ${p.status === 'rejected' && p.rejectReason ? html`<span class="sub" data-field="reason">Reason: ${p.rejectReason}</span>` : nothing}`;
  }

  #accountCell(p: PlacementItem) {
    return p.accountId
      ? html`<button part="button" type="button" class="linklike" data-account=${p.accountId}
          @click=${() => this.emit('ck-account-select', { accountId: p.accountId! })}>${p.debtorName}</button>`
      : html`${p.debtorName}`;
  }

  #pager(page: number, total: number, label: string, go: (page: number) => void) {
    const last = Math.max(1, Math.ceil(total / PAGE));
    if (last === 1) return nothing;
    return html`<nav class="pager" aria-label=${label}>
      <button part="button" type="button" ?disabled=${page <= 1} @click=${() => go(page - 1)}>Previous</button>
      <span>Page ${page} of ${last}</span>
      <button part="button" type="button" ?disabled=${page >= last} @click=${() => go(page + 1)}>Next</button>
    </nav>`;
  }

  #renderBatchRows() {
    return this.#batchRows.render({
      pending: () => html`<p class="hint" role="status">Loading the accounts…</p>`,
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>`,
      complete: (list) =>
        !list || list.total === 0
          ? html`<p class="hint">No account of this file was placed.</p>`
          : html`<table part="table" aria-label="Accounts of this spreadsheet">
              <thead><tr><th scope="col">Row</th><th scope="col">Name</th><th scope="col">Client account #</th><th scope="col" class="num">Balance</th><th scope="col">Status</th></tr></thead>
              <tbody>${list.data.map((p) => html`<tr data-placement=${p.id}>
                <td data-label="Row">${p.rowNumber ?? ''}</td>
                <td data-label="Name">${this.#accountCell(p)}</td>
                <td data-label="Client account #">${p.clientAccountNumber}</td>
                <td data-label="Balance" class="num">${formatMoney(p.balance.amountCents, p.balance.currency)}</td>
                <td data-label="Status">${this.#status(p)}</td>
              </tr>`)}</tbody>
            </table>`,
    });
  }

  #renderBatch(b: BatchItem) {
    const s = batchStatus(b);
    const running = s.key === 'processing';
    // uploaded, or only checked: can be continued (its mapping step) or discarded
    const notPlaced = b.status === 'uploaded' || b.status === 'validated';
    const open = this.openBatch === b.id;
    const r = b.review;
    return html`
      <tr data-batch=${b.id}>
        <td data-label="File"><span id="file-${b.id}">${b.fileName}</span><span class="sub">${b.client.name}${b.createdBy ? ` · ${b.createdBy}` : ''}</span></td>
        <td data-label="Uploaded">${formatDate(b.createdAt)}</td>
        <td data-label="Status"><span class="badge" part="status" data-status=${s.key}>${s.label}</span>
          ${running ? html`<span class="sub">${b.rowsTotal ? `${formatCount(b.rowsDone)} of ${formatCount(b.rowsTotal)} rows` : 'Counting rows…'}</span>` : nothing}
          ${b.status === 'failed' && b.failure ? html`<span class="sub" data-field="failure">${b.failure}</span>` : nothing}</td>
        <td data-label="Rows" data-field="counts">${formatCount(b.rowsPlaced)} placed · ${formatCount(b.rowsInvalid)} with errors · ${formatCount(b.rowsDuplicate)} duplicates
          ${b.rowsPlaced && b.mode === 'place' ? html`<span class="sub" data-field="review">${formatCount(r.accepted)} accepted · ${formatCount(r.rejected)} rejected · ${formatCount(r.pending)} pending review</span>` : nothing}</td>
        <td data-label="Actions">
          ${b.rowsPlaced && b.mode === 'place' && !running
            ? html`<button part="button" type="button" data-action="accounts" aria-expanded=${open ? 'true' : 'false'} aria-controls="rows-${b.id}"
                @click=${() => (this.openBatch = open ? '' : b.id)}>${open ? 'Hide accounts' : 'Show accounts'}</button>`
            : nothing}
          ${running || b.status === 'failed'
            ? html`<button part="button" type="button" data-action="progress" @click=${() => this.emit<BatchSelectDetail>('ck-batch-select', { batchId: b.id })}>${running ? 'Show progress' : 'Open'}</button>`
            : nothing}
          ${notPlaced
            ? html`<div class="actions">
                <button class="primary" part="button" type="button" data-action="continue" aria-describedby="file-${b.id}"
                  @click=${() => this.emit<BatchSelectDetail>('ck-batch-select', { batchId: b.id })}>${b.status === 'uploaded' ? 'Continue' : 'Open'}</button>
                <button part="button" type="button" data-action="discard" aria-describedby="file-${b.id}"
                  @click=${(e: Event) => this.#askDiscard(b, e.currentTarget as HTMLElement)}>Discard</button>
              </div>`
            : nothing}
        </td>
      </tr>
      ${open ? html`<tr class="inner" id="rows-${b.id}"><td colspan="5">${this.#renderBatchRows()}</td></tr>` : nothing}
    `;
  }

  #renderBatches() {
    return this.#batches.render({
      pending: () => html`<p class="hint" role="status">Loading your spreadsheets…</p>`,
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>
        <button part="button" type="button" @click=${() => void this.#batches.run()}>Try again</button>`,
      complete: (list) =>
        !list || list.total === 0
          ? html`<p class="hint" data-field="no-batches">No spreadsheet placed yet.</p>`
          : html`<div class="scroll"><table part="table" aria-labelledby="sheets-title">
              <thead><tr><th scope="col">File</th><th scope="col">Uploaded</th><th scope="col">Status</th><th scope="col">Rows</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>${list.data.map((b) => this.#renderBatch(b))}</tbody>
            </table></div>
            ${this.#pager(list.page, list.total, 'Pages of spreadsheets', (p) => (this.batchPage = p))}`,
    });
  }

  #renderSingles() {
    return this.#singles.render({
      pending: () => html`<p class="hint" role="status">Loading your accounts…</p>`,
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>
        <button part="button" type="button" @click=${() => void this.#singles.run()}>Try again</button>`,
      complete: (list) =>
        !list || list.total === 0
          ? html`<p class="hint" data-field="no-singles">No account placed by the form yet.</p>`
          : html`<div class="scroll"><table part="table" aria-labelledby="singles-title">
              <thead><tr><th scope="col">Name</th><th scope="col">Client account #</th><th scope="col" class="num">Balance</th><th scope="col">Placed</th><th scope="col">Status</th></tr></thead>
              <tbody>${list.data.map((p) => html`<tr data-placement=${p.id}>
                <td data-label="Name">${this.#accountCell(p)}<span class="sub">${p.client.name}</span></td>
                <td data-label="Client account #">${p.clientAccountNumber}</td>
                <td data-label="Balance" class="num">${formatMoney(p.balance.amountCents, p.balance.currency)}</td>
                <td data-label="Placed">${formatDate(p.placedAt)}</td>
                <td data-label="Status">${this.#status(p)}</td>
              </tr>`)}</tbody>
            </table></div>
            ${this.#pager(list.page, list.total, 'Pages of accounts', (p) => (this.singlePage = p))}`,
    });
  }

  override render() {
    const user = this.#portal.user;
    if (!user || user.onboarding.required) return html`<p class="hint">Sign in to see your placements.</p>`;
    return html`
      <p class="hint">Accounts appear in account search once the agency accepts them.</p>
      <section aria-labelledby="sheets-title"><h2 id="sheets-title" tabindex="-1">Spreadsheets</h2>
        <p class="visually-hidden" role="status" aria-live="polite" data-field="notice">${this.notice}</p>
        ${this.#renderBatches()}</section>
      ${this.#renderDiscardDialog()}
      <section aria-labelledby="singles-title"><h2 id="singles-title">Accounts placed one at a time</h2>${this.#renderSingles()}</section>
    `;
  }
}

CkMyPlacements.define('ck-my-placements');

declare global {
  interface HTMLElementTagNameMap {
    'ck-my-placements': CkMyPlacements;
  }
  interface GlobalEventHandlersEventMap {
    'ck-batch-select': CustomEvent<BatchSelectDetail>;
  }
}
