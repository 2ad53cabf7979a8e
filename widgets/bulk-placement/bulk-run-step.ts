/**
 * Bulk placement's run: the progress while the server works through the file, then its outcome — the
 * counts, the error report to download, and what can be done next (place after a dry run, change the
 * mapping, discard the upload, continue a failed run, place another file). It renders from the
 * element's state and calls back into the element; it keeps no state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { z } from 'zod';
import { formatCount } from '../internal/format.js';
import type { Batch } from '../../api/placements/batches.schema.js';

export type BatchT = z.output<typeof Batch>;

export const RUNNING = new Set(['queued', 'running']);

export interface RunState {
  busy: boolean;
  /** the mapping step is at hand (a dry run of this upload): it can be changed */
  canChangeMapping: boolean;
}

export interface RunHandlers {
  onReport(): void;
  /** place the rows a dry run found valid */
  onPlace(): void;
  onChangeMapping(): void;
  /** "Discard this spreadsheet" after a dry run: asks first, then deletes the upload */
  onDiscard(event: Event): void;
  /** continue a failed run from where it stopped */
  onResume(): void;
  onAnother(): void;
}

/** What the run has come to, in words (the outcome line and the live region). */
export function statusText(b: BatchT): string {
  const notPlaced = b.rowsInvalid + b.rowsDuplicate;
  if (RUNNING.has(b.status)) {
    const verb = b.mode === 'validate' ? 'Checking' : 'Placing';
    return b.rowsTotal ? `${verb}: ${formatCount(b.rowsDone)} of ${formatCount(b.rowsTotal)} rows` : `${verb}: counting rows…`;
  }
  if (b.status === 'completed') return `${formatCount(b.rowsPlaced)} accounts placed; they wait for the agency's review.`;
  if (b.status === 'validated') return `${formatCount(b.rowsPlaced)} rows can be placed; ${formatCount(notPlaced)} cannot.`;
  return b.failure ?? `The batch is ${b.status.replace('_', ' ')}.`;
}

function renderCounts(b: BatchT): TemplateResult {
  const placedLabel = b.mode === 'validate' ? 'Ready to place' : 'Placed';
  return html`
    <dl class="counts" part="summary">
      <div><dt>${placedLabel}</dt><dd data-count="placed">${formatCount(b.rowsPlaced)}</dd></div>
      <div><dt>With errors</dt><dd data-count="invalid">${formatCount(b.rowsInvalid)}</dd></div>
      <div><dt>Duplicates</dt><dd data-count="duplicate">${formatCount(b.rowsDuplicate)}</dd></div>
    </dl>
  `;
}

export function renderRunStep(b: BatchT, st: RunState, on: RunHandlers): TemplateResult {
  const running = RUNNING.has(b.status);
  const total = b.rowsTotal ?? 0;
  const notPlaced = b.rowsInvalid + b.rowsDuplicate;
  return html`
    <section aria-labelledby="run-title" part="run">
      <h3 id="run-title" tabindex="-1">${running ? (b.mode === 'validate' ? 'Checking the file…' : 'Placing accounts…') : b.status === 'validated' ? 'File checked' : b.status === 'completed' ? 'Done' : 'Stopped'}</h3>
      ${running
        ? html`<progress part="progress" max=${total || 1} .value=${b.rowsDone} aria-label="Rows processed"></progress>
            <p data-field="progress">${total ? `${formatCount(b.rowsDone)} of ${formatCount(total)} rows` : 'Counting rows…'}</p>`
        : html`<p data-field="outcome">${statusText(b)}</p>`}
      <p class="hint">${b.fileName} · ${b.client.name}</p>
      ${renderCounts(b)}
      ${!running && notPlaced > 0
        ? html`<p><button part="button" type="button" data-action="report" @click=${on.onReport}>Download the error report (${formatCount(notPlaced)} rows)</button></p>`
        : nothing}
      ${!running && b.status === 'validated'
        ? html`<div class="actions">
            <button class="primary" part="button" type="button" data-action="place" ?disabled=${st.busy || b.rowsPlaced === 0} @click=${on.onPlace}>Place ${formatCount(b.rowsPlaced)} accounts</button>
            ${st.canChangeMapping ? html`<button part="button" type="button" @click=${on.onChangeMapping}>Change the mapping</button>` : nothing}
            <button part="button" type="button" data-action="discard" @click=${on.onDiscard}>Discard this spreadsheet</button>
          </div>`
        : nothing}
      ${!running && b.status === 'failed'
        ? html`<div class="actions"><button class="primary" part="button" type="button" data-action="resume" ?disabled=${st.busy} @click=${on.onResume}>Continue from where it stopped</button></div>`
        : nothing}
      ${!running && b.status !== 'validated' ? html`<div class="actions"><button part="button" type="button" data-action="another" @click=${on.onAnother}>Place another file</button></div>` : nothing}
    </section>
  `;
}
