import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type Account } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { ACCOUNT_ACTIONS, type AccountAction, type Field } from './account-actions.js';
import { accountFunctionsStyles } from './account-functions.styles.js';

export interface AccountChangedDetail {
  accountId: string;
  action: string;
  result: unknown;
}

// randomUUID needs a secure context (https or localhost); elsewhere a random string does.
const newKey = () => (typeof globalThis.crypto?.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/**
 * The "Account functions" menu of one account and a dialog for each function: report a direct
 * payment, post an adjustment, add a note, contact the agency, hold, release, recall, change the
 * status, update contact details. Only the functions the signed-in user may use, and that make
 * sense in the account's current status, are listed. Each dialog validates in place (the server's
 * field errors appear under their fields), asks for confirmation where an action cannot be undone,
 * and sends its request once (an `Idempotency-Key` per dialog), so a double click or a retry after
 * a network failure never reports a payment twice.
 *
 * @summary The account functions menu and dialogs.
 * @tag ck-account-functions
 *
 * @fires ck-account-changed - After a function succeeded; detail `{ accountId, action, result }`.
 *
 * @csspart trigger - The "Account functions" button.
 * @csspart menu - The list of functions.
 * @csspart dialog - The dialog of a function.
 * @csspart button - Every button.
 * @csspart error - A problem shown in the dialog.
 * @csspart status - The confirmation after a function succeeded.
 *
 * @cssprop --ck-color-primary - The submit button.
 * @cssprop --ck-color-surface - Menu and dialog background.
 */
export class CkAccountFunctions extends CkElement {
  static override styles = [baseStyles, formStyles, accountFunctionsStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The account to act on, as `GET accounts/{id}` returns it. */
  @property({ attribute: false }) account: Account | null = null;

  @state() private menuOpen = false;
  @state() private action: AccountAction | null = null;
  @state() private values: Record<string, string> = {};
  @state() private errors: Record<string, string> = {};
  @state() private problem = '';
  @state() private busy = false;
  @state() private message = '';

  #portal = new PortalConnection(this);
  #idempotencyKey = '';

  get #available(): AccountAction[] {
    const user = this.#portal.user;
    const account = this.account;
    if (!user || !account) return [];
    return ACCOUNT_ACTIONS.filter((a) => user.permissions.includes(a.permission) && a.available(account, user));
  }

  #toggleMenu = () => {
    this.menuOpen = !this.menuOpen;
    if (this.menuOpen) {
      void this.updateComplete.then(() => {
        this.#placeMenu();
        this.#menuItems()[0]?.focus();
      });
    }
  };

  /**
   * Keeps the open menu inside the viewport at any size and zoom: fixed to the trigger (so no
   * ancestor's overflow clips it), below it or flipped above when there is more room there, shifted
   * left or right to stay on screen, and scrolling inside itself when even that is too short.
   */
  #placeMenu = () => {
    const menu = this.renderRoot.querySelector<HTMLElement>('[part~=menu]');
    const trigger = this.renderRoot.querySelector<HTMLElement>('[part~=trigger]');
    if (!menu || !trigger) return;
    const margin = 8;
    const t = trigger.getBoundingClientRect();
    const width = Math.min(menu.offsetWidth, innerWidth - 2 * margin);
    const below = innerHeight - t.bottom - margin;
    const above = t.top - margin;
    const natural = menu.scrollHeight;
    const flip = natural > below && above > below;
    Object.assign(menu.style, {
      position: 'fixed',
      boxSizing: 'border-box',
      right: 'auto',
      margin: '0',
      left: `${Math.max(margin, Math.min(t.right - width, innerWidth - width - margin))}px`,
      top: flip ? 'auto' : `${t.bottom + 4}px`,
      bottom: flip ? `${innerHeight - t.top + 4}px` : 'auto',
      maxHeight: `${Math.max(120, (flip ? above : below) - 4)}px`,
      maxWidth: `${innerWidth - 2 * margin}px`,
      overflowY: 'auto',
    });
    menu.dataset.placement = flip ? 'top' : 'bottom';
  };

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('resize', this.#placeMenuIfOpen);
    addEventListener('scroll', this.#placeMenuIfOpen, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('resize', this.#placeMenuIfOpen);
    removeEventListener('scroll', this.#placeMenuIfOpen, true);
  }

  #placeMenuIfOpen = () => {
    if (this.menuOpen) this.#placeMenu();
  };

  #menuItems(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
  }

  #closeMenu(focusTrigger: boolean): void {
    this.menuOpen = false;
    if (focusTrigger) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~=trigger]')?.focus());
  }

  /** The ARIA menu pattern: arrows, Home and End move; Escape closes; Tab leaves. */
  #onMenuKeydown = (event: KeyboardEvent) => {
    const items = this.#menuItems();
    const index = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: items.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      items[(moves[event.key]! + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.#closeMenu(true);
    } else if (event.key === 'Tab') {
      this.menuOpen = false;
    }
  };

  /** Opens the dialog of one function (also callable by the host page: `open('payment')`). */
  open(actionId: string): void {
    const action = this.#available.find((a) => a.id === actionId);
    if (!action || !this.account || !this.#portal.user) return;
    this.menuOpen = false;
    this.action = action;
    this.values = Object.fromEntries(action.fields(this.account, this.#portal.user).map((f) => [f.name, f.value ?? f.options?.[0]?.[0] ?? '']));
    this.errors = {};
    this.problem = '';
    this.message = '';
    this.#idempotencyKey = newKey();
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector('dialog');
      if (dialog && !dialog.open) dialog.showModal();
      dialog?.querySelector<HTMLElement>('input, select, textarea')?.focus();
    });
  }

  #closeDialog = () => {
    this.renderRoot.querySelector('dialog')?.close();
    this.action = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~=trigger]')?.focus());
  };

  #onInput = (event: Event) => {
    const input = event.target as HTMLInputElement;
    const value = input.type === 'checkbox' ? (input.checked ? 'yes' : '') : input.value;
    this.values = { ...this.values, [input.name]: value };
    if (this.errors[input.name]) this.errors = { ...this.errors, [input.name]: '' };
  };

  #visibleFields(): Field[] {
    if (!this.action || !this.account || !this.#portal.user) return [];
    return this.action.fields(this.account, this.#portal.user).filter((f) => !f.showIf || f.showIf(this.values));
  }

  #onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const action = this.action;
    const account = this.account;
    if (!action || !account || this.busy) return;
    const missing: Record<string, string> = {};
    for (const f of this.#visibleFields()) {
      if (f.required && !this.values[f.name]?.trim()) missing[f.name] = f.kind === 'checkbox' ? 'Confirm to continue.' : `${f.label} is required.`;
    }
    const request = Object.keys(missing).length ? { errors: missing } : action.request(account, this.values);
    if ('errors' in request) {
      this.errors = request.errors;
      this.#focusFirstError();
      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const result = await this.#portal.client.request<Record<string, unknown>>('POST', request.path, {
        body: request.body, headers: { 'Idempotency-Key': this.#idempotencyKey },
      });
      const text = action.done(account, result);
      this.renderRoot.querySelector('dialog')?.close();
      this.action = null;
      this.message = text;
      this.emit<AccountChangedDetail>('ck-account-changed', { accountId: account.id, action: action.id, result });
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part~=trigger]')?.focus());
    } catch (error) {
      const fields = error instanceof ApiError ? error.fieldErrors() : {};
      const mapped: Record<string, string> = {};
      const names = new Set(this.#visibleFields().map((f) => f.name));
      for (const [k, v] of Object.entries(fields)) {
        const name = action.errorFields?.[k] ?? k;
        if (names.has(name)) mapped[name] = v;
      }
      this.errors = mapped;
      this.problem = Object.keys(mapped).length ? '' : toProblem(error).detail;
      // A refused request released its key on the server; a changed form needs a new one anyway.
      this.#idempotencyKey = newKey();
      this.#focusFirstError();
    } finally {
      this.busy = false;
    }
  };

  #focusFirstError(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('dialog [aria-invalid=true], dialog [part~=error]')?.focus());
  }

  #renderField(f: Field) {
    const id = `f-${f.name}`;
    const error = this.errors[f.name] ?? '';
    const described = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing;
    const value = this.values[f.name] ?? '';
    const control = f.kind === 'textarea'
      ? html`<textarea id=${id} name=${f.name} .value=${value} ?required=${f.required} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} maxlength="4000" @input=${this.#onInput}></textarea>`
      : f.kind === 'select'
        ? html`<select id=${id} name=${f.name} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} @change=${this.#onInput}>
            ${f.options!.map(([v, l]) => html`<option value=${v} ?selected=${v === value}>${l}</option>`)}
          </select>`
        : f.kind === 'checkbox'
          ? html`<input id=${id} name=${f.name} type="checkbox" .checked=${value === 'yes'} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} @change=${this.#onInput} />`
          : html`<input id=${id} name=${f.name} type=${f.kind === 'date' ? 'date' : 'text'} inputmode=${f.kind === 'money' ? 'decimal' : nothing}
              .value=${value} ?required=${f.required} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${described} @input=${this.#onInput} />`;
    return html`
      <div class="field ${f.kind === 'checkbox' ? 'check' : ''}" data-field=${f.name}>
        ${f.kind === 'checkbox' ? html`${control}<label for=${id}>${f.label}</label>` : html`<label for=${id}>${f.label}</label>${control}`}
        ${f.hint ? html`<span class="hint" id="${id}-hint">${f.hint}</span>` : nothing}
        <span class="error" id="${id}-error">${error}</span>
      </div>
    `;
  }

  #renderDialog() {
    const action = this.action;
    if (!action) return nothing;
    return html`
      <dialog part="dialog" aria-labelledby="dialog-title" @close=${() => (this.action = null)} @cancel=${this.#closeDialog}>
        <h2 id="dialog-title">${action.title}</h2>
        <form novalidate @submit=${this.#onSubmit} aria-busy=${this.busy ? 'true' : 'false'}>
          ${this.#visibleFields().map((f) => this.#renderField(f))}
          <p class="alert" part="error" role="alert" tabindex="-1">${this.problem}</p>
          <div class="actions">
            <button part="button" type="button" @click=${this.#closeDialog}>Cancel</button>
            <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : action.submitLabel}</button>
          </div>
        </form>
      </dialog>
    `;
  }

  override render() {
    const actions = this.#available;
    if (!actions.length) return nothing;
    return html`
      <button part="trigger button" type="button" aria-haspopup="menu" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="functions-menu" @click=${this.#toggleMenu}>
        Account functions
      </button>
      ${this.menuOpen
        ? html`<ul part="menu" id="functions-menu" role="menu" aria-label="Account functions" @keydown=${this.#onMenuKeydown}>
            ${actions.map((a) => html`<li role="none"><button role="menuitem" type="button" tabindex="-1" data-action=${a.id} @click=${() => this.open(a.id)}>${a.label}…</button></li>`)}
          </ul>`
        : nothing}
      <p class="done" part="status" role="status">${this.message}</p>
      ${this.#renderDialog()}
    `;
  }
}

CkAccountFunctions.define('ck-account-functions');

declare global {
  interface HTMLElementTagNameMap {
    'ck-account-functions': CkAccountFunctions;
  }
  interface GlobalEventHandlersEventMap {
    'ck-account-changed': CustomEvent<AccountChangedDetail>;
  }
}
