import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import type { InboxPage, InboxTask } from '../internal/action-types.js';
import { LiveEvents } from '../internal/live-events.js';
import { formatCount, formatDateTime, label } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { inboxStyles } from './inbox.styles.js';

const KIND_LABELS: Record<string, string> = { client_note: 'Client note', message: 'Message', dispute: 'Dispute', placement_review: 'Placement to review' };
const LIVE_TYPES = 'task.opened,task.claimed,task.closed,account.note_added,account.message_posted';

/**
 * The agency inbox: the work clients create — flagged notes, messages, disputes — as tasks, newest
 * first. Staff filter by state and owner, claim a task (so two people do not answer the same
 * client), reply (in the message thread, or as a client-visible note on the account) and mark it
 * done. New tasks appear live, without a reload, and are announced to screen readers.
 *
 * @summary The agency staff's inbox of client notes, messages and disputes.
 * @tag ck-inbox
 *
 * @fires ck-account-select - When the account of a task is chosen; detail `{ accountId }`.
 * @fires ck-review-request - "Review placement" on a placement-review task (such a task closes when the
 *   placement is accepted or rejected, not by "Mark done"); detail `{ taskId, source }`.
 *
 * @csspart base - The inbox.
 * @csspart filters - The filter controls.
 * @csspart list - The task list.
 * @csspart task - One task.
 * @csspart button - Every button.
 * @csspart error - A problem shown when loading or an action fails.
 *
 * @cssprop --ck-color-primary - Primary buttons and links.
 * @cssprop --ck-color-surface - Background.
 */
export class CkInbox extends CkElement {
  static override styles = [baseStyles, formStyles, inboxStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Which tasks: open (default), done or all. */
  @property({ reflect: true }) status: 'open' | 'done' | 'all' = 'open';

  /** Whose tasks: any (default), me, or unassigned. */
  @property({ reflect: true }) assigned: 'any' | 'me' | 'unassigned' = 'any';

  /** Tasks per page (1–100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;

  @state() private page = 1;
  @state() private revision = 0;
  @state() private replyTo = '';
  /** the dispute task whose resolution form is open */
  @state() private resolving = '';
  @state() private busyTask = '';
  @state() private actionError: { taskId: string; text: string } | null = null;
  @state() private announcement = '';

  #portal = new PortalConnection(this);

  #tasks = new Task(this, {
    task: async ([client, userId, status, assigned, page, pageSize], { signal }) => {
      if (!userId) return initialState;
      return client.get<InboxPage>('/agency/inbox', { status, assigned, page, pageSize }, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.status, this.assigned, this.page, this.pageSize, this.revision] as const,
  });

  #live = new LiveEvents(
    this,
    () => (this.#userId ? { client: this.#portal.client, key: this.#userId, query: { types: LIVE_TYPES } } : null),
    (event) => {
      if (event.type === 'task.opened') this.announcement = `New in the inbox: ${String(event.payload.title ?? 'a task')}`;
      this.revision += 1;
    },
  );

  /** Whether the live stream is connected. */
  get live(): boolean {
    return this.#live.connected;
  }

  get #userId(): string | null {
    const user = this.#portal.user;
    return user && !user.onboarding.required && user.permissions.includes('agency.inbox') ? user.id : null;
  }

  #onFilter = (event: Event) => {
    const select = event.target as HTMLSelectElement;
    if (select.name === 'status') this.status = select.value as CkInbox['status'];
    if (select.name === 'assigned') this.assigned = select.value as CkInbox['assigned'];
    this.page = 1;
  };

  async #act(task: InboxTask, path: string, body?: unknown): Promise<boolean> {
    this.busyTask = task.id;
    this.actionError = null;
    try {
      await this.#portal.client.request('POST', `/agency/inbox/${encodeURIComponent(task.id)}/${path}`, { body: body ?? {} });
      this.revision += 1;
      return true;
    } catch (error) {
      this.actionError = { taskId: task.id, text: toProblem(error).detail };
      return false;
    } finally {
      this.busyTask = '';
    }
  }

  #claim = async (task: InboxTask) => {
    if (await this.#act(task, 'claim')) this.announcement = `You have “${task.title}”.`;
  };

  #close = async (task: InboxTask) => {
    if (await this.#act(task, 'close')) this.announcement = `Marked done: “${task.title}”.`;
  };

  #onReply = async (event: SubmitEvent, task: InboxTask) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = (form.elements.namedItem('body') as HTMLTextAreaElement).value.trim();
    const close = (form.elements.namedItem('close') as HTMLInputElement).checked;
    if (!body) {
      this.actionError = { taskId: task.id, text: 'Write a reply.' };
      return;
    }
    if (await this.#act(task, 'reply', { body, close })) {
      this.replyTo = '';
      this.announcement = close ? `Replied and marked done: “${task.title}”.` : `Reply sent: “${task.title}”.`;
    }
  };

  #onResolve = async (event: SubmitEvent, task: InboxTask) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const resolution = (form.elements.namedItem('resolution') as HTMLTextAreaElement).value.trim();
    if (resolution.length < 3) {
      this.actionError = { taskId: task.id, text: 'Say how the dispute was resolved (what was sent to the debtor).' };
      return;
    }
    this.busyTask = task.id;
    this.actionError = null;
    try {
      await this.#portal.client.request('POST', `/agency/disputes/${encodeURIComponent(task.source!.id)}/resolve`, { body: { resolution } });
      this.resolving = '';
      this.announcement = `Dispute resolved: “${task.title}”.`;
      this.revision += 1;
    } catch (error) {
      this.actionError = { taskId: task.id, text: toProblem(error).detail };
    } finally {
      this.busyTask = '';
    }
  };

  #openReply(task: InboxTask): void {
    this.replyTo = task.id;
    this.actionError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>(`#reply-${task.id}`)?.focus());
  }

  #openResolve(task: InboxTask): void {
    this.resolving = task.id;
    this.replyTo = '';
    this.actionError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLTextAreaElement>(`#resolve-${task.id}`)?.focus());
  }

  #renderTask(task: InboxTask) {
    const me = this.#portal.user?.id;
    const busy = this.busyTask === task.id;
    const error = this.actionError?.taskId === task.id ? this.actionError.text : '';
    return html`
      <li part="task" data-id=${task.id} data-kind=${task.kind} data-status=${task.status}>
        <div><span class="kind">${KIND_LABELS[task.kind] ?? label(task.kind)}</span></div>
        <h3>${task.title}</h3>
        ${task.detail ? html`<p class="detail">${task.detail}</p>` : nothing}
        <div class="meta">
          ${task.account
            ? html`<button class="link" type="button" part="button" @click=${() => this.emit('ck-account-select', { accountId: task.account!.id })}>${task.account.debtorName} · ${task.account.agencyAccountNumber}</button> · `
            : nothing}
          ${task.client ? html`${task.client.name} · ` : nothing}
          ${task.createdBy ? html`by ${task.createdBy} · ` : nothing}<time datetime=${task.createdAt}>${formatDateTime(task.createdAt)}</time>
          ${task.assignedTo ? html` · <span data-field="assignee">${task.assignedTo.id === me ? 'You have this' : `${task.assignedTo.name} has this`}</span>` : nothing}
          ${task.status === 'done' ? html` · Done ${formatDateTime(task.closedAt)}` : nothing}
        </div>
        ${task.status === 'open'
          ? html`<div class="row-actions">
              ${!task.assignedTo ? html`<button part="button" type="button" data-action="claim" ?disabled=${busy} @click=${() => this.#claim(task)}>Claim</button>` : nothing}
              ${task.account ? html`<button part="button" type="button" data-action="reply" aria-expanded=${this.replyTo === task.id ? 'true' : 'false'} @click=${() => this.#openReply(task)}>Reply</button>` : nothing}
              ${task.source?.type === 'dispute'
                ? html`<button part="button" type="button" data-action="resolve" aria-expanded=${this.resolving === task.id ? 'true' : 'false'}
                    @click=${() => this.#openResolve(task)}>Resolve dispute</button>`
                : nothing}
              ${task.kind === 'placement_review'
                ? html`<button part="button" type="button" data-action="review" @click=${() => this.emit('ck-review-request', { taskId: task.id, source: task.source })}>Review placement</button>`
                : html`<button part="button" type="button" data-action="close" ?disabled=${busy} @click=${() => this.#close(task)}>Mark done</button>`}
            </div>`
          : nothing}
        ${this.replyTo === task.id
          ? html`<form class="reply" @submit=${(e: SubmitEvent) => this.#onReply(e, task)} novalidate>
              <label for="reply-${task.id}">Reply to the client</label>
              <textarea id="reply-${task.id}" name="body" maxlength="4000" aria-describedby="error-${task.id}"></textarea>
              <label class="check"><input type="checkbox" name="close" checked /> Mark done after replying</label>
              <div class="row-actions">
                <button part="button" class="primary" type="submit" ?disabled=${busy}>${busy ? 'Sending…' : 'Send reply'}</button>
                <button part="button" type="button" @click=${() => (this.replyTo = '')}>Cancel</button>
              </div>
            </form>`
          : nothing}
        ${this.resolving === task.id
          ? html`<form class="reply" @submit=${(e: SubmitEvent) => this.#onResolve(e, task)} novalidate>
              <label for="resolve-${task.id}">How was it resolved? (kept with the dispute)</label>
              <textarea id="resolve-${task.id}" name="resolution" maxlength="2000" aria-describedby="error-${task.id}"></textarea>
              <div class="row-actions">
                <button part="button" class="primary" type="submit" ?disabled=${busy}>${busy ? 'Resolving…' : 'Resolve dispute'}</button>
                <button part="button" type="button" @click=${() => (this.resolving = '')}>Cancel</button>
              </div>
            </form>`
          : nothing}
        <p class="alert" part="error" role="alert" id="error-${task.id}">${error}</p>
      </li>
    `;
  }

  #renderList(page: InboxPage) {
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    return html`
      <p class="meta" data-field="counts">${formatCount(page.counts.open)} open · ${formatCount(page.counts.mine)} yours · ${formatCount(page.counts.unassigned)} unassigned</p>
      ${page.data.length
        ? html`<ul part="list" aria-label="Tasks">${page.data.map((t) => this.#renderTask(t))}</ul>`
        : html`<p class="hint" data-field="empty">${this.status === 'open' ? 'Nothing waiting. New client notes, messages and disputes appear here as they arrive.' : 'No tasks match these filters.'}</p>`}
      ${pages > 1
        ? html`<nav class="pager" aria-label="Inbox pages">
            <button part="button" type="button" ?disabled=${this.page <= 1} @click=${() => (this.page -= 1)}>Previous</button>
            <span>Page ${this.page} of ${pages}</span>
            <button part="button" type="button" ?disabled=${this.page >= pages} @click=${() => (this.page += 1)}>Next</button>
          </nav>`
        : nothing}
    `;
  }

  override render() {
    if (!this.#userId) return html`<p class="hint">Sign in with an agency account that works the inbox.</p>`;
    const task = this.#tasks;
    return html`
      <section part="base" aria-labelledby="inbox-title" aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
        <!-- "Tasks", not "Inbox": the console's h1 already says Inbox (h1 Inbox > h2 Tasks > h3 each task) -->
        <h2 id="inbox-title">Tasks</h2>
        <div class="filters" part="filters">
          <div class="field">
            <label for="f-status">Show</label>
            <select id="f-status" name="status" @change=${this.#onFilter}>
              ${([['open', 'Open'], ['done', 'Done'], ['all', 'All']] as const).map(([v, l]) => html`<option value=${v} ?selected=${this.status === v}>${l}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-assigned">Assigned</label>
            <select id="f-assigned" name="assigned" @change=${this.#onFilter}>
              ${([['any', 'Anyone'], ['me', 'Me'], ['unassigned', 'Nobody yet']] as const).map(([v, l]) => html`<option value=${v} ?selected=${this.assigned === v}>${l}</option>`)}
            </select>
          </div>
        </div>
        ${task.render({
          pending: () => (task.value ? this.#renderList(task.value) : html`<p class="hint" role="status">Loading the inbox…</p>`),
          error: (e) => html`<p class="alert" part="error" role="alert">${toProblem(e).detail}</p>`,
          complete: (page) => this.#renderList(page),
        })}
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      </section>
    `;
  }
}

CkInbox.define('ck-inbox');

declare global {
  interface HTMLElementTagNameMap {
    'ck-inbox': CkInbox;
  }
}
