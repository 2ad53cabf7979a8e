/**
 * The pay form's side of the card/bank frame's postMessage protocol (see api/pay/pay-frame.ts): it
 * answers the frame's `ck-pay-frame-ready` with `ck-pay-init` (session token, kind, language), follows
 * its height, and hands the saved method to the form. Messages count only from the frame's window and
 * the API's origin; the init goes to that origin only.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PayMethod } from './pay-api.js';

export interface FrameInit {
  token: string | null;
  kind: 'card' | 'ach';
  lang: string;
  /** after a decline for the security code or the expiry: the kept card, and the one detail to type again */
  fix?: { methodId: string; field: 'cvc' | 'expiry'; label: string };
}

export class PayFrameChannel implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #apiRoot: () => string;
  readonly #init: () => FrameInit;
  readonly #onMethod: (method: PayMethod) => void;
  readonly #listener = (event: MessageEvent) => this.#message(event);

  constructor(host: ReactiveControllerHost & HTMLElement, apiRoot: () => string, init: () => FrameInit, onMethod: (method: PayMethod) => void) {
    this.#host = host;
    this.#apiRoot = apiRoot;
    this.#init = init;
    this.#onMethod = onMethod;
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('message', this.#listener);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.#listener);
  }

  get #origin(): string {
    return new URL(this.#apiRoot(), location.href).origin;
  }

  get #frame(): HTMLIFrameElement | null {
    return this.#host.shadowRoot?.querySelector('iframe') ?? null;
  }

  /** Send the frame its session, kind and language (again after a tab or language change). */
  init(): void {
    const frame = this.#frame;
    if (!frame?.contentWindow) return;
    frame.contentWindow.postMessage({ type: 'ck-pay-init', ...this.#init() }, this.#origin);
  }

  #message(event: MessageEvent): void {
    const frame = this.#frame;
    if (!frame || event.source !== frame.contentWindow) return;
    if (event.origin !== this.#origin) return;
    const data = event.data as { type?: string; height?: number; method?: PayMethod };
    if (data.type === 'ck-pay-frame-ready') this.init();
    else if (data.type === 'ck-pay-frame-height' && data.height) frame.style.height = `${Math.ceil(data.height) + 8}px`;
    else if (data.type === 'ck-pay-method' && data.method) this.#onMethod(data.method);
  }
}
