/**
 * The step views only some sign-ins need, each in its own chunk (so the sign-in form's first paint
 * stays small): the signed-out help screens and the first-login onboarding. Imported the first time
 * a step needs them; until then, and after a failed load, `pending()` stands in.
 */
import { html, type ReactiveControllerHost } from 'lit';

const VIEWS = {
  recovery: () => import('./login-recovery.js'),
  onboarding: () => import('./login-onboarding.js'),
};
export type Views = { recovery: typeof import('./login-recovery.js'); onboarding: typeof import('./login-onboarding.js') };

export class LoginViews {
  readonly #host: ReactiveControllerHost;
  #loaded: Partial<Views> = {};
  #loads = new Map<keyof Views, Promise<void>>();
  #failed = false;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
  }

  /** Imports the views of `which` (once; again after a failure); resolves once the host rendered them. */
  load(which: keyof Views): Promise<void> {
    let loading = this.#loads.get(which);
    if (!loading) {
      this.#failed = false;
      loading = VIEWS[which]().then(
        async (m) => {
          this.#loaded = { ...this.#loaded, [which]: m };
          this.#host.requestUpdate();
          await this.#host.updateComplete;
        },
        () => {
          this.#loads.delete(which);
          this.#failed = true;
          this.#host.requestUpdate();
        },
      );
      this.#loads.set(which, loading);
    }
    return loading;
  }

  /** The module of `which`, or null while it loads. */
  get<K extends keyof Views>(which: K): Views[K] | null {
    const loaded = this.#loaded[which];
    if (!loaded) void this.load(which);
    return loaded ?? null;
  }

  /** What shows while a view loads, or when it could not be loaded. */
  pending() {
    return this.#failed
      ? html`<p class="alert" role="alert">This step could not be loaded. Check your connection.</p>
          <button part="button" type="button" @click=${() => this.#host.requestUpdate()}>Try again</button>`
      : html`<p class="hint" role="status">Loading…</p>`;
  }
}
