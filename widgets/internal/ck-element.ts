/**
 * The one base class of every CollectKit element: `emit()` for our bubbling, composed events and a
 * `define()` that is harmless when the bundle is loaded twice on a page (the first wins).
 */
import { LitElement } from 'lit';

export interface EmitOptions {
  /** let the host page veto the action with `preventDefault()` */
  cancelable?: boolean;
}

export class CkElement extends LitElement {
  /**
   * Registers the element under `tag` unless that name is already taken — by this bundle loaded a
   * second time, or by another version. A constructor already registered under another name is
   * registered again through an empty subclass (a constructor may back only one name).
   */
  static define(tag: string): void {
    if (customElements.get(tag)) return;
    try {
      customElements.define(tag, this);
    } catch {
      customElements.define(tag, class extends this {});
    }
  }

  /** Dispatches `name` (bubbles, composed) with `detail`; returns the event to read `defaultPrevented`. */
  emit<T>(name: string, detail: T, options: EmitOptions = {}): CustomEvent<T> {
    const event = new CustomEvent<T>(name, { bubbles: true, composed: true, cancelable: Boolean(options.cancelable), detail });
    this.dispatchEvent(event);
    return event;
  }
}
