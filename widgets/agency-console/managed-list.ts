/**
 * The data half of a console element (console-kit.ts holds view pieces): what the element shows,
 * read once the signed-in user holds its permission and again whenever `args` change, and the
 * changes made to it — each optionally confirmed first, busy under a key while its request is out
 * (a second start of the same key is ignored: a double click sends one request), its problem shown
 * in the element's alert line, its outcome announced in the status line, and the list read again.
 *
 * Shaped like @lit/task's Task (one per thing loaded, options named for their job). It is a
 * controller made of controllers — PortalConnection, ConfirmController and the Task, each added to
 * the host — and has no lifecycle of its own, so it does not add itself (Lit's docs compose
 * controllers this way).
 *
 *   #keys = new ManagedList(this, { permission: 'integration.manage', load: (client, signal) => … });
 *   render() { return html`… ${this.#keys.render('Loading API keys…', (keys) => …)}`; }
 *   void this.#keys.change(key.id, (client) => client.request('DELETE', …), { confirm: {…}, done: () => 'Revoked.' });
 */
import { html, type TemplateResult } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import { Task, TaskStatus } from '@lit/task';
import type { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type ApiClient } from '../internal/api-client.js';
import { ConfirmController, type ConfirmOptions } from '../internal/confirm.js';

type Host = CkElement & { api?: string };

export interface ManagedListOptions<T, A extends readonly unknown[]> {
  /** What the user must hold for the element to load anything (none: anyone signed in). */
  permission?: string;
  /** The other inputs of `load` (filter, page…); the list is read again when one of them changes. */
  args?: () => A;
  /** Reads what the element shows (null: nothing to show yet). */
  load: (client: ApiClient, signal: AbortSignal, args: A) => Promise<T | null>;
}

export interface ChangeOptions<R> {
  /** Ask first; the change is dropped when the person keeps the thing. */
  confirm?: ConfirmOptions;
  /** After success, before the list is read again: the sentence to announce (with the reason typed in the confirmation). */
  done?: (result: R, reason: string) => string | void;
  /** After a failure, once the problem is shown (to point it at a field of the host's own). */
  failed?: (error: unknown) => void;
}

export class ManagedList<T, A extends readonly unknown[] = []> {
  /** The API client and the signed-in user. */
  readonly portal: PortalConnection;
  /** The load itself, for an element that renders its states its own way. */
  readonly task: Task<readonly unknown[], T | null>;

  readonly #host: Host;
  readonly #permission: string | undefined;
  readonly #confirm: ConfirmController;
  readonly #running = new Set<string>();
  readonly #region = createRef<HTMLElement>();
  #error = '';
  #fieldErrors: Record<string, string> = {};
  #message = '';

  constructor(host: Host, options: ManagedListOptions<T, A>) {
    this.#host = host;
    this.#permission = options.permission;
    // The portal's context consumers go first, so the client and session are there when the task first reads its args.
    this.portal = new PortalConnection(host);
    this.#confirm = new ConfirmController(host);
    this.task = new Task(host, {
      task: async ([client, allowed, ...args], { signal }) => (allowed ? options.load(client as ApiClient, signal, args as unknown as A) : null),
      args: () => [this.portal.client, this.allowed, ...(options.args?.() ?? [])],
    });
  }

  /** Whether the signed-in user holds the permission. */
  get allowed(): boolean {
    return !this.#permission || Boolean(this.portal.user?.permissions.includes(this.#permission));
  }

  /** The problem of the last change, for the element's `role=alert` line. */
  get error(): string {
    return this.#error;
  }
  set error(value: string) {
    this.#error = value;
    this.#host.requestUpdate();
  }

  /** The problems of the last change by field name, each shown by its field. */
  get fieldErrors(): Record<string, string> {
    return this.#fieldErrors;
  }
  set fieldErrors(value: Record<string, string>) {
    this.#fieldErrors = value;
    this.#host.requestUpdate();
  }

  /** The outcome of the last change, for the element's `role=status` line. */
  get message(): string {
    return this.#message;
  }
  set message(value: string) {
    this.#message = value;
    this.#host.requestUpdate();
  }

  /** Whether the change started under `key` is still out (without a key: any change). */
  busy(key?: string): boolean {
    return key === undefined ? this.#running.size > 0 : this.#running.has(key);
  }

  /** A form the host checked and will not send: the summary in the alert line, the rest by the fields. */
  invalid(summary: string, fieldErrors: Record<string, string>): void {
    this.#message = '';
    this.#error = summary;
    this.fieldErrors = fieldErrors;
  }

  /** Reads the list again (the one shown stays until the new one is there). */
  reload(): Promise<void> {
    return this.task.run();
  }

  /**
   * Sends a change under `key` (a row's id, or the form's name): confirmed first when asked, busy
   * while out, then announced and followed by a reload. Resolves true when it was made; false when
   * it was already running, kept, or refused (the problem is then shown).
   */
  async change<R>(key: string, send: (client: ApiClient, reason: string) => Promise<R>, options: ChangeOptions<R> = {}): Promise<boolean> {
    if (this.#running.has(key)) return false;
    const trigger = this.#focused();
    let reason = '';
    if (options.confirm) {
      const answer = await this.#confirm.ask(options.confirm);
      if (answer === null || this.#running.has(key)) return false;
      reason = answer;
    }
    this.#running.add(key);
    this.#message = '';
    this.#fieldErrors = {};
    this.error = '';
    let result: R;
    try {
      result = await send(this.portal.client, reason);
    } catch (error) {
      this.#error = toProblem(error).detail;
      this.fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      options.failed?.(error);
      return false;
    } finally {
      this.#running.delete(key);
      this.#host.requestUpdate();
    }
    this.message = options.done?.(result, reason) ?? '';
    void this.reload().then(() => this.#keepFocus(trigger));
    return true;
  }

  /** The loaded list inside an `aria-busy` region (the last one while it reloads, a loading line the first time, the problem with Try again), and the confirmation dialog. */
  render(loading: string, view: (value: T | null) => unknown): TemplateResult {
    const task = this.task;
    return html`<div ${ref(this.#region)} aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
        ${task.render({
          pending: () => (task.value ? view(task.value) : html`<p class="hint" role="status">${loading}</p>`),
          error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail} <button type="button" @click=${() => void this.reload()}>Try again</button></p>`,
          complete: (value) => view(value),
        })}
      </div>
      ${this.#confirm.render()}`;
  }

  #focused(): HTMLElement | null {
    return (this.#host.shadowRoot?.activeElement as HTMLElement | null) ?? null;
  }

  /**
   * After the reload: when the change took away (or disabled) the button that started it, focus would
   * fall to the page — a keyboard or screen reader user would start again from the top. It goes back
   * to that button if it is still usable, else to the list (or its empty line).
   */
  async #keepFocus(trigger: HTMLElement | null): Promise<void> {
    await this.#host.updateComplete;
    // focus inside any shadow root shows here as its outermost host; lost focus shows as the body
    const active = document.activeElement;
    if (!trigger || (active && active !== document.body)) return;
    if (trigger.isConnected && !trigger.matches(':disabled')) {
      trigger.focus();
      return;
    }
    const region = this.#region.value;
    const target = region?.querySelector<HTMLElement>('[role=region], [data-field=empty]') ?? region;
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
  }
}
