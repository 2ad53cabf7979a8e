import { css, html, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { CkElement } from '../internal/ck-element.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import '../pay-form/pay-form.js';
import { translate, type Lang } from '../pay-form/pay-i18n.js';
import type { CkPayForm } from '../pay-form/pay-form.js';

/**
 * A button for the agency's public pages: it opens the whole payment flow (`ck-pay-form`) in a modal
 * dialog — focus moves into it, Escape or the close button closes it and focus returns to the button.
 * On phones the dialog fills the screen. Beside an inline `ck-pay-form` (`for`, or the page's only
 * one), the dialog continues the debtor's session there: the account found stays found.
 *
 * @summary "Pay now" button that opens the payment flow in a dialog.
 * @tag ck-pay-button
 *
 * @slot - The button's label (default "Pay now" / "Pagar ahora").
 *
 * @fires {CustomEvent<PaymentDetail>} ck-payment-succeeded - Bubbles from the form inside.
 *
 * @csspart button - The button that opens the dialog.
 * @csspart dialog - The dialog.
 * @csspart close - The close button.
 * @csspart form - The `ck-pay-form` inside.
 *
 * @cssprop --ck-color-primary - Background of the button.
 */
export class CkPayButton extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      :host {
        display: inline-block;
      }
      dialog {
        border: 0;
        border-radius: var(--ck-radius-large, 10px);
        padding: 0;
        width: min(40rem, 100vw);
        max-height: 100dvh;
        box-shadow: 0 10px 40px rgb(0 0 0 / 0.3);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.45);
      }
      .bar {
        display: flex;
        justify-content: flex-end;
        padding: var(--ck-space-2, 0.5rem);
      }
      ck-pay-form::part(base) {
        border: 0;
      }
      @media (max-width: 40rem) {
        dialog {
          width: 100vw;
          height: 100dvh;
          max-width: 100vw;
          border-radius: 0;
          margin: 0;
        }
      }
    `,
  ];

  /** Base URL of the portal API (default: the script tag's `data-api`, else this page's origin). */
  @property() api = '';

  /** Language: `en` or `es`. */
  @property({ reflect: true }) override lang: Lang = 'en';

  /** A personalised payment link token to open the flow with. */
  @property() link = '';

  /** The id of an inline `ck-pay-form` on the page whose debtor session the dialog continues (default: the page's only one). */
  @property({ attribute: 'for' }) forForm = '';

  @query('dialog') private dialog!: HTMLDialogElement;

  /** The inline form on the page whose session the dialog continues, if any. */
  #inlineForm(): CkPayForm | null {
    const root = this.getRootNode() as Document | ShadowRoot;
    if (this.forForm) return root.querySelector<CkPayForm>(`ck-pay-form#${CSS.escape(this.forForm)}`);
    const forms = [...root.querySelectorAll('ck-pay-form')];
    return forms.length === 1 ? forms[0]! : null;
  }

  /** Opens the payment dialog. */
  open(): void {
    const inline = this.#inlineForm();
    const own = this.dialog.querySelector('ck-pay-form');
    if (inline && own && !this.link) own.continueFrom(inline);
    this.dialog.showModal();
    this.dialog.querySelector('ck-pay-form')?.shadowRoot?.querySelector<HTMLElement>('h2')?.focus();
  }

  /** Closes it. */
  close(): void {
    this.dialog.close();
  }

  override render(): TemplateResult {
    // the words of the shared catalogue (i18n/<lang>/pay-form.ts)
    const lang: Lang = this.lang === 'es' ? 'es' : 'en';
    return html`<button class="primary" part="button" type="button" aria-haspopup="dialog" @click=${() => this.open()}><slot>${translate(lang, 'payButtonOpen')}</slot></button>
      <dialog part="dialog" aria-label=${translate(lang, 'title')} @close=${() => this.shadowRoot!.querySelector<HTMLButtonElement>('button[part=button]')?.focus()}>
        <div class="bar"><button part="close" type="button" @click=${() => this.close()}>${translate(lang, 'payButtonClose')}</button></div>
        <ck-pay-form part="form" api=${this.api} lang=${this.lang} link=${this.link}></ck-pay-form>
      </dialog>`;
  }
}

CkPayButton.define('ck-pay-button');

declare global {
  interface HTMLElementTagNameMap {
    'ck-pay-button': CkPayButton;
  }
}
