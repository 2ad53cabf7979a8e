import { html, css } from 'lit';
import { property } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';

/** `GET messages/unread`. */
interface UnreadSummary {
  total: number;
  threads: { threadId: string; accountId: string; subject: string; unreadCount: number }[];
}

/**
 * The signed-in user's unread messages from the agency, across all their accounts. Choosing a thread
 * fires `ck-account-select` (the client portal opens that account's Messages tab).
 *
 * @summary Unread messages across my accounts.
 * @tag ck-unread-messages
 *
 * @fires {CustomEvent<{ accountId: string; threadId: string }>} ck-account-select - A thread was chosen.
 *
 * @csspart list - The list of threads.
 */
export class CkUnreadMessages extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: var(--ck-space-2, 0.5rem);
      }
      li button {
        width: 100%;
        text-align: left;
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  #portal = new PortalConnection(this);

  #unread = new Task(this, {
    task: async ([client, userId], { signal }) => (userId ? client.get<UnreadSummary>('/messages/unread', undefined, signal) : null),
    args: () => [this.#portal.client, this.#portal.user?.id ?? ''] as const,
  });

  override render() {
    return this.#unread.render({
      pending: () => html`<p class="hint" role="status">Loading your messages…</p>`,
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>
        <button type="button" @click=${() => void this.#unread.run()}>Try again</button>`,
      complete: (summary) =>
        !summary || summary.threads.length === 0
          ? html`<p class="hint" data-field="empty">No unread messages. To write to the agency, open an account and use its Messages tab.</p>`
          : html`<p data-field="total">${summary.total} unread ${summary.total === 1 ? 'message' : 'messages'}</p>
              <ul part="list" aria-label="Threads with unread messages">
                ${summary.threads.map(
                  (t) => html`<li><button type="button" @click=${() => this.emit('ck-account-select', { accountId: t.accountId, threadId: t.threadId })}>
                    ${t.subject} · ${t.unreadCount} unread</button></li>`,
                )}
              </ul>`,
    });
  }
}

CkUnreadMessages.define('ck-unread-messages');

declare global {
  interface HTMLElementTagNameMap {
    'ck-unread-messages': CkUnreadMessages;
  }
}
