import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem, type Problem } from '../internal/api-client.js';
import { formatBytes } from '../internal/documents.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { uploadStyles } from './upload.styles.js';

type Status = 'ready' | 'uploading' | 'done' | 'error' | 'cancelled';

interface QueuedFile {
  key: number;
  file: File;
  /** the display name sent in `name-field` */
  name: string;
  status: Status;
  loaded: number;
  total: number;
  error?: string;
  controller?: AbortController;
}

export interface UploadCompleteDetail {
  fileName: string;
  /** the API's response body (the created attachment or file) */
  result: unknown;
}

export interface UploadErrorDetail {
  fileName: string;
  problem: Problem;
  /** the refused file, so the host can send it elsewhere (a Collaboration Center overwrite) */
  file: File;
}

let nextKey = 1;

/**
 * Uploads files to one API endpoint: drop them on the zone or use the chooser button (keyboard),
 * then watch a progress bar per file fed by the real upload progress. A running upload can be
 * cancelled; a failed or cancelled one retried. With `name-field`, every file asks for a name first
 * and is sent when the person presses Upload; without it, uploads start as soon as files are chosen.
 * The API decides what it accepts; `max-bytes` and `accept` only save a pointless wait.
 *
 * @summary Drag-and-drop or chooser file upload with per-file progress, cancel and retry.
 * @tag ck-upload
 *
 * @fires ck-upload-complete - A file was stored; `detail`: `{ fileName, result }` (result = the API's body).
 * @fires ck-upload-error - A file was refused or failed; `detail`: `{ fileName, problem, file }`.
 *
 * @csspart dropzone - The drop area with the chooser button.
 * @csspart queue - The list of files.
 * @csspart item - One file's row.
 * @csspart progress - A file's progress bar.
 * @csspart button - Every button.
 * @csspart error - A file's error message.
 *
 * @cssprop --ck-color-primary - Progress bar and highlighted drop zone.
 * @cssprop --ck-color-border - Drop zone border.
 */
export class CkUpload extends CkElement {
  static override styles = [baseStyles, formStyles, uploadStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The endpoint below `/api/v1` that takes `multipart/form-data` with the file in `file`. */
  @property() action = '';

  /** When set, each file needs a name, sent in this form field (e.g. `name`), and waits for Upload. */
  @property({ attribute: 'name-field' }) nameField = '';

  /** Label of the name input. */
  @property({ attribute: 'name-label' }) nameLabel = 'Name';

  /** Allow several files at once. */
  @property({ type: Boolean }) multiple = false;

  /** The file input's `accept` (e.g. `.pdf,image/png`). */
  @property() accept = '';

  /** Files larger than this are refused before sending (the API's limit is the real one). */
  @property({ type: Number, attribute: 'max-bytes' }) maxBytes = 0;

  /** A line under the button: what is accepted. */
  @property() hint = '';

  /** Label of the chooser button. */
  @property({ attribute: 'button-label' }) buttonLabel = '';

  /** Extra text fields sent with every file (e.g. `{ folderId }`). */
  @property({ attribute: false }) fields: Record<string, string | undefined> = {};

  /** Forget finished rows when a new batch is chosen. */
  @property({ type: Boolean, attribute: 'clear-done' }) clearDone = false;

  @state() private queue: QueuedFile[] = [];
  @state() private dragging = false;
  @state() private announcement = '';

  #portal = new PortalConnection(this);

  /** Adds files to the queue (also what a drop or the chooser does). */
  addFiles(files: Iterable<File>): void {
    const added = [...files].slice(0, this.multiple ? undefined : 1).map<QueuedFile>((file) => ({
      key: nextKey++, file, name: this.nameField ? file.name.replace(/\.[A-Za-z0-9]{1,8}$/, '') : file.name, status: 'ready', loaded: 0, total: file.size,
    }));
    if (!added.length) return;
    const kept = this.clearDone || !this.multiple ? this.queue.filter((q) => q.status === 'uploading') : this.queue;
    this.queue = [...kept, ...added];
    this.#announce(added.length === 1 ? `${added[0]!.file.name} added.` : `${added.length} files added.`);
    if (!this.nameField) for (const item of added) void this.#start(item);
    else void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#name-${added[0]!.key}`)?.focus());
  }

  #announce(text: string): void {
    // re-announce identical messages: clear first, then set on the next frame
    this.announcement = '';
    requestAnimationFrame(() => (this.announcement = text));
  }

  #update(item: QueuedFile, patch: Partial<QueuedFile>): void {
    Object.assign(item, patch);
    this.queue = [...this.queue];
  }

  async #start(item: QueuedFile): Promise<void> {
    if (!this.action) return;
    if (this.nameField && !item.name.trim()) {
      this.#update(item, { status: 'error', error: `Give ${item.file.name} a name.` });
      this.renderRoot.querySelector<HTMLInputElement>(`#name-${item.key}`)?.focus();
      return;
    }
    if (this.maxBytes && item.file.size > this.maxBytes) {
      this.#fail(item, { type: 'about:blank', title: 'Content Too Large', status: 413, code: 'file_too_large', requestId: '', detail: `${item.file.name} is larger than the limit of ${formatBytes(this.maxBytes)}.` });
      return;
    }
    const form = new FormData();
    for (const [k, v] of Object.entries(this.fields)) if (v) form.append(k, v);
    if (this.nameField) form.append(this.nameField, item.name.trim());
    form.append('file', item.file, item.file.name);
    const controller = new AbortController();
    this.#update(item, { status: 'uploading', loaded: 0, total: item.file.size, error: undefined, controller });
    this.#announce(`Uploading ${item.file.name}.`);
    try {
      const result = await this.#portal.client.upload<unknown>(this.action, form, {
        signal: controller.signal,
        onProgress: (loaded, total) => this.#update(item, { loaded, total: total || item.total }),
      });
      this.#update(item, { status: 'done', loaded: item.total, controller: undefined });
      this.#announce(`${item.file.name} uploaded.`);
      this.emit<UploadCompleteDetail>('ck-upload-complete', { fileName: item.file.name, result });
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') {
        this.#update(item, { status: 'cancelled', controller: undefined });
        this.#announce(`Upload of ${item.file.name} cancelled.`);
      } else {
        this.#fail(item, toProblem(error));
      }
    }
  }

  #fail(item: QueuedFile, problem: Problem): void {
    this.#update(item, { status: 'error', error: problem.detail, controller: undefined });
    this.#announce(`${item.file.name} was not uploaded: ${problem.detail}`);
    this.emit<UploadErrorDetail>('ck-upload-error', { fileName: item.file.name, problem, file: item.file });
  }

  #remove(item: QueuedFile): void {
    this.queue = this.queue.filter((q) => q !== item);
    this.#announce(`${item.file.name} removed.`);
  }

  #uploadAll = () => {
    for (const item of this.queue) if (item.status === 'ready') void this.#start(item);
  };

  #choose = () => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();

  #onChosen = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) this.addFiles(input.files);
    input.value = '';
  };

  #onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  #onDragLeave = () => {
    this.dragging = false;
  };

  #onDrop = (event: DragEvent) => {
    event.preventDefault();
    this.dragging = false;
    if (event.dataTransfer?.files.length) this.addFiles(event.dataTransfer.files);
  };

  #renderItem(item: QueuedFile) {
    const pct = item.total ? Math.round((item.loaded / item.total) * 100) : 0;
    const editable = this.nameField && (item.status === 'ready' || item.status === 'error' || item.status === 'cancelled');
    return html`
      <li part="item" data-status=${item.status}>
        <span class="file">${item.file.name} <span class="hint">${formatBytes(item.file.size)}</span></span>
        <span class="actions">
          ${item.status === 'uploading'
            ? html`<button part="button" type="button" data-action="cancel" aria-label="Cancel upload of ${item.file.name}" @click=${() => item.controller?.abort()}>Cancel</button>`
            : nothing}
          ${item.status === 'error' || item.status === 'cancelled'
            ? html`<button part="button" type="button" data-action="retry" aria-label="Retry ${item.file.name}" @click=${() => this.#start(item)}>Retry</button>`
            : nothing}
          ${item.status === 'ready' || item.status === 'error' || item.status === 'cancelled'
            ? html`<button part="button" type="button" data-action="remove" aria-label="Remove ${item.file.name}" @click=${() => this.#remove(item)}>Remove</button>`
            : nothing}
          ${item.status === 'done' ? html`<span class="done">Uploaded</span>` : nothing}
          ${item.status === 'cancelled' ? html`<span class="hint">Cancelled</span>` : nothing}
        </span>
        ${editable
          ? html`<div class="field wide">
              <label for="name-${item.key}">${this.nameLabel} for ${item.file.name}</label>
              <input id="name-${item.key}" name="name-${item.key}" required maxlength="200" .value=${item.name}
                aria-invalid=${item.status === 'error' && !item.name.trim() ? 'true' : 'false'}
                @input=${(e: Event) => (item.name = (e.target as HTMLInputElement).value)} />
            </div>`
          : nothing}
        ${item.status === 'uploading' || item.status === 'done'
          ? html`<progress class="wide" part="progress" max="100" .value=${pct} aria-label="Upload of ${item.file.name}" aria-valuetext="${pct}%"></progress>`
          : nothing}
        ${item.status === 'error' ? html`<p class="error wide" part="error">${item.error}</p>` : nothing}
      </li>
    `;
  }

  override render() {
    const signedIn = Boolean(this.#portal.user);
    const ready = this.queue.filter((q) => q.status === 'ready').length;
    const label = this.buttonLabel || (this.multiple ? 'Choose files…' : 'Choose a file…');
    return html`
      <div part="dropzone" class="dropzone ${this.dragging ? 'dragging' : ''}"
        @dragover=${this.#onDragOver} @dragenter=${this.#onDragOver} @dragleave=${this.#onDragLeave} @drop=${this.#onDrop}>
        <p id="drop-hint">${this.multiple ? 'Drag files here, or' : 'Drag a file here, or'}</p>
        <button part="button" type="button" class="choose" aria-describedby="drop-hint limits-hint" ?disabled=${!signedIn || !this.action} @click=${this.#choose}>${label}</button>
        <input type="file" hidden tabindex="-1" aria-hidden="true" ?multiple=${this.multiple} accept=${this.accept || nothing} @change=${this.#onChosen} />
        <p class="hint" id="limits-hint">${signedIn ? this.hint : 'Sign in to upload.'}</p>
      </div>
      ${this.queue.length ? html`<ul part="queue" aria-label="Files to upload">${this.queue.map((q) => this.#renderItem(q))}</ul>` : nothing}
      ${this.nameField && ready
        ? html`<button part="button" type="button" class="primary submit" data-action="upload" @click=${this.#uploadAll}>${ready === 1 ? 'Upload' : `Upload ${ready} files`}</button>`
        : nothing}
      <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
    `;
  }
}

CkUpload.define('ck-upload');

declare global {
  interface HTMLElementTagNameMap {
    'ck-upload': CkUpload;
  }
}
