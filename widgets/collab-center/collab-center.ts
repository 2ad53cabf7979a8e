import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import {
  acceptOf, describeLimits, formatBytes, saveBlob, viewBlob,
  type CollabComment, type CollabCommentPage, type CollabFileInfo, type CollabFileItem, type CollabFilePage, type CollabFolder, type CollabFolderTree,
} from '../internal/documents.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { collabCenterStyles } from './collab-center.styles.js';
import '../upload/upload.js';
import type { UploadErrorDetail } from '../upload/upload.js';
import { keyed } from 'lit/directives/keyed.js';

/** '' = every file of the center, 'root' = the top level, else a folder id */
type FolderChoice = string;

/**
 * A client's Collaboration Center: the folder tree (with New folder), the files of the chosen
 * folder (Download, Details), adding files by drag and drop or chooser (`ck-upload`, with progress),
 * and a file's details — every version (each downloadable), Upload a new version (overwrite; the old
 * one is kept), and comments with author and time. Users of several clients (and the agency) choose
 * the client first, unless `client-id` is set.
 *
 * @summary Folders, files, versions and comments shared between a client and the agency.
 * @tag ck-collab-center
 *
 * @fires ck-collab-file-added - A file was added; `detail`: the file.
 * @fires ck-collab-file-updated - A new version was uploaded; `detail`: the file.
 *
 * @csspart base - The whole center.
 * @csspart folders - The folder navigation.
 * @csspart files - The file table.
 * @csspart detail - The selected file's versions and comments.
 * @csspart button - Every button.
 * @csspart error - A problem message.
 *
 * @cssprop --ck-color-primary - The chosen folder.
 * @cssprop --ck-color-surface-alt - Background of the chosen folder and file.
 */
export class CkCollabCenter extends CkElement {
  static override styles = [baseStyles, formStyles, collabCenterStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The client whose center to show (`cli_…`); by default the user's only (or first) client. */
  @property({ attribute: 'client-id' }) clientId = '';

  @state() private chosenClient = '';
  @state() private folder: FolderChoice = '';
  @state() private selected: string | null = null;
  @state() private treeVersion = 0;
  @state() private filesVersion = 0;
  @state() private detailVersion = 0;
  @state() private folderProblem = '';
  @state() private problem = '';
  @state() private message = '';
  @state() private commentProblem = '';
  @state() private sending = false;
  /** A file refused because its name is taken: offered as a new version of the file of that name. */
  @state() private taken: { file: File; existing: { id: string; name: string } } | null = null;
  /** Bumped to start the add-files upload afresh (its refused file dealt with by the offer). */
  @state() private uploadKey = 0;

  #portal = new PortalConnection(this);

  get #client(): string {
    const user = this.#portal.user;
    return this.clientId || this.chosenClient || user?.clients[0]?.id || '';
  }

  get #userId(): string | null {
    const user = this.#portal.user;
    return user && !user.onboarding.required ? user.id : null;
  }

  #tree = new Task(this, {
    task: async ([client, userId, clientId], { signal }) => {
      if (!userId || !clientId) return initialState;
      return client.get<CollabFolderTree>('/collab/folders', { clientId }, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.#client, this.treeVersion] as const,
  });

  #files = new Task(this, {
    task: async ([client, userId, clientId, folderId], { signal }) => {
      if (!userId || !clientId) return initialState;
      return client.get<CollabFilePage>('/collab/files', { clientId, folderId }, signal);
    },
    args: () => [this.#portal.client, this.#userId, this.#client, this.folder, this.filesVersion] as const,
  });

  #detail = new Task(this, {
    task: async ([client, userId, fileId], { signal }) => {
      if (!userId || !fileId) return initialState;
      const path = `/collab/files/${encodeURIComponent(fileId)}`;
      const [file, comments] = await Promise.all([
        client.get<CollabFileInfo>(path, undefined, signal),
        client.get<CollabCommentPage>(`${path}/comments`, undefined, signal),
      ]);
      return { file, comments: comments.data };
    },
    args: () => [this.#portal.client, this.#userId, this.selected, this.detailVersion] as const,
  });

  #chooseFolder(folder: FolderChoice): void {
    this.folder = folder;
    this.selected = null;
  }

  async #createFolder(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const input = form.querySelector<HTMLInputElement>('input[name=folderName]')!;
    this.folderProblem = '';
    try {
      const parentId = this.folder && this.folder !== 'root' ? this.folder : null;
      const created = await this.#portal.client.request<CollabFolder>('POST', '/collab/folders', { body: { clientId: this.#client, parentId, name: input.value } });
      input.value = '';
      this.message = `Folder ${created.name} created.`;
      this.treeVersion++;
      this.#chooseFolder(created.id);
    } catch (error) {
      this.folderProblem = toProblem(error).detail;
    }
  }

  async #download(file: { id: string; name: string; viewable?: boolean }, version?: number, inline = false): Promise<void> {
    this.problem = '';
    try {
      const { blob, fileName: filename } = await this.#portal.client.download('GET', `/collab/files/${encodeURIComponent(file.id)}/content`, { query: { version, disposition: inline ? 'inline' : 'attachment' } });
      if (inline) viewBlob(blob, filename);
      else saveBlob(blob, filename);
      this.message = `${file.name}${version ? ` version ${version}` : ''} downloaded.`;
    } catch (error) {
      this.problem = toProblem(error).detail;
    }
  }

  async #comment(event: SubmitEvent, fileId: string): Promise<void> {
    event.preventDefault();
    const textarea = (event.target as HTMLFormElement).querySelector('textarea')!;
    this.commentProblem = '';
    this.sending = true;
    try {
      await this.#portal.client.request<CollabComment>('POST', `/collab/files/${encodeURIComponent(fileId)}/comments`, { body: { body: textarea.value } });
      textarea.value = '';
      this.message = 'Comment added.';
      this.detailVersion++;
    } catch (error) {
      this.commentProblem = toProblem(error).detail;
    } finally {
      this.sending = false;
    }
  }

  #onAdded = (event: CustomEvent<{ result: unknown }>) => {
    this.filesVersion++;
    this.emit('ck-collab-file-added', event.detail.result);
  };

  #onNewVersion = (event: CustomEvent<{ result: unknown }>) => {
    this.filesVersion++;
    this.detailVersion++;
    this.emit('ck-collab-file-updated', event.detail.result);
  };

  /** "A file called … already exists … overwrite that file": find that file, offer the overwrite. */
  #onAddFailed = async (event: CustomEvent<UploadErrorDetail>) => {
    const { problem, file } = event.detail;
    if (problem.code !== 'file_name_taken' || !file) return;
    try {
      const all = await this.#portal.client.get<CollabFilePage>('/collab/files', { clientId: this.#client });
      const existing = all.data.find((f) => f.name.toLowerCase() === file.name.toLowerCase());
      this.taken = existing ? { file, existing: { id: existing.id, name: existing.name } } : null;
      if (existing) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action=overwrite]')?.focus());
    } catch (error) {
      this.problem = toProblem(error).detail;
    }
  };

  async #overwrite(): Promise<void> {
    const taken = this.taken;
    if (!taken) return;
    const form = new FormData();
    form.append('file', taken.file, taken.file.name);
    this.problem = '';
    try {
      const result = await this.#portal.client.upload<CollabFileInfo>(`/collab/files/${encodeURIComponent(taken.existing.id)}/versions`, form);
      this.taken = null;
      this.uploadKey++;
      this.message = `${taken.existing.name}: version ${result.currentVersion} uploaded.`;
      this.filesVersion++;
      this.detailVersion++;
      this.selected = taken.existing.id;
      this.emit('ck-collab-file-updated', result);
    } catch (error) {
      this.problem = toProblem(error).detail;
    }
  }

  #renderTaken() {
    const t = this.taken;
    if (!t) return nothing;
    return html`<div class="taken" part="notice" role="group" aria-labelledby="taken-text">
      <p id="taken-text">${t.existing.name} already exists in this center. Upload ${t.file.name} as its new version? The current version is kept.</p>
      <div class="actions">
        <button part="button" type="button" class="primary" data-action="overwrite" @click=${() => void this.#overwrite()}>Upload as a new version</button>
        <button part="button" type="button" data-action="keep" @click=${() => { this.taken = null; this.uploadKey++; }}>Don't upload</button>
      </div>
    </div>`;
  }

  #renderFolders(folders: CollabFolder[], parentId: string | null): unknown {
    const children = folders.filter((f) => f.parentId === parentId);
    if (!children.length) return nothing;
    return html`<ul>
      ${children.map((f) => html`<li>
        <button part="button" type="button" data-folder=${f.id} aria-current=${this.folder === f.id ? 'true' : 'false'} @click=${() => this.#chooseFolder(f.id)}>${f.name}</button>
        ${this.#renderFolders(folders, f.id)}
      </li>`)}
    </ul>`;
  }

  #folderName(folders: CollabFolder[]): string {
    if (this.folder === '') return 'All files';
    if (this.folder === 'root') return 'Top level';
    return folders.find((f) => f.id === this.folder)?.name ?? 'Folder';
  }

  #renderNav(tree: CollabFolderTree | undefined) {
    const folders = tree?.folders ?? [];
    return html`
      <nav part="folders" aria-label="Folders">
        <h3>Folders</h3>
        <ul>
          <li><button part="button" type="button" data-folder="" aria-current=${this.folder === '' ? 'true' : 'false'} @click=${() => this.#chooseFolder('')}>All files</button></li>
          <li>
            <button part="button" type="button" data-folder="root" aria-current=${this.folder === 'root' ? 'true' : 'false'} @click=${() => this.#chooseFolder('root')}>Top level</button>
            ${this.#renderFolders(folders, null)}
          </li>
        </ul>
        <form class="new-folder" @submit=${this.#createFolder}>
          <div class="field">
            <label for="folder-name">New folder in ${this.folder === '' ? 'Top level' : this.#folderName(folders)}</label>
            <input id="folder-name" name="folderName" required maxlength="200" autocomplete="off" aria-describedby="folder-problem" />
          </div>
          <button part="button" type="submit" data-action="create-folder">Create folder</button>
          <p class="error" part="error" id="folder-problem" role="alert">${this.folderProblem}</p>
        </form>
      </nav>
    `;
  }

  #renderFileRow(f: CollabFileItem) {
    return html`
      <tr data-id=${f.id} data-selected=${this.selected === f.id ? 'true' : 'false'}>
        <th scope="row">${f.name}</th>
        <td class="num">${formatBytes(f.sizeBytes)}</td>
        <td class="num">Version ${f.currentVersion}</td>
        <td>${f.updatedBy.name}<br /><span class="hint"><time datetime=${f.updatedAt}>${formatDateTime(f.updatedAt)}</time></span></td>
        <td><div class="actions">
          <button part="button" type="button" data-action="download" aria-label="Download ${f.name}" @click=${() => this.#download(f)}>Download</button>
          <button part="button" type="button" data-action="details" aria-label="Details of ${f.name}" aria-expanded=${this.selected === f.id ? 'true' : 'false'}
            @click=${() => (this.selected = this.selected === f.id ? null : f.id)}>Details</button>
        </div></td>
      </tr>
    `;
  }

  #renderFiles(page: CollabFilePage | undefined, folders: CollabFolder[]) {
    if (!page) return html`<p class="hint" aria-busy="true">Loading files…</p>`;
    const where = this.#folderName(folders);
    return html`
      ${page.data.length
        ? html`<table part="files">
            <caption>${where} (${page.data.length})</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Version</th><th scope="col">Last change</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>${page.data.map((f) => this.#renderFileRow(f))}</tbody>
          </table>`
        : html`<p class="hint" data-empty>No files in ${where} yet. Drop a file below to add the first one.</p>`}
      ${keyed(this.uploadKey, html`<ck-upload multiple clear-done api=${this.api} action="/collab/files" .fields=${{ clientId: this.#client, folderId: this.folder && this.folder !== 'root' ? this.folder : undefined }}
        max-bytes=${page.limits.maxBytes} accept=${acceptOf(page.limits)} hint=${`Added to ${this.folder === '' ? 'Top level' : where}. ${describeLimits(page.limits)} Names must be unique in this center.`}
        button-label="Add files…" @ck-upload-complete=${this.#onAdded} @ck-upload-error=${this.#onAddFailed}></ck-upload>`)}
      ${this.#renderTaken()}
    `;
  }

  #renderDetail() {
    if (!this.selected) return nothing;
    const value = this.#detail.value;
    if (this.#detail.status === TaskStatus.ERROR) return html`<p class="alert" part="error" role="alert">${toProblem(this.#detail.error).detail}</p>`;
    if (!value || value.file.id !== this.selected) return html`<p class="hint" aria-busy="true">Loading the file…</p>`;
    const { file, comments } = value;
    return html`
      <section part="detail" class="detail" aria-labelledby="detail-heading">
        <h3 id="detail-heading">${file.name}</h3>
        <table>
          <caption>Versions</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Uploaded file</th><th scope="col">Size</th><th scope="col">Uploaded</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            ${file.versions.map((v) => html`<tr data-version=${v.version}>
              <th scope="row">Version ${v.version}${v.version === file.currentVersion ? html` <span class="hint">(current)</span>` : nothing}</th>
              <td>${v.fileName}</td>
              <td class="num">${formatBytes(v.sizeBytes)}</td>
              <td>${v.uploadedBy.name}<br /><span class="hint"><time datetime=${v.uploadedAt}>${formatDateTime(v.uploadedAt)}</time></span></td>
              <td><button part="button" type="button" data-action="download-version" aria-label="Download version ${v.version} of ${file.name}" @click=${() => this.#download(file, v.version)}>Download</button></td>
            </tr>`)}
          </tbody>
        </table>
        <div>
          <h3>Upload a new version</h3>
          <ck-upload api=${this.api} action="/collab/files/${file.id}/versions" button-label="Choose the new version…"
            hint="The current version is kept and stays downloadable." @ck-upload-complete=${this.#onNewVersion}></ck-upload>
        </div>
        <div>
          <h3>Comments (${comments.length})</h3>
          ${comments.length
            ? html`<ol class="comments">${comments.map((c) => html`<li data-id=${c.id}><strong>${c.author.name}</strong> <span class="hint"><time datetime=${c.createdAt}>${formatDateTime(c.createdAt)}</time></span><br />${c.body}</li>`)}</ol>`
            : html`<p class="hint">No comments yet.</p>`}
          <form class="comment" @submit=${(e: SubmitEvent) => this.#comment(e, file.id)}>
            <label for="comment-body">Add a comment</label>
            <textarea id="comment-body" name="body" required maxlength="4000" aria-describedby="comment-problem"></textarea>
            <p class="error" part="error" id="comment-problem" role="alert">${this.commentProblem}</p>
            <button part="button" type="submit" class="primary" data-action="comment" ?disabled=${this.sending}>Add comment</button>
          </form>
        </div>
      </section>
    `;
  }

  override render() {
    const user = this.#portal.user;
    if (!user || !this.#userId) return html`<p class="hint">Sign in to use the Collaboration Center.</p>`;
    if (!user.permissions.includes('collab.use')) return html`<p class="hint">Your role does not include the Collaboration Center.</p>`;
    const tree = this.#tree.value;
    const problem = this.#tree.status === TaskStatus.ERROR ? this.#tree.error : this.#files.status === TaskStatus.ERROR ? this.#files.error : null;
    return html`
      <div part="base">
        <div class="top">
          <h2>Collaboration Center${tree ? html` — ${tree.client.name}` : nothing}</h2>
          ${!this.clientId && user.clients.length > 1
            ? html`<div class="field">
                <label for="client">Client</label>
                <select id="client" name="client" @change=${(e: Event) => { this.chosenClient = (e.target as HTMLSelectElement).value; this.#chooseFolder(''); }}>
                  ${user.clients.map((c) => html`<option value=${c.id} ?selected=${c.id === this.#client}>${c.name}</option>`)}
                </select>
              </div>`
            : nothing}
        </div>
        ${this.#renderNav(tree)}
        <div class="main">
          ${problem ? html`<p class="alert" part="error" role="alert">${toProblem(problem).detail}</p>` : nothing}
          <p class="alert" part="error" role="alert">${this.problem}</p>
          ${this.#renderFiles(this.#files.value, tree?.folders ?? [])}
          ${this.#renderDetail()}
        </div>
        <p class="visually-hidden" role="status">${this.message}</p>
      </div>
    `;
  }
}

CkCollabCenter.define('ck-collab-center');

declare global {
  interface HTMLElementTagNameMap {
    'ck-collab-center': CkCollabCenter;
  }
}
