import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type AccountPage, type AccountRow, type Query } from '../internal/api-client.js';
import { STATUS_LABELS, dollarsToCents, formatCount, formatDate, formatMoney, statusLabel } from '../internal/format.js';
import { baseStyles, formStyles, statusStyles } from '../internal/styles.js';
import { accountSearchStyles } from './account-search.styles.js';
import { LiveEvents } from '../internal/live-events.js';

/** Changes that alter what a row shows (balance, status, name …). */
const LIVE_TYPES = 'account.payment_reported,account.adjusted,account.adjustment_posted,account.balance_updated,account.status_changed,account.settled,account.updated,account.contact_updated,payment.succeeded';

/** The page sizes offered under the results. */
const PAGE_SIZES = [10, 25, 50, 100];

/** Detail of `ck-page-size-change`. */
export interface PageSizeDetail {
  pageSize: number;
}

/** Detail of `ck-account-select`. */
export interface AccountSelectDetail {
  /** the public id of the chosen account (`acct_…`) */
  accountId: string;
}

type SortField = 'name' | 'accountNumber' | 'balance' | 'lastActivity' | 'client' | 'status';

const COLUMNS: { field: SortField; label: string; numeric?: boolean }[] = [
  { field: 'name', label: 'Account name' },
  { field: 'accountNumber', label: 'Account number' },
  { field: 'balance', label: 'Balance', numeric: true },
  { field: 'lastActivity', label: 'Last activity' },
  { field: 'client', label: 'Client' },
  { field: 'status', label: 'Status' },
];

/** Text filters passed to the API as typed (the server normalises and validates them). */
const TEXT_FILTERS = ['name', 'agencyAccountNumber', 'clientAccountNumber', 'ssnLast4', 'phone', 'status', 'clientId', 'placedFrom', 'placedTo', 'routingNumber', 'checkNumber'];

/**
 * Account search for client and agency users: a filter form and a sortable, paged results grid of
 * the accounts the signed-in user may see. Rows are focusable; Enter, Space or a click selects one.
 * In containers narrower than about 600px the grid becomes a list of cards.
 *
 * @summary Search accounts and pick one from a sortable, paged grid.
 * @tag ck-account-search
 *
 * @slot empty - Replaces the "No accounts match…" message.
 *
 * @fires {CustomEvent<AccountSelectDetail>} ck-account-select - A row was chosen (click, Enter or Space).
 * @fires {CustomEvent<PageSizeDetail>} ck-page-size-change - The person chose another page size (the client portal keeps it in the URL).
 *
 * @csspart base - The wrapper of the form and results.
 * @csspart form - The filter form.
 * @csspart label - A field label.
 * @csspart input - A filter input or select.
 * @csspart field-error - The error under a filter.
 * @csspart button - Every button.
 * @csspart table - The results table.
 * @csspart row - A result row.
 * @csspart status - A status badge.
 * @csspart summary - "Showing 1–10 of 1,234".
 * @csspart error - The problem shown when a search fails.
 * @csspart empty - The no-results message.
 *
 * @cssprop --ck-color-selected - Background of the hovered and the selected row.
 * @cssprop --ck-color-surface-alt - Background of column headers and the empty state.
 * @cssprop --ck-color-status-active - Badge colour of active accounts (and one token per status).
 * @cssprop --ck-radius - Corner radius.
 */
export class CkAccountSearch extends CkElement {
  static override styles = [baseStyles, formStyles, statusStyles, accountSearchStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Rows per page (1–100); the select under the results offers 10, 25, 50 and 100. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  /** The id of the selected account, highlighted in the grid; set by selecting a row. */
  @property({ attribute: 'selected-id', reflect: true }) selectedId = '';

  /** The filters of the last submitted search. */
  @state() private filters: Query = {};

  @state() private sort: SortField = 'name';

  @state() private order: 'asc' | 'desc' = 'asc';

  @state() private page = 1;

  /** Errors the form finds before asking the server (amounts that are not amounts). */
  @state() private localErrors: Record<string, string> = {};

  #portal = new PortalConnection(this);
  #internals = this.attachInternals();

  #search = new Task(this, {
    task: async ([client, userId, filters, sort, order, page, pageSize], { signal }) => {
      if (!userId) return initialState;
      return client.get<AccountPage>('/accounts', { ...filters, sort, order, page, pageSize }, signal);
    },
    args: () => [this.#portal.client, this.#usableUserId, this.filters, this.sort, this.order, this.page, this.pageSize] as const,
  });

  /** Set by a submitted search: once its results are in, they are brought into view. */
  #revealResults = false;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * The list follows the live events the account pane receives: a payment, a status change … on an
   * account refreshes the page of results (several events in a burst refresh it once).
   */
  #live = new LiveEvents(
    this,
    () => (this.#usableUserId ? { client: this.#portal.client, key: this.#usableUserId, query: { types: LIVE_TYPES } } : null),
    () => {
      clearTimeout(this.#refreshTimer);
      this.#refreshTimer = setTimeout(() => this.refresh(), 300);
    },
  );

  /** Runs the search again with the current filters (after the host page changed data). */
  refresh(): void {
    void this.#search.run();
  }

  /** The user id when someone signed in who may search (onboarding done), else null. */
  get #usableUserId(): string | null {
    const user = this.#portal.user;
    return user && !user.onboarding.required ? user.id : null;
  }

  #onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const filters: Query = {};
    for (const name of TEXT_FILTERS) {
      const value = String(data.get(name) ?? '').trim();
      if (value) filters[name] = value;
    }
    const errors: Record<string, string> = {};
    for (const [field, param] of [['balanceMin', 'balanceMinCents'], ['balanceMax', 'balanceMaxCents']] as const) {
      const text = String(data.get(field) ?? '').trim();
      if (!text) continue;
      const cents = dollarsToCents(text);
      if (cents === undefined) errors[param] = 'Enter an amount in dollars, like 1,250.00.';
      else filters[param] = cents;
    }
    this.localErrors = errors;
    if (Object.keys(errors).length) return;
    this.filters = filters;
    this.page = 1;
    this.#revealResults = true;
  };

  #onPageSize = (event: Event) => {
    const pageSize = Number((event.target as HTMLSelectElement).value);
    this.pageSize = pageSize;
    this.page = 1;
    this.emit<PageSizeDetail>('ck-page-size-change', { pageSize });
  };

  #onReset = () => {
    this.localErrors = {};
    this.filters = {};
    this.page = 1;
  };

  #sortBy(field: SortField): void {
    if (this.sort === field) this.order = this.order === 'asc' ? 'desc' : 'asc';
    else {
      this.sort = field;
      this.order = 'asc';
    }
    this.page = 1;
  }

  #select(accountId: string): void {
    this.selectedId = accountId;
    this.emit<AccountSelectDetail>('ck-account-select', { accountId });
  }

  #onRowKeydown = (event: KeyboardEvent) => {
    const row = event.currentTarget as HTMLTableRowElement;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.#select(row.dataset.id!);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
      (next as HTMLElement | null)?.focus();
    }
  };

  #onRowClick = (event: MouseEvent) => this.#select((event.currentTarget as HTMLElement).dataset.id!);

  #fieldErrors(): Record<string, string> {
    const error = this.#search.status === TaskStatus.ERROR ? this.#search.error : null;
    return { ...(error instanceof ApiError ? error.fieldErrors() : {}), ...this.localErrors };
  }

  #input(name: string, label: string, errors: Record<string, string>, options: { type?: string; inputmode?: string; errorKey?: string; placeholder?: string } = {}) {
    const error = errors[options.errorKey ?? name] ?? '';
    const value = this.filters[name];
    return html`
      <div class="field">
        <label part="label" for=${name}>${label}</label>
        <input
          part="input"
          id=${name}
          name=${name}
          type=${options.type ?? 'text'}
          inputmode=${options.inputmode ?? nothing}
          placeholder=${options.placeholder ?? nothing}
          autocomplete="off"
          .value=${value === undefined ? '' : String(value)}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby="${name}-error"
        />
        <span class="error" part="field-error" id="${name}-error">${error}</span>
      </div>
    `;
  }

  #renderForm() {
    const errors = this.#fieldErrors();
    const clients = this.#portal.user?.clients ?? [];
    return html`
      <form part="form" role="search" aria-label="Account search" novalidate @submit=${this.#onSubmit} @reset=${this.#onReset}>
        ${this.#input('name', 'Name (last, first)', errors, { placeholder: 'Smith, J' })}
        ${this.#input('agencyAccountNumber', 'Agency account #', errors)}
        ${this.#input('clientAccountNumber', 'Client account #', errors)}
        ${this.#input('ssnLast4', 'SSN last 4', errors, { inputmode: 'numeric' })}
        ${this.#input('phone', 'Phone', errors, { type: 'tel' })}
        <div class="field">
          <label part="label" for="status">Status</label>
          <select part="input" id="status" name="status">
            <option value="">Any status</option>
            ${Object.entries(STATUS_LABELS).map(([value, text]) => html`<option value=${value} ?selected=${this.filters.status === value}>${text}</option>`)}
          </select>
        </div>
        ${clients.length > 1
          ? html`<div class="field">
              <label part="label" for="clientId">Client</label>
              <select part="input" id="clientId" name="clientId">
                <option value="">All clients</option>
                ${clients.map((c) => html`<option value=${c.id} ?selected=${this.filters.clientId === c.id}>${c.name}</option>`)}
              </select>
            </div>`
          : nothing}
        <fieldset>
          <legend>Placed</legend>
          ${this.#input('placedFrom', 'From', errors, { type: 'date' })} ${this.#input('placedTo', 'To', errors, { type: 'date' })}
        </fieldset>
        <fieldset>
          <legend>Balance (dollars)</legend>
          ${this.#input('balanceMin', 'Minimum', errors, { inputmode: 'decimal', errorKey: 'balanceMinCents' })}
          ${this.#input('balanceMax', 'Maximum', errors, { inputmode: 'decimal', errorKey: 'balanceMaxCents' })}
        </fieldset>
        <fieldset>
          <legend>Returned check</legend>
          ${this.#input('routingNumber', 'Routing number', errors, { inputmode: 'numeric' })}
          ${this.#input('checkNumber', 'Check number', errors)}
        </fieldset>
        <div class="actions">
          <button class="primary" part="button" type="submit">Search</button>
          <button part="button" type="reset">Clear</button>
        </div>
      </form>
    `;
  }

  #renderHeader(column: (typeof COLUMNS)[number]) {
    const sorted = this.sort === column.field;
    const ariaSort = sorted ? (this.order === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`
      <th scope="col" class=${column.numeric ? 'num' : ''} aria-sort=${ariaSort}>
        <button part="button sort" type="button" data-sort=${column.field} @click=${() => this.#sortBy(column.field)}>
          ${column.label}<span aria-hidden="true">${sorted ? (this.order === 'asc' ? '▲' : '▼') : ''}</span>
        </button>
      </th>
    `;
  }

  #renderRow(row: AccountRow) {
    const number = row.routingNumber
      ? html`Routing ${row.routingNumber}<span class="sub">Check ${row.checkNumber}</span>`
      : html`${row.agencyAccountNumber}<span class="sub">${row.clientAccountNumber}</span>`;
    return html`
      <tr
        part="row"
        tabindex="0"
        data-id=${row.id}
        aria-current=${this.selectedId === row.id ? 'true' : nothing}
        @click=${this.#onRowClick}
        @keydown=${this.#onRowKeydown}
      >
        <td data-label="Account name" data-field="name">${row.debtorName}</td>
        <td data-label="Account number" data-field="accountNumber">${number}</td>
        <td data-label="Balance" data-field="balance" class="num">${formatMoney(row.balance.amountCents, row.balance.currency)}</td>
        <td data-label="Last activity" data-field="lastActivity">${formatDate(row.lastActivityAt)}</td>
        <td data-label="Client" data-field="client">${row.client.name}</td>
        <td data-label="Status" data-field="status"><span class="badge" part="status" data-status=${row.status}>${statusLabel(row.status)}</span></td>
      </tr>
    `;
  }

  #renderResults(result: AccountPage) {
    if (result.total === 0) {
      return html`<div class="empty" part="empty" role="status"><slot name="empty">No accounts match these filters. Check the spelling or clear some filters.</slot></div>`;
    }
    const from = (result.page - 1) * result.pageSize + 1;
    const to = from + result.data.length - 1;
    const last = Math.max(1, Math.ceil(result.total / result.pageSize));
    return html`
      <table part="table">
        <caption class="visually-hidden">Accounts, sorted by ${COLUMNS.find((c) => c.field === this.sort)!.label.toLowerCase()} (${this.order === 'asc' ? 'ascending' : 'descending'}). Press Enter on a row to open it.</caption>
        <thead><tr>${COLUMNS.map((c) => this.#renderHeader(c))}</tr></thead>
        <tbody>${result.data.map((row) => this.#renderRow(row))}</tbody>
      </table>
      <nav class="pager" aria-label="Result pages">
        <span part="summary" role="status">Showing ${formatCount(from)}–${formatCount(to)} of ${formatCount(result.total)}</span>
        <div>
          <label part="label" for="page-size">Rows per page</label>
          <select part="input" id="page-size" @change=${this.#onPageSize}>
            ${[...new Set([...PAGE_SIZES, result.pageSize])].sort((a, b) => a - b).map((n) => html`<option value=${n} ?selected=${n === result.pageSize}>${n}</option>`)}
          </select>
          <button part="button" type="button" data-page="previous" ?disabled=${result.page <= 1} @click=${() => (this.page = result.page - 1)}>Previous</button>
          <button part="button" type="button" data-page="next" ?disabled=${result.page >= last} @click=${() => (this.page = result.page + 1)}>Next</button>
        </div>
      </nav>
    `;
  }

  #renderState() {
    const task = this.#search;
    if (!this.#usableUserId) return html`<p class="hint">Sign in to search accounts.</p>`;
    if (task.status === TaskStatus.ERROR) {
      return html`<div class="alert" part="error" role="alert">${toProblem(task.error).detail}</div>`;
    }
    // While a new page loads the previous one stays on screen, dimmed, under aria-busy.
    const result = task.value;
    if (!result) return html`<p class="hint">Loading accounts…</p>`;
    return this.#renderResults(result);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#refreshTimer);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // another page size from the host (the URL): back to the first page
    if (changed.has('pageSize') && changed.get('pageSize') !== undefined) this.page = 1;
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#revealResults && this.#search.status === TaskStatus.COMPLETE) {
      this.#revealResults = false;
      // After Search the results (whose count the summary announces) come into view: on a phone
      // the form alone fills the screen.
      const target = this.renderRoot.querySelector<HTMLElement>('table, [part~=empty]');
      const r = target?.getBoundingClientRect();
      if (target && r && (r.top > innerHeight - 80 || r.top < 0)) {
        target.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
      }
    }
    try {
      if (this.#search.status === TaskStatus.PENDING) this.#internals.states.add('loading');
      else this.#internals.states.delete('loading');
    } catch {
      // CustomStateSet is missing in older browsers; styling by state is an enhancement.
    }
  }

  override render() {
    const busy = this.#search.status === TaskStatus.PENDING;
    return html`
      <div part="base">
        ${this.#renderForm()}
        <div class="results" aria-busy=${busy ? 'true' : 'false'}>${this.#renderState()}</div>
      </div>
    `;
  }
}

CkAccountSearch.define('ck-account-search');

declare global {
  interface HTMLElementTagNameMap {
    'ck-account-search': CkAccountSearch;
  }
  interface GlobalEventHandlersEventMap {
    'ck-account-select': CustomEvent<AccountSelectDetail>;
    'ck-page-size-change': CustomEvent<PageSizeDetail>;
  }
}
