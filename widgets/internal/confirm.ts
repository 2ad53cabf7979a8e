/**
 * A confirmation before a destructive action, as a modal `<dialog>` inside the element: the host
 * renders `confirm.render()` once and awaits `confirm.ask({...})`, which resolves with the reason
 * typed (or '' without a reason field) when confirmed and null when cancelled (button or Escape).
 * The dialog is modal, so focus stays inside it and returns to the button that opened it.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';

export interface ConfirmOptions {
  title: string;
  body: string;
  confirmLabel: string;
  /** ask for a reason (optional text) with this label */
  reasonLabel?: string;
}

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export class ConfirmController implements ReactiveController {
  #host: Host;
  #options: ConfirmOptions | null = null;
  #resolve: ((value: string | null) => void) | null = null;

  constructor(host: Host) {
    this.#host = host;
    host.addController(this);
  }

  hostConnected(): void {}

  get #dialog(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector<HTMLDialogElement>('dialog.confirm');
  }

  async ask(options: ConfirmOptions): Promise<string | null> {
    this.#resolve?.(null);
    this.#options = options;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    const dialog = this.#dialog;
    if (!dialog) return null;
    const reason = dialog.querySelector<HTMLInputElement>('input');
    if (reason) reason.value = '';
    dialog.showModal();
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  #finish(value: string | null): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.#dialog?.close();
    resolve?.(value);
  }

  #onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    this.#finish(this.#dialog?.querySelector<HTMLInputElement>('input')?.value.trim() ?? '');
  };

  render() {
    const o = this.#options;
    return html`<dialog class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-body" @cancel=${() => this.#finish(null)}>
      ${o
        ? html`<form @submit=${this.#onSubmit}>
            <h2 id="confirm-title">${o.title}</h2>
            <p id="confirm-body">${o.body}</p>
            ${o.reasonLabel
              ? html`<div class="field"><label for="confirm-reason">${o.reasonLabel}</label><input id="confirm-reason" name="reason" maxlength="200" /></div>`
              : nothing}
            <div class="actions">
              <button type="button" data-action="confirm-cancel" @click=${() => this.#finish(null)}>Keep it</button>
              <button type="submit" class="primary" data-action="confirm">${o.confirmLabel}</button>
            </div>
          </form>`
        : nothing}
    </dialog>`;
  }
}
