import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { PaymentLinkOut } from '../../api/pay/pay.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem } from '../internal/api-client.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';

type PaymentLink = z.output<typeof PaymentLinkOut>;

/**
 * Creates a personalised payment link for one account and, if asked, sends it to the debtor by email
 * or text (through the outbox, which applies the contact rules). The link is shown once: the server
 * keeps only its hash.
 *
 * @summary Create and send a debtor payment link.
 * @tag ck-payment-link
 *
 * @fires {CustomEvent<PaymentLink>} ck-payment-link-created - A link was created.
 *
 * @csspart form - The form.
 * @csspart result - The created link.
 */
export class CkPaymentLink extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      form {
        display: grid;
        gap: var(--ck-space-3, 0.75rem);
        max-width: 32rem;
      }
      .result {
        margin-top: var(--ck-space-4, 1rem);
        padding: var(--ck-space-3, 0.75rem);
        border: 1px solid var(--ck-color-border-subtle, #d0d7de);
        border-radius: var(--ck-radius, 6px);
      }
      .url {
        word-break: break-all;
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The account (`acct_…`) to prefill. */
  @property({ attribute: 'account-id' }) accountId = '';

  @state() private busy = false;
  @state() private error = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private link: PaymentLink | null = null;

  #portal = new PortalConnection(this);

  #onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const accountId = String(data.get('accountId') ?? '').trim();
    const send = String(data.get('send') ?? '');
    const days = Number(data.get('expiresInDays') || 0);
    this.error = '';
    this.fieldErrors = {};
    if (!accountId) {
      this.fieldErrors = { accountId: 'Enter the account id (acct_…).' };
      this.#focusFirstError();
      return;
    }
    this.busy = true;
    try {
      this.link = await this.#portal.client.request<PaymentLink>('POST', `/agency/accounts/${encodeURIComponent(accountId)}/payment-links`, {
        body: { ...(days ? { expiresInDays: days } : {}), ...(send ? { send } : {}) },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      });
      this.emit('ck-payment-link-created', this.link);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.result')?.focus();
    } catch (error) {
      // only the fields this form shows can carry a message; the rest go to the alert
      const fields = Object.fromEntries(Object.entries(error instanceof ApiError ? error.fieldErrors() : {}).filter(([k]) => k === 'accountId' || k === 'expiresInDays'));
      this.fieldErrors = error instanceof ApiError && error.status === 404 ? { accountId: 'No such account.' } : fields;
      // a field's own message says it; the alert is for what no field explains
      this.error = Object.keys(this.fieldErrors).length ? '' : toProblem(error).detail;
      // the button was disabled while the request ran, which dropped the focus to the page: it goes to
      // the field to correct (or the alert), so keyboard and screen-reader users land on the problem
      this.#focusFirstError();
    } finally {
      this.busy = false;
    }
  };

  #focusFirstError(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true], .alert:not(:empty)')?.focus());
  }

  override render() {
    const user = this.#portal.user;
    if (!user?.permissions.includes('payments.links')) return html`<p class="hint">Sign in with an agency account that may create payment links.</p>`;
    const fe = this.fieldErrors;
    return html`
      <form part="form" novalidate aria-label="Create a payment link" @submit=${this.#onSubmit}>
        <div class="field">
          <label for="accountId">Account id</label>
          <input id="accountId" name="accountId" .value=${this.accountId} placeholder="acct_…" aria-invalid=${fe.accountId ? 'true' : 'false'} aria-describedby="accountId-error" />
          <span class="error" id="accountId-error">${fe.accountId ?? ''}</span>
        </div>
        <div class="field">
          <label for="expiresInDays">Valid for (days)</label>
          <input id="expiresInDays" name="expiresInDays" type="number" min="1" max="90" value="14" aria-invalid=${fe.expiresInDays ? 'true' : 'false'} aria-describedby="expires-error" />
          <span class="error" id="expires-error">${fe.expiresInDays ?? ''}</span>
        </div>
        <div class="field">
          <label for="send">Send it to the debtor</label>
          <select id="send" name="send">
            <option value="">Do not send (copy the link)</option>
            <option value="email">By email</option>
            <option value="sms">By text message</option>
          </select>
        </div>
        <p class="alert" role="alert" tabindex="-1">${this.error}</p>
        <div><button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Creating…' : 'Create payment link'}</button></div>
      </form>
      ${this.link
        ? html`<div class="result" part="result" tabindex="-1" role="status" data-field="link">
            <p><strong>Payment link created</strong> for <code>${this.link.account.id}</code>, valid until ${formatDateTime(this.link.expiresAt)}.</p>
            <p class="url"><a href=${this.link.url} target="_blank" rel="noopener">${this.link.url}</a></p>
            ${this.link.sentTo ? html`<p data-field="sent">Sent to ${this.link.sentTo}.</p>` : html`<p class="hint">Not sent: copy the link to share it. It is shown only now.</p>`}
          </div>`
        : nothing}
    `;
  }
}

CkPaymentLink.define('ck-payment-link');

declare global {
  interface HTMLElementTagNameMap {
    'ck-payment-link': CkPaymentLink;
  }
}
