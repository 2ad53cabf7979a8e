/**
 * Bulk placement's first step: choose a spreadsheet (or drop it on the area) for one of the user's
 * clients, and send it with the share sent so far. It renders from the element's state and calls back
 * into the element; it keeps no state. What the upload answers (columns, suggested mapping) is the
 * element's to keep.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { z } from 'zod';
import type { ApiClient } from '../internal/api-client.js';
import type { BatchUploaded } from '../../api/placements/batches.schema.js';

export type Uploaded = z.output<typeof BatchUploaded>;

/** Sends `file` for `clientId` ('' when the user has one client: the server knows it). */
export function uploadSpreadsheet(client: ApiClient, file: File, clientId: string, onProgress: (share: number) => void): Promise<Uploaded> {
  const form = new FormData();
  if (clientId) form.append('clientId', clientId);
  form.append('file', file, file.name);
  return client.upload<Uploaded>('/placements/batches', form, {
    onProgress: (loaded, total) => onProgress(total ? loaded / total : 0),
  });
}

export interface UploadState {
  clients: readonly { id: string; name: string }[];
  /** an upload under way */
  busy: boolean;
  /** share of the file sent so far (0…1) */
  sent: number;
  /** a file is dragged over the drop area */
  dragging: boolean;
}

export interface UploadHandlers {
  /** a file was chosen or dropped */
  onFile(file: File): void;
  onDragging(over: boolean): void;
}

export function renderUploadStep(s: UploadState, on: UploadHandlers): TemplateResult {
  const onChange = (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) on.onFile(file);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    on.onDragging(false);
    const file = event.dataTransfer?.files[0];
    if (file) on.onFile(file);
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    on.onDragging(true);
  };
  return html`
    <h3 id="upload-title" tabindex="-1">Choose your file</h3>
    ${s.clients.length > 1
      ? html`<div class="field"><label part="label" for="client">Placed for</label>
          <select part="input" id="client">${s.clients.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select></div>`
      : nothing}
    <div class="drop" part="dropzone" ?data-over=${s.dragging} @dragover=${onDragOver} @dragleave=${() => on.onDragging(false)} @drop=${onDrop}>
      <label part="label" for="file">Choose a spreadsheet (CSV or XLSX) or drop it here</label>
      <p class="hint" id="file-hint">The first row must name the columns. Nothing is placed until you confirm the mapping.</p>
      <input part="input" id="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-describedby="file-hint" ?disabled=${s.busy} @change=${onChange} />
      ${s.busy
        ? html`<progress part="progress" max="100" .value=${Math.round(s.sent * 100)} aria-label="Upload"></progress>
            <p role="status">Uploading… ${Math.round(s.sent * 100)}%</p>`
        : nothing}
    </div>
  `;
}
