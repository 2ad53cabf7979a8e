/**
 * "Discard this spreadsheet" inside bulk placement, for an upload not started (the mapping step, or
 * a file only checked): a modal dialog asks first, as ck-my-placements' Discard does — focus moves
 * to "Keep it", Escape or "Keep it" closes it and gives focus back to the button that opened it.
 * Confirmed, the host's `discard` deletes the upload; only when that succeeded does `discarded` run
 * (the host goes back to its first step). A refusal — started meanwhile (409), already gone (404),
 * no connection — is said inside the dialog, and nothing on the host's screen changes.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { toProblem } from '../internal/api-client.js';

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export interface DiscardTarget {
  id: string;
  fileName: string;
}

export interface DiscardCallbacks {
  /** deletes the upload; throws what the API answered when it is refused */
  discard(batchId: string): Promise<void>;
  /** the upload is gone: the host shows its first step */
  discarded(target: DiscardTarget): void;
}

export const discardDialogStyles = css`
  dialog { max-width: min(28rem, calc(100vw - 2rem)); box-sizing: border-box; border: 1px solid var(--ck-color-border, #8c959f); border-radius: var(--ck-radius, 6px); padding: var(--ck-space-4, 1rem); }
  dialog h3 { margin: 0 0 var(--ck-space-2, 0.5rem); font-size: var(--ck-font-size-h3, 1.05rem); overflow-wrap: anywhere; }
  dialog .actions { justify-content: flex-end; }
  button.danger { color: var(--ck-color-danger, #b42318); border-color: currentColor; }
`;

export class DiscardDialog implements ReactiveController {
  /** the upload waiting for its discard to be confirmed */
  #target: DiscardTarget | null = null;
  /** the DELETE is under way */
  #busy = false;
  /** why the last confirmation was refused */
  #problem = '';
  /** the button that opened the dialog: focus goes back to it when the dialog closes without a discard */
  #opener: HTMLElement | null = null;
  #gone = false;

  constructor(private readonly host: Host, private readonly on: DiscardCallbacks) {
    host.addController(this);
  }

  hostConnected(): void {}

  get #dialog(): HTMLDialogElement | null {
    return this.host.renderRoot.querySelector<HTMLDialogElement>('dialog[data-dialog=discard]');
  }

  /** Opens the confirmation for `target`; `opener` takes focus again if it is cancelled. */
  async ask(target: DiscardTarget, opener: HTMLElement | null): Promise<void> {
    this.#target = target;
    this.#problem = '';
    this.#gone = false;
    this.#opener = opener;
    this.host.requestUpdate();
    await this.host.updateComplete;
    const dialog = this.#dialog;
    if (dialog && !dialog.open) dialog.showModal();
  }

  async #confirm(): Promise<void> {
    const target = this.#target;
    if (!target || this.#busy) return; // a second press while the first is answered does nothing
    this.#busy = true;
    this.#problem = '';
    this.host.requestUpdate();
    try {
      await this.on.discard(target.id);
      this.#gone = true;
      this.#dialog?.close();
      this.on.discarded(target);
    } catch (error) {
      const problem = toProblem(error);
      // a 404: gone already (discarded in another tab, or expired); the API's "not found" alone would puzzle
      this.#problem = problem.status === 404
        ? 'This upload is no longer there: it may have been discarded already, for example in another tab. Choose another file to go on.'
        : `Nothing was discarded. ${problem.detail}`;
    } finally {
      this.#busy = false;
      this.host.requestUpdate();
    }
  }

  #onClose = (): void => {
    const opener = this.#opener;
    this.#opener = null;
    this.#target = null;
    this.#problem = '';
    this.host.requestUpdate();
    // after a discard the opener's step is gone: the host focuses its first step instead
    if (!this.#gone && opener?.isConnected) opener.focus();
  };

  render() {
    const t = this.#target;
    return html`<dialog part="dialog" data-dialog="discard" aria-labelledby="discard-title" aria-describedby="discard-text"
      @cancel=${(e: Event) => { if (this.#busy) e.preventDefault(); }} @close=${this.#onClose}>
      ${t ? html`
        <h3 id="discard-title">Discard ${t.fileName}?</h3>
        <p id="discard-text">The uploaded file and its column mapping are deleted. Nothing of it was placed. To place it later, upload the file again.</p>
        <p class="alert" part="error" role="alert" data-field="discard-problem">${this.#problem}</p>
        <div class="actions">
          <button part="button" type="button" data-action="cancel-discard" autofocus @click=${() => this.#dialog?.close()}>Keep it</button>
          <button class="danger" part="button" type="button" data-action="confirm-discard" aria-busy=${this.#busy ? 'true' : 'false'}
            @click=${() => this.#confirm()}>${this.#busy ? 'Discarding…' : 'Discard the spreadsheet'}</button>
        </div>` : nothing}
    </dialog>`;
  }
}
