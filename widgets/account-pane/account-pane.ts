import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem, type Account, type ActivityEntry, type ActivityPage } from '../internal/api-client.js';
import type { LedgerPage, MessageThread, ThreadSummaries } from '../internal/action-types.js';
import { LiveEvents } from '../internal/live-events.js';
import '../account-functions/account-functions.js';
import { ACCOUNT_ACTIONS } from '../account-functions/account-actions.js';
import { formatCount, formatDate, formatDateTime, formatMoney, label, statusLabel } from '../internal/format.js';
import { baseStyles, formStyles, statusStyles } from '../internal/styles.js';
import { accountPaneStyles } from './account-pane.styles.js';
import '../account-attachments/account-attachments.js';

type Tab = 'activity' | 'parties' | 'payments' | 'messages' | 'attachments';

const TABS: { id: Tab; label: string }[] = [
  { id: 'activity', label: 'Activity' },
  { id: 'parties', label: 'Parties' },
  { id: 'payments', label: 'Payments' },
  { id: 'messages', label: 'Messages' },
  { id: 'attachments', label: 'Attachments' },
];

const KIND_LABELS: Record<string, string> = { payment: 'Direct payment', credit: 'Credit', write_off: 'Write-off', correction: 'Correction' };

type Party = Account['parties'][number];

/**
 * One account: a header band coloured by status (debtor, the client's account number, type,
 * status) with the "Account functions" menu (`ck-account-functions`), the account data, the
 * balance detail, and tabs — the activity timeline (loaded page by page with "Load more"), the
 * parties with their addresses, phones, emails and employers, the payments and adjustments, and
 * the message threads with the agency (unread counts, reply in place). It loads again when
 * `account-id` changes, after a function succeeds, and live whenever the server reports a change
 * to the account (server-sent events), so two people looking at one account see the same thing.
 *
 * @summary The detail pane of one account, with its balance and activity timeline.
 * @tag ck-account-pane
 *
 * @slot empty - Shown while no `account-id` is set.
 *
 * @csspart base - The pane.
 * @csspart header - The coloured band with the debtor's name.
 * @csspart details - The account data list.
 * @csspart balance - The balance detail table.
 * @csspart tabs - The tab list.
 * @csspart tab - A tab.
 * @csspart panel - A tab panel.
 * @csspart timeline - The activity list.
 * @csspart button - Every button.
 * @csspart error - A problem shown when loading fails.
 * @csspart payments - The payments and adjustments table.
 * @csspart threads - The list of message threads.
 * @csspart thread - The messages of the open thread.
 * @csspart unread - The unread-count badge of a thread.
 *
 * @fires ck-account-changed - After an account function succeeded (from the functions menu).
 *
 * @cssprop --ck-color-status-active - Band colour of active accounts (and one token per status: hold, paid, settled, recalled, closed, disputed, bankrupt, deceased).
 * @cssprop --ck-color-primary - Colour of the selected tab.
 * @cssprop --ck-color-surface - Background of the pane.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkAccountPane extends CkElement {
  static override styles = [baseStyles, formStyles, statusStyles, accountPaneStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The public id of the account to show (`acct_…`). */
  @property({ attribute: 'account-id', reflect: true }) accountId = '';

  /** The open tab. */
  @property({ attribute: 'active-tab', reflect: true }) activeTab: Tab = 'activity';

  /** Timeline entries per "Load more" (1–100). */
  @property({ type: Number, attribute: 'activity-page-size' }) activityPageSize = 10;

  /** The last activity page asked for ("Load more" adds one). */
  @state() private activityPage = 1;

  /** Bumped when the account changed (a function, a live event): every section loads again. */
  @state() private revision = 0;

  /** The message thread open in the Messages tab. */
  @state() private threadId = '';

  @state() private replyError = '';
  @state() private replying = false;
  @state() private liveNote = '';

  #portal = new PortalConnection(this);
  #activity: ActivityEntry[] = [];

  #account = new Task(this, {
    task: async ([client, userId, id], { signal }) => {
      if (!userId || !id) return initialState;
      return client.get<Account>(`/accounts/${encodeURIComponent(id)}`, undefined, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.accountId, this.revision] as const,
  });

  #activityTask = new Task(this, {
    task: async ([client, userId, id, page, pageSize], { signal }) => {
      if (!userId || !id) return initialState;
      const result = await client.get<ActivityPage>(`/accounts/${encodeURIComponent(id)}/activity`, { page, pageSize }, signal);
      this.#activity = page === 1 ? result.data : [...this.#activity, ...result.data];
      return result;
    },
    args: () => [this.#portal.client, this.#userId, this.accountId, this.activityPage, this.activityPageSize, this.revision] as const,
  });

  #payments = new Task(this, {
    task: async ([client, userId, id, open], { signal }) => {
      if (!userId || !id || !open) return initialState;
      return client.get<LedgerPage>(`/accounts/${encodeURIComponent(id)}/transactions`, { pageSize: 100 }, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.accountId, this.activeTab === 'payments', this.revision] as const,
  });

  #threads = new Task(this, {
    task: async ([client, userId, id, open], { signal }) => {
      if (!userId || !id || !open) return initialState;
      return client.get<ThreadSummaries>(`/accounts/${encodeURIComponent(id)}/messages`, undefined, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.accountId, this.activeTab === 'messages' && !this.threadId, this.revision] as const,
  });

  /** Opening a thread marks it read for this user (the server answers with the thread). */
  #thread = new Task(this, {
    task: async ([client, userId, id, threadId]) => {
      if (!userId || !id || !threadId) return initialState;
      return client.request<MessageThread>('POST', `/accounts/${encodeURIComponent(id)}/messages/${encodeURIComponent(threadId)}/read`);
    },
    args: () => [this.#portal.client, this.#userId, this.accountId, this.activeTab === 'messages' ? this.threadId : '', this.revision] as const,
  });

  #live = new LiveEvents(
    this,
    () => (this.#userId && this.accountId ? { client: this.#portal.client, key: `${this.#userId}|${this.accountId}`, query: { accountId: this.accountId } } : null),
    (event) => {
      this.liveNote = event.type === 'account.message_posted' ? 'New message on this account.' : 'This account was updated.';
      this.revision += 1;
    },
  );

  /** Whether the live stream is connected (for tests and status displays). */
  get live(): boolean {
    return this.#live.connected;
  }

  get #userId(): string | null {
    const user = this.#portal.user;
    return user && !user.onboarding.required ? user.id : null;
  }

  #selectTab(tab: Tab, focus = false): void {
    this.activeTab = tab;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  /** Arrow keys, Home and End move between tabs (and open them), as the ARIA tabs pattern describes. */
  #onTabKeydown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === this.activeTab);
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key]! + TABS.length) % TABS.length;
    this.#selectTab(TABS[next]!.id, true);
  };

  #loadMore = () => {
    this.activityPage += 1;
  };

  override willUpdate(changed: PropertyValues<this>): void {
    const reloaded = (changed as Map<PropertyKey, unknown>).has('revision');
    if (changed.has('accountId') || changed.has('activityPageSize') || reloaded) {
      this.activityPage = 1;
      // after a change the old entries stay on screen until the fresh first page replaces them
      if (!reloaded) this.#activity = [];
    }
    if (changed.has('accountId')) this.threadId = '';
  }

  #onChanged = () => {
    this.revision += 1;
  };

  /** Set when a thread is opened: its heading takes the focus once the conversation has loaded. */
  #focusThread = false;

  #openThread(id: string): void {
    this.threadId = id;
    this.replyError = '';
    this.#focusThread = true;
  }

  override updated(): void {
    // The button pressed goes away at once, the conversation comes a request later: the focus goes to
    // its heading when it is there (waiting one render lost it to the page while it loaded).
    const heading = this.#focusThread ? this.renderRoot.querySelector<HTMLElement>('[part~=thread] h3') : null;
    if (heading) {
      this.#focusThread = false;
      heading.focus();
    } else if (this.#focusThread && (!this.threadId || this.#thread.status === TaskStatus.ERROR)) {
      this.#focusThread = false;
    }
  }

  #onReply = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const textarea = form.querySelector('textarea')!;
    const body = textarea.value.trim();
    if (!body) {
      this.replyError = 'Write a message.';
      return;
    }
    this.replying = true;
    this.replyError = '';
    try {
      await this.#portal.client.request('POST', `/accounts/${encodeURIComponent(this.accountId)}/messages/${encodeURIComponent(this.threadId)}`, { body: { body } });
      textarea.value = '';
      this.revision += 1;
    } catch (error) {
      this.replyError = toProblem(error).detail;
    } finally {
      this.replying = false;
    }
  };

  #renderHeader(account: Account) {
    return html`
      <header part="header" data-status=${account.status}>
        <h2>${account.debtorName}</h2>
        <span>Client account # <strong>${account.clientAccountNumber}</strong></span>
        <span>Type <strong>${label(account.accountType)}</strong></span>
        <span>Status <strong data-field="status">${statusLabel(account.status)}</strong></span>
      </header>
    `;
  }

  #renderDetails(account: Account) {
    const row = (term: string, value: unknown) => html`<dt>${term}</dt><dd>${value ?? '—'}</dd>`;
    return html`
      <section aria-labelledby="details-heading">
        <h3 id="details-heading">Account</h3>
        <dl part="details">
          ${row('Client', account.client.name)} ${row('Agency account #', account.agencyAccountNumber)}
          ${row('Placed', formatDate(account.placedOn))} ${row('Service date', formatDate(account.serviceDate))}
          ${account.chargeOffDate ? row('Charge-off date', formatDate(account.chargeOffDate)) : nothing}
          ${account.routingNumber ? row('Routing / check', `${account.routingNumber} / ${account.checkNumber}`) : nothing}
          ${row('Last activity', formatDate(account.lastActivityAt))}
        </dl>
        ${account.specialInstructions
          ? html`<p class="instructions"><strong>Special instructions:</strong> ${account.specialInstructions}</p>`
          : nothing}
      </section>
    `;
  }

  #renderBalance(account: Account) {
    const { currency, components, paidToDateCents, totalCents } = account.balanceDetail;
    const money = (cents: number) => formatMoney(cents, currency);
    return html`
      <table part="balance">
        <caption>Balance</caption>
        <thead>
          <tr><th scope="col">Component</th><th scope="col" class="num">Original</th><th scope="col" class="num">Current</th></tr>
        </thead>
        <tbody>
          ${components.map((c) => html`<tr><th scope="row">${label(c.component)}</th><td class="num">${money(c.originalCents)}</td><td class="num">${money(c.currentCents)}</td></tr>`)}
          <tr><th scope="row">Paid to date</th><td></td><td class="num" data-field="paid">${money(paidToDateCents)}</td></tr>
        </tbody>
        <tfoot>
          <tr><th scope="row">Total balance</th><td></td><td class="num" data-field="total">${money(totalCents)}</td></tr>
        </tfoot>
      </table>
    `;
  }

  #renderParty(party: Party) {
    const name = [party.firstName, party.middleName, party.lastName, party.suffix].filter(Boolean).join(' ');
    const a = party.address;
    const cityLine = [a.city, [a.state, a.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    return html`
      <section class="party" aria-label="${label(party.role)}: ${name}">
        <h3>${name} <span class="meta">(${label(party.role)})</span></h3>
        <dl>
          ${a.line1 ? html`<dt>Address</dt><dd>${a.line1}${a.line2 ? html`<br />${a.line2}` : nothing}<br />${cityLine}</dd>` : nothing}
          ${party.phones.length ? html`<dt>Phone</dt><dd>${party.phones.map((p) => html`${p.number} <span class="meta">(${p.type})</span><br />`)}</dd>` : nothing}
          ${party.emails.length ? html`<dt>Email</dt><dd>${party.emails.map((e) => html`${e}<br />`)}</dd>` : nothing}
          ${party.employer ? html`<dt>Employer</dt><dd>${party.employer}</dd>` : nothing}
          ${party.dob ? html`<dt>Date of birth</dt><dd>${formatDate(party.dob)}</dd>` : nothing}
          ${party.ssnLast4 ? html`<dt>SSN</dt><dd>ending ${party.ssnLast4}</dd>` : nothing}
        </dl>
      </section>
    `;
  }

  #renderActivity() {
    const task = this.#activityTask;
    const total = task.value?.total ?? 0;
    const loading = task.status === TaskStatus.PENDING;
    return html`
      ${this.#activity.length
        ? html`<ol part="timeline" class="timeline">
            ${this.#activity.map((a) => html`
              <li data-type=${a.type}>
                <div class="meta"><time datetime=${a.occurredAt}>${formatDateTime(a.occurredAt)}</time><br />${label(a.type)}</div>
                <div>${a.body}<div class="meta">${a.actorName}</div></div>
              </li>`)}
          </ol>`
        : task.status === TaskStatus.COMPLETE
          ? html`<p>No activity yet.</p>`
          : nothing}
      ${task.status === TaskStatus.ERROR ? html`<p class="alert" part="error" role="alert">${toProblem(task.error).detail}</p>` : nothing}
      <p class="meta" role="status">${loading ? 'Loading activity…' : total ? `Showing ${formatCount(this.#activity.length)} of ${formatCount(total)}` : ''}</p>
      ${this.#activity.length < total
        ? html`<button part="button" type="button" data-action="load-more" ?disabled=${loading} @click=${this.#loadMore}>Load more</button>`
        : nothing}
    `;
  }

  /** Report a payment or post an adjustment right here (the same dialogs as the Account functions menu). */
  #renderLedgerActions() {
    const account = this.#account.value;
    const user = this.#portal.user;
    if (!account || !user) return nothing;
    const actions = ACCOUNT_ACTIONS.filter((a) => (a.id === 'payment' || a.id === 'adjustment') && user.permissions.includes(a.permission) && a.available(account, user));
    if (!actions.length) return nothing;
    const open = (id: string) => this.renderRoot.querySelector('ck-account-functions')?.open(id);
    return html`<div class="ledger-actions" part="ledger-actions">
      ${actions.map((a) => html`<button part="button" type="button" data-action="ledger-${a.id}" @click=${() => open(a.id)}>${a.label}…</button>`)}
    </div>`;
  }

  #renderPayments() {
    return html`${this.#renderLedgerActions()}${this.#renderPaymentList()}`;
  }

  #renderPaymentList() {
    return this.#payments.render({
      pending: () => html`<p class="hint" role="status">Loading payments…</p>`,
      error: (e) => html`<p class="alert" part="error" role="alert">${toProblem(e).detail}</p>`,
      complete: (page) => page.data.length
        ? html`<table part="payments">
            <caption>Payments and adjustments, newest first</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Kind</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Balance after</th><th scope="col">By</th></tr></thead>
            <tbody>
              ${page.data.map((t) => html`<tr data-kind=${t.kind}>
                <td>${formatDate(t.effectiveOn)}</td>
                <td>${KIND_LABELS[t.kind] ?? label(t.kind)}${t.reference ? html` <span class="meta">ref ${t.reference}</span>` : nothing}${t.reason ? html`<br /><span class="meta">${t.reason}</span>` : nothing}</td>
                <td class="num">${formatMoney(t.amount.amountCents, t.amount.currency)}</td>
                <td class="num">${formatMoney(t.balanceAfter.amountCents, t.balanceAfter.currency)}</td>
                <td>${t.createdBy ?? '—'}</td>
              </tr>`)}
            </tbody>
          </table>`
        : html`<p class="hint">No payments or adjustments reported yet.</p>`,
    });
  }

  #renderMessages() {
    if (this.threadId) {
      return this.#thread.render({
        pending: () => (this.#thread.value ? this.#renderThread(this.#thread.value) : html`<p class="hint" role="status">Loading the conversation…</p>`),
        error: (e) => html`<p class="alert" part="error" role="alert">${toProblem(e).detail}</p>`,
        complete: (thread) => this.#renderThread(thread),
      });
    }
    return this.#threads.render({
      pending: () => html`<p class="hint" role="status">Loading messages…</p>`,
      error: (e) => html`<p class="alert" part="error" role="alert">${toProblem(e).detail}</p>`,
      complete: (list) => list.data.length
        ? html`<ul part="threads" class="threads">
            ${list.data.map((t) => html`<li>
              <button part="button" type="button" data-thread=${t.id} @click=${() => this.#openThread(t.id)}>
                <strong>${t.subject}</strong>
                <span class="meta">${t.messageCount} message${t.messageCount === 1 ? '' : 's'} · ${formatDateTime(t.lastMessageAt)}</span>
                ${t.unreadCount ? html`<span class="unread" part="unread" aria-label="${t.unreadCount} unread">${t.unreadCount}</span>` : nothing}
              </button>
            </li>`)}
          </ul>`
        : html`<p class="hint">No messages yet. Use Account functions → Contact the agency to start one.</p>`,
    });
  }

  #renderThread(thread: MessageThread) {
    return html`
      <section part="thread" aria-labelledby="thread-title">
        <button part="button" type="button" data-action="back" @click=${() => (this.threadId = '')}>← All messages</button>
        <h3 id="thread-title" tabindex="-1">${thread.subject}</h3>
        <ol class="messages">
          ${thread.messages.map((m) => html`<li data-side=${m.side}>
            <div class="meta">${m.authorName} · <time datetime=${m.createdAt}>${formatDateTime(m.createdAt)}</time></div>
            <div>${m.body}</div>
          </li>`)}
        </ol>
        <form @submit=${this.#onReply} novalidate>
          <label for="reply">Reply</label>
          <textarea id="reply" name="reply" maxlength="4000" aria-describedby="reply-error" aria-invalid=${this.replyError ? 'true' : 'false'}></textarea>
          <span class="error" id="reply-error" role="alert">${this.replyError}</span>
          <button part="button" class="primary" type="submit" ?disabled=${this.replying}>${this.replying ? 'Sending…' : 'Send reply'}</button>
        </form>
      </section>
    `;
  }

  #renderPanel(tab: Tab, account: Account) {
    switch (tab) {
      case 'activity': return this.#renderActivity();
      case 'parties': return html`<div class="parties">${account.parties.map((p) => this.#renderParty(p))}</div>`;
      case 'payments': return this.#renderPayments();
      case 'messages': return this.#renderMessages();
      case 'attachments': return html`<ck-account-attachments account-id=${account.id} api=${this.api}></ck-account-attachments>`;
    }
  }

  #renderTabs(account: Account) {
    return html`
      <div>
        <div role="tablist" part="tabs" aria-label="Account sections" @keydown=${this.#onTabKeydown}>
          ${TABS.map((t) => html`
            <button
              part="tab button"
              role="tab"
              type="button"
              id="tab-${t.id}"
              aria-selected=${this.activeTab === t.id ? 'true' : 'false'}
              aria-controls="panel-${t.id}"
              tabindex=${this.activeTab === t.id ? 0 : -1}
              @click=${() => this.#selectTab(t.id)}
            >${t.label}</button>`)}
        </div>
        ${TABS.map((t) => html`
          <div part="panel" role="tabpanel" id="panel-${t.id}" aria-labelledby="tab-${t.id}" tabindex="0" ?hidden=${this.activeTab !== t.id}>
            ${this.activeTab !== t.id ? nothing : this.#renderPanel(t.id, account)}
          </div>`)}
      </div>
    `;
  }

  override render() {
    if (!this.accountId) return html`<slot name="empty"><p class="hint">Choose an account to see its details.</p></slot>`;
    if (!this.#userId) return html`<p class="hint">Sign in to see this account.</p>`;
    const complete = (account: Account) => html`
      <article part="base" aria-label="Account ${account.debtorName}">
        ${this.#renderHeader(account)}
        <div class="body">
          <div class="toolbar">
            <ck-account-functions api=${this.api} .account=${account} @ck-account-changed=${this.#onChanged}></ck-account-functions>
          </div>
          <div class="columns">${this.#renderDetails(account)} ${this.#renderBalance(account)}</div>
          ${this.#renderTabs(account)}
        </div>
        <p class="visually-hidden" role="status">${this.liveNote}</p>
      </article>
    `;
    return this.#account.render({
      // Reloading after a change keeps the pane (and focus) in place while the new data comes.
      pending: () => {
        const shown = this.#account.value;
        return shown && shown.id === this.accountId
          ? complete(shown)
          : html`<div part="base" aria-busy="true"><p class="hint body">Loading the account…</p></div>`;
      },
      error: (error) => html`<div part="base"><p class="alert" part="error" role="alert">${toProblem(error).detail}</p></div>`,
      complete,
    });
  }
}

CkAccountPane.define('ck-account-pane');

declare global {
  interface HTMLElementTagNameMap {
    'ck-account-pane': CkAccountPane;
  }
}
