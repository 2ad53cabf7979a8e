import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { acceptOf, describeLimits, formatBytes, saveBlob, viewBlob, type AttachmentItem, type AttachmentPage } from '../internal/documents.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import '../upload/upload.js';

/**
 * The attachments of one account: a list (name, file, size, who and when) with View for what a
 * browser can show, Download, and Delete where allowed, and a `ck-upload` that asks for a display
 * name for each file. Used by `ck-account-pane`'s Attachments tab; works on its own too.
 *
 * @summary An account's attachments: list, view, download, upload, delete.
 * @tag ck-account-attachments
 *
 * @fires ck-attachment-deleted - An attachment was deleted; `detail`: `{ id }`.
 *
 * @csspart list - The attachments table.
 * @csspart button - Every button.
 * @csspart error - A problem message.
 * @csspart upload - The upload element.
 */
export class CkAccountAttachments extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      table { width: 100%; border-collapse: collapse; }
      caption { text-align: left; font-weight: 600; padding-bottom: var(--ck-space-2, 0.5rem); }
      th, td { text-align: left; padding: var(--ck-space-2, 0.5rem); border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de); vertical-align: top; }
      td.num { text-align: right; white-space: nowrap; }
      .actions { display: flex; flex-wrap: wrap; gap: var(--ck-space-1, 0.25rem); }
      .actions button { padding: var(--ck-space-1, 0.25rem) var(--ck-space-2, 0.5rem); min-height: 2rem; }
      .file { overflow-wrap: anywhere; }
      .confirm { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ck-space-2, 0.5rem); }
      ck-upload { margin-top: var(--ck-space-4, 1rem); }
      @media (max-width: 40rem) {
        thead { display: none; }
        tr, td, th { display: block; border: 0; padding: var(--ck-space-1, 0.25rem) 0; }
        tr { border-bottom: 1px solid var(--ck-color-border-subtle, #d0d7de); padding: var(--ck-space-2, 0.5rem) 0; }
        td.num { text-align: left; }
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The account (`acct_…`). */
  @property({ attribute: 'account-id', reflect: true }) accountId = '';

  @state() private confirming: string | null = null;
  @state() private busy: string | null = null;
  @state() private message = '';
  @state() private problem = '';
  @state() private reload = 0;

  #portal = new PortalConnection(this);

  #list = new Task(this, {
    task: async ([client, userId, id], { signal }) => {
      if (!userId || !id) return initialState;
      return client.get<AttachmentPage>(`/accounts/${encodeURIComponent(id)}/attachments`, undefined, signal);
    },
    args: () => [this.#portal.client, this.#portal.user?.id ?? null, this.accountId, this.reload] as const,
  });

  get #path(): string {
    return `/accounts/${encodeURIComponent(this.accountId)}/attachments`;
  }

  async #open(item: AttachmentItem, inline: boolean): Promise<void> {
    this.busy = item.id;
    this.problem = '';
    try {
      const { blob, fileName: filename } = await this.#portal.client.download('GET', `${this.#path}/${item.id}/content`, { query: { disposition: inline ? 'inline' : 'attachment' } });
      if (inline) viewBlob(blob, filename);
      else saveBlob(blob, filename);
      this.message = `${item.displayName} ${inline ? 'opened' : 'downloaded'}.`;
    } catch (error) {
      this.problem = toProblem(error).detail;
    } finally {
      this.busy = null;
    }
  }

  async #delete(item: AttachmentItem): Promise<void> {
    this.busy = item.id;
    this.problem = '';
    try {
      await this.#portal.client.request('DELETE', `${this.#path}/${item.id}`);
      this.confirming = null;
      this.message = `${item.displayName} deleted.`;
      this.emit('ck-attachment-deleted', { id: item.id });
      this.reload++;
    } catch (error) {
      this.problem = toProblem(error).detail;
    } finally {
      this.busy = null;
    }
  }

  #onUploaded = () => {
    this.reload++;
  };

  #renderRow(item: AttachmentItem) {
    const busy = this.busy === item.id;
    return html`
      <tr data-id=${item.id}>
        <th scope="row" class="file">${item.displayName}</th>
        <td class="file">${item.fileName}</td>
        <td class="num">${formatBytes(item.sizeBytes)}</td>
        <td>${item.uploadedBy.name}<br /><span class="hint"><time datetime=${item.uploadedAt}>${formatDateTime(item.uploadedAt)}</time></span></td>
        <td>
          ${this.confirming === item.id
            ? html`<div class="confirm" role="group" aria-label="Confirm deletion">
                <span>Delete ${item.displayName}?</span>
                <button part="button" type="button" class="primary" data-action="confirm-delete" ?disabled=${busy} @click=${() => this.#delete(item)}>Delete</button>
                <button part="button" type="button" data-action="keep" @click=${() => (this.confirming = null)}>Keep</button>
              </div>`
            : html`<div class="actions">
                ${item.viewable ? html`<button part="button" type="button" data-action="view" aria-label="View ${item.displayName}" ?disabled=${busy} @click=${() => this.#open(item, true)}>View</button>` : nothing}
                <button part="button" type="button" data-action="download" aria-label="Download ${item.displayName}" ?disabled=${busy} @click=${() => this.#open(item, false)}>Download</button>
                ${item.canDelete ? html`<button part="button" type="button" data-action="delete" aria-label="Delete ${item.displayName}" ?disabled=${busy} @click=${() => (this.confirming = item.id)}>Delete</button>` : nothing}
              </div>`}
        </td>
      </tr>
    `;
  }

  override render() {
    if (!this.accountId) return html`<p class="hint">Choose an account to see its attachments.</p>`;
    if (!this.#portal.user) return html`<p class="hint">Sign in to see attachments.</p>`;
    const page = this.#list.value;
    const canUpload = this.#portal.user.permissions.includes('attachments.write');
    return html`
      ${this.#list.status === TaskStatus.ERROR ? html`<p class="alert" part="error" role="alert">${toProblem(this.#list.error).detail}</p>` : nothing}
      ${page
        ? page.data.length
          ? html`<table part="list">
              <caption>Attachments (${page.data.length})</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">File</th><th scope="col">Size</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>${page.data.map((a) => this.#renderRow(a))}</tbody>
            </table>`
          : html`<p class="hint" data-empty>No attachments yet.${canUpload ? ' Add the first one below.' : ''}</p>`
        : html`<p class="hint" aria-busy="true">Loading attachments…</p>`}
      <p class="alert" part="error" role="alert">${this.problem}</p>
      <p class="visually-hidden" role="status">${this.message}</p>
      ${canUpload && page
        ? html`<ck-upload part="upload" multiple clear-done name-field="name" name-label="Display name"
            action=${this.#path} api=${this.api} max-bytes=${page.limits.maxBytes} accept=${acceptOf(page.limits)}
            hint=${describeLimits(page.limits)} button-label="Add attachments…" @ck-upload-complete=${this.#onUploaded}></ck-upload>`
        : nothing}
    `;
  }
}

CkAccountAttachments.define('ck-account-attachments');

declare global {
  interface HTMLElementTagNameMap {
    'ck-account-attachments': CkAccountAttachments;
  }
}
