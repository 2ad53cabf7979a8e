import { html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { placementFormStyles } from '../new-account/new-account.styles.js';
import type { BatchMappingStep } from '../../api/placements/batches.schema.js';
import { chosenColumns, MappingDraft, type Mapping } from './mapping-draft.js';
import { renderUploadStep, uploadSpreadsheet, type Uploaded } from './bulk-upload-step.js';
import { renderMappingStep } from './bulk-mapping-step.js';
import { RUNNING, renderRunStep, statusText, type BatchT } from './bulk-run-step.js';
import { bulkPlacementStyles } from './bulk-placement.styles.js';
import { DiscardDialog, discardDialogStyles, type DiscardTarget } from './discard-dialog.js';

type MappingStep = z.output<typeof BatchMappingStep>;

/** Detail of `ck-batch-change`: the batch on screen (`''` when back at the first step). */
export interface BatchChangeDetail {
  batchId: string;
}

/** Detail of `ck-batch-complete`. */
export interface BatchCompleteDetail {
  batchId: string;
  placed: number;
  invalid: number;
  duplicate: number;
}

/** not placed yet: the mapping step can be picked up again */
const OPEN = new Set(['uploaded', 'validated']);

/**
 * Bulk placement from a spreadsheet: choose or drop a CSV/XLSX file, check the column mapping
 * (suggested from the headers, remembered per client), optionally check the file first (a dry run),
 * then place the valid rows. Progress shows while the server works through the file; at the end
 * the counts and a downloadable error report (row number + reason) for the rows not placed.
 *
 * A run's progress survives a reload: `ck-batch-change` tells the host page the batch id (the
 * client portal puts it in the URL, `#/place/batches/plb_…`), and `batch-id` opens that batch again
 * and follows it. Progress is brought into view when a run starts and announced politely.
 *
 * So does an upload left at the mapping step: the mapping is saved on the server as it is edited,
 * and `batch-id` of a batch not started (from the URL, or "Continue" in `ck-my-placements`) opens
 * the mapping step again with the mapping last saved (else the suggested one). The heading of the
 * step opened takes focus.
 *
 * An upload not started (the mapping step, or a file only checked) can be discarded from here too,
 * after a confirmation in a dialog: the upload and its stored file are deleted, the element goes back
 * to its first step, says so politely and focuses that step's heading.
 *
 * @summary Place many accounts from a CSV or XLSX file.
 * @tag ck-bulk-placement
 *
 * @fires {CustomEvent<BatchCompleteDetail>} ck-batch-complete - A place run finished.
 * @fires {CustomEvent<BatchChangeDetail>} ck-batch-change - A file was uploaded or a run started (its batch id), or the element went back to the first step (`''`).
 *
 * @csspart base - The wrapper.
 * @csspart dropzone - The file chooser / drop area.
 * @csspart label - A label.
 * @csspart input - The file input and the mapping selects.
 * @csspart button - Every button.
 * @csspart mapping - The mapping table.
 * @csspart progress - The progress bar.
 * @csspart summary - The counts after a run.
 * @csspart error - A problem.
 * @csspart suggestion - How sure a suggested column is and the values it was based on.
 * @csspart review - A suggested column to check before placing (low confidence).
 * @csspart dialog - The confirmation before an upload is discarded.
 *
 * @cssprop --ck-color-primary - Drop area highlight while a file is dragged over.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkBulkPlacement extends CkElement {
  static override styles = [baseStyles, formStyles, placementFormStyles, bulkPlacementStyles, discardDialogStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** How often progress is polled while the file is processed, in milliseconds. */
  @property({ type: Number, attribute: 'poll-interval' }) pollInterval = 700;

  /** A batch to show and follow (`plb_…`), e.g. from the URL after a reload; `''` for the first step. */
  @property({ attribute: 'batch-id' }) batchId = '';

  @state() private uploaded: Uploaded | null = null;

  @state() private batch: BatchT | null = null;

  @state() private mapping: Mapping = {};

  @state() private problem = '';

  @state() private mappingErrors: Record<string, string> = {};

  /** fields whose column the person chose or confirmed (no longer highlighted) */
  @state() private reviewed = new Set<string>();

  @state() private busy = false;

  @state() private dragging = false;

  /** share of the file sent so far (0…1) while uploading */
  @state() private sent = 0;

  /** the polite live region's text: the run's milestones */
  @state() private announcement = '';

  /** loading the batch named by `batch-id` */
  @state() private opening = false;

  #portal = new PortalConnection(this);
  #draft = new MappingDraft(this);
  #discard = new DiscardDialog(this, {
    discard: async (batchId) => {
      await this.#draft.settled(); // a mapping save under way must not land on (or fail at) a deleted upload
      await this.#portal.client.request('DELETE', `/placements/batches/${batchId}`);
    },
    discarded: (target) => this.#afterDiscard(target),
  });
  /** after opening a batch: focus the heading of the step shown */
  #focusStep = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reveal = false;
  #announced = '';

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  /** Back to the first step. */
  reset(): void {
    clearTimeout(this.#timer);
    const had = this.batch?.id ?? '';
    this.uploaded = null;
    this.batch = null;
    this.mapping = {};
    this.problem = '';
    this.mappingErrors = {};
    this.reviewed = new Set();
    this.announcement = '';
    this.#announced = '';
    this.#draft.clear();
    if (had) this.emit<BatchChangeDetail>('ck-batch-change', { batchId: '' });
  }

  /** The upload is gone on the server: the first step, its heading focused, and a polite word of it. */
  #afterDiscard(target: DiscardTarget): void {
    this.reset();
    this.announcement = `${target.fileName} was discarded.`;
    this.#focusStep = true;
  }

  #askDiscard(event: Event): void {
    if (this.batch) void this.#discard.ask({ id: this.batch.id, fileName: this.batch.fileName }, event.currentTarget as HTMLElement);
  }

  /** Shows the batch `id` and follows its run while it works (after a reload, or from "My placements"). */
  async #open(id: string): Promise<void> {
    clearTimeout(this.#timer);
    this.opening = true;
    this.problem = '';
    try {
      const client = this.#portal.client;
      const batch = await client.get<BatchT>(`/placements/batches/${id}`);
      // not placed yet: the mapping step as it was left (the last saved mapping, else the suggestion)
      const step = OPEN.has(batch.status) ? await client.get<MappingStep>(`/placements/batches/${id}/mapping`) : null;
      if (this.batchId !== id) return; // another batch was asked for meanwhile
      this.#draft.clear();
      this.uploaded = step;
      this.batch = step ?? batch;
      this.mapping = { ...((step?.savedMapping ?? batch.mapping ?? step?.suggestedMapping ?? {}) as Mapping) };
      this.reviewed = new Set();
      this.mappingErrors = {};
      // picking up an unplaced upload: focus goes to its step (a run's reload keeps the page's own focus)
      this.#focusStep = Boolean(step);
      if (batch.status !== 'uploaded') this.#announce(batch);
      if (RUNNING.has(batch.status)) this.#poll();
    } catch (error) {
      this.problem = toProblem(error).detail;
    } finally {
      this.opening = false;
    }
  }

  override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!changed.has('batchId')) return;
    if (this.batchId && this.batchId !== this.batch?.id) void this.#open(this.batchId);
    else if (!this.batchId && this.batch && changed.get('batchId')) this.reset();
  }

  /** The live region says when a run starts, passes each quarter, and ends — not every poll. */
  #announce(b: BatchT): void {
    const total = b.rowsTotal ?? 0;
    const quarter = total ? Math.floor((b.rowsDone / total) * 4) : 0;
    const key = `${b.status}:${RUNNING.has(b.status) ? quarter : ''}`;
    if (key === this.#announced) return;
    this.#announced = key;
    this.announcement = `${b.fileName}: ${statusText(b)}`;
  }

  async #upload(file: File): Promise<void> {
    const clientId = (this.renderRoot.querySelector<HTMLSelectElement>('#client')?.value ?? '').trim();
    this.busy = true;
    this.problem = '';
    this.sent = 0;
    try {
      const uploaded = await uploadSpreadsheet(this.#portal.client, file, clientId, (share) => (this.sent = share));
      this.uploaded = uploaded;
      this.batch = uploaded;
      this.mapping = { ...(uploaded.suggestedMapping as Mapping) };
      this.reviewed = new Set();
      this.#draft.clear();
      // the host page keeps the id (the client portal: in the URL), so a reload comes back to this step
      this.emit<BatchChangeDetail>('ck-batch-change', { batchId: uploaded.id });
    } catch (error) {
      this.problem = toProblem(error).detail;
    } finally {
      this.busy = false;
    }
  }

  async #start(mode: 'validate' | 'place'): Promise<void> {
    if (!this.batch) return;
    this.busy = true;
    this.problem = '';
    this.mappingErrors = {};
    try {
      await this.#draft.settled(); // a save still under way must not land after the start
      this.batch = await this.#portal.client.request<BatchT>('POST', `/placements/batches/${this.batch.id}/start`, {
        body: { mapping: chosenColumns(this.mapping), mode },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      this.#reveal = true;
      this.#announce(this.batch);
      this.emit<BatchChangeDetail>('ck-batch-change', { batchId: this.batch.id });
      this.#poll();
    } catch (error) {
      const problem = toProblem(error);
      this.problem = problem.detail;
      this.mappingErrors = Object.fromEntries((problem.errors ?? []).map((e) => [e.path.replace(/^mapping\./, ''), e.message]));
    } finally {
      this.busy = false;
    }
  }

  async #resume(): Promise<void> {
    if (!this.batch) return;
    this.busy = true;
    this.problem = '';
    try {
      this.batch = await this.#portal.client.request<BatchT>('POST', `/placements/batches/${this.batch.id}/resume`, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
      this.#announce(this.batch);
      this.#poll();
    } catch (error) {
      this.problem = toProblem(error).detail;
    } finally {
      this.busy = false;
    }
  }

  #poll(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      if (!this.batch || !this.isConnected) return;
      try {
        this.batch = await this.#portal.client.get<BatchT>(`/placements/batches/${this.batch.id}`);
      } catch (error) {
        this.problem = toProblem(error).detail;
        return;
      }
      this.#announce(this.batch);
      if (RUNNING.has(this.batch.status)) this.#poll();
      else if (this.batch.status === 'completed') {
        this.emit<BatchCompleteDetail>('ck-batch-complete', { batchId: this.batch.id, placed: this.batch.rowsPlaced, invalid: this.batch.rowsInvalid, duplicate: this.batch.rowsDuplicate });
      }
    }, this.pollInterval);
  }

  async #downloadReport(): Promise<void> {
    if (!this.batch) return;
    try {
      const { blob } = await this.#portal.client.download('GET', `/placements/batches/${this.batch.id}/errors.csv`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${this.batch.fileName.replace(/\.[^.]*$/, '')}-errors.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.problem = toProblem(error).detail;
    }
  }

  /** A column chosen for a field: shown at once, and saved so the upload can be continued later. */
  #choose(field: string, column: string): void {
    this.mapping = { ...this.mapping, [field]: column };
    this.reviewed = new Set([...this.reviewed, field]);
    if (this.batch) void this.#draft.save(this.#portal.client, this.batch.id, this.mapping);
  }

  override render() {
    const user = this.#portal.user;
    if (!user || user.onboarding.required) return html`<p class="hint">Sign in to place accounts.</p>`;
    const b = this.batch;
    const view = this.opening
      ? html`<p class="hint">Loading the spreadsheet…</p>`
      : b && b.status !== 'uploaded' ? renderRunStep(b, { busy: this.busy, canChangeMapping: Boolean(this.uploaded) }, {
          onReport: () => void this.#downloadReport(), onPlace: () => void this.#start('place'), onChangeMapping: () => (this.batch = { ...b, status: 'uploaded' }),
          onDiscard: (e) => this.#askDiscard(e), onResume: () => void this.#resume(), onAnother: () => this.reset(),
        }) : this.uploaded ? renderMappingStep(this.uploaded,
          { mapping: this.mapping, errors: this.mappingErrors, reviewed: this.reviewed, busy: this.busy, draft: this.#draft },
          { onChoose: (field, column) => this.#choose(field, column), onStart: (mode) => void this.#start(mode), onAnother: () => this.reset(), onDiscard: (e) => this.#askDiscard(e) },
        ) : renderUploadStep(
          { clients: this.#portal.user?.clients ?? [], busy: this.busy, sent: this.sent, dragging: this.dragging },
          { onFile: (file) => void this.#upload(file), onDragging: (over) => (this.dragging = over) },
        );
    return html`
      <div part="base">
        ${view}
        <p class="visually-hidden" role="status" aria-live="polite" data-field="announcement">${this.announcement}</p>
        ${this.#discard.render()}
        <div class="alert" part="error" role="alert">${this.problem}</div>
      </div>
    `;
  }

  override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.#focusStep && !this.opening) {
      // an upload picked up again (a reload, "Continue"), or one discarded: the step now shown is where focus belongs
      this.#focusStep = false;
      const heading = this.renderRoot.querySelector<HTMLElement>('#upload-title, #map-title, #run-title');
      heading?.scrollIntoView({ block: 'nearest' });
      heading?.focus({ preventScroll: true });
    }
    if (!this.#reveal) return;
    this.#reveal = false;
    // The run replaces the long mapping table: bring its heading (and progress) into view and focus.
    const heading = this.renderRoot.querySelector<HTMLElement>('#run-title');
    heading?.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    heading?.focus({ preventScroll: true });
  }
}

CkBulkPlacement.define('ck-bulk-placement');

declare global {
  interface HTMLElementTagNameMap {
    'ck-bulk-placement': CkBulkPlacement;
  }
  interface GlobalEventHandlersEventMap {
    'ck-batch-complete': CustomEvent<BatchCompleteDetail>;
    'ck-batch-change': CustomEvent<BatchChangeDetail>;
  }
}
