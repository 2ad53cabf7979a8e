import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { z } from 'zod';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem } from '../internal/api-client.js';
import { dollarsToCents, formatDate, formatMoney } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import type { DisputeCreated, ValidationInformation } from '../../api/compliance/compliance.schema.js';
import { disputeFormStyles } from './dispute-form.styles.js';
import { translate, type Lang, type MessageKey } from './dispute-i18n.js';

/**
 * What the debtor's pay flow hands in instead of a portal session (ck-pay-form's client has this
 * shape): requests go to the /pay routes of the debtor session, which names the account.
 */
export interface DebtorRequester {
  /** `body` is JSON, or a FormData when a document is attached (multipart/form-data) */
  request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T>;
}

export type Validation = z.output<typeof ValidationInformation>;
export type DisputeReceipt = z.output<typeof DisputeCreated>;

/** Detail of `ck-dispute-request` (cancelable) and `ck-dispute-submitted`. */
export interface DisputeRequestDetail {
  accountId: string;
  body: Record<string, unknown>;
  /** the supporting document chosen, if any */
  document: File | null;
}
export interface DisputeSubmittedDetail {
  accountId: string;
  dispute: DisputeReceipt;
}

type Action = 'dispute_all' | 'dispute_part' | 'original_creditor';

const REASONS = ['not_mine', 'wrong_amount', 'already_paid', 'not_owed', 'identity_theft', 'other'] as const;

/** What the server accepts by default (platform/uploads/file-kinds.ts); it decides from the bytes and says why it refuses. */
const DOCUMENT_ACCEPT = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.tif,.tiff,.txt,.docx,application/pdf,image/*';
/** Problems about the file itself, shown under the file field. */
const FILE_PROBLEMS = new Set(['file_too_large', 'type_not_allowed', 'type_not_recognized', 'content_mismatch', 'empty_file', 'invalid_name', 'name_too_long', 'multipart_required', 'bad_multipart']);

/**
 * Validation information and a dispute form for one account: who the debt is owed to (now and
 * originally), the balance on the itemization date and every change since (interest, fees,
 * payments, credits) up to the current amount — all computed by the server — and a form to dispute
 * all or part of the debt or to ask for the original creditor, with an optional supporting document
 * (sent as multipart/form-data; the server stores it with the account's attachments). Sending it
 * puts the account on hold at once; the confirmation (with its reference) is shown in place and
 * announced.
 *
 * Inside the agency or client portal it works on `account-id` with the signed-in user (staff record
 * a dispute received by phone or mail). In the debtor's pay flow, ck-pay-form sets `debtor` to its
 * session's client and the element uses `GET pay/validation` and `POST pay/disputes` instead.
 * English and Spanish (`lang`).
 *
 * @summary Validation information and the dispute / original-creditor request form.
 * @tag ck-dispute-form
 *
 * @fires {CustomEvent<DisputeRequestDetail>} ck-dispute-request - Before sending; cancel it to stop the request.
 * @fires {CustomEvent<DisputeSubmittedDetail>} ck-dispute-submitted - The dispute or request was received.
 *
 * @csspart base - The whole element.
 * @csspart validation - The validation information.
 * @csspart itemization - The itemization table.
 * @csspart form - The dispute form.
 * @csspart field - A label, input and error group.
 * @csspart input - An input, select or text area.
 * @csspart field-error - The error under a field.
 * @csspart error - The form-level error.
 * @csspart button - The send button.
 * @csspart confirmation - The confirmation shown after sending.
 *
 * @cssprop --ck-color-primary - Background of the send button.
 * @cssprop --ck-color-danger - Colour of errors.
 * @cssprop --ck-color-success - Border of the confirmation.
 * @cssprop --ck-color-surface - Background.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkDisputeForm extends CkElement {
  static override styles = [baseStyles, formStyles, disputeFormStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The public id of the account (`acct_…`). */
  @property({ attribute: 'account-id', reflect: true }) accountId = '';

  /** The debtor session's client (set by the pay flow, never an attribute); replaces `account-id`. */
  @property({ attribute: false }) debtor: DebtorRequester | null = null;

  /** Language: `en` or `es`. */
  @property({ reflect: true }) override lang: Lang = 'en';

  @state() private action: Action | '' = '';
  @state() private busy = false;
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private receipt: DisputeReceipt | null = null;

  #portal = new PortalConnection(this);

  #validation = new Task(this, {
    task: async ([client, debtor, signedIn, id], { signal }) => {
      if (debtor) return debtor.request<Validation>('GET', '/pay/validation');
      if (!signedIn || !id) return null;
      return client.get<Validation>(`/accounts/${encodeURIComponent(id)}/validation`, undefined, signal);
    },
    args: () => [this.#portal.client, this.debtor, Boolean(this.#portal.user && !this.#portal.user.onboarding.required), this.accountId] as const,
  });

  #t(key: MessageKey, values?: Record<string, string>): string {
    // in a portal (no debtor session) staff record what the debtor said: speak about the debtor
    return translate(this.lang === 'es' ? 'es' : 'en', key, values, !this.debtor);
  }

  get #locale(): string {
    return this.lang === 'es' ? 'es-US' : 'en-US';
  }

  /** Sends the dispute by the debtor session or, in the portal, for the account; with a document as a multipart form. */
  #send(body: Record<string, unknown>, document: File | null): Promise<DisputeReceipt> {
    let form: FormData | null = null;
    if (document) {
      form = new FormData();
      for (const [key, value] of Object.entries(body)) form.append(key, String(value));
      form.append('file', document, document.name);
    }
    if (this.debtor) return this.debtor.request<DisputeReceipt>('POST', '/pay/disputes', form ?? body, `ckdsp-${crypto.randomUUID()}`);
    const path = `/accounts/${encodeURIComponent(this.accountId)}/disputes`;
    return form ? this.#portal.client.upload<DisputeReceipt>(path, form) : this.#portal.client.request<DisputeReceipt>('POST', path, { body });
  }

  /** A new file clears the error about the previous one. */
  #onDocument = () => {
    if (!this.fieldErrors.document) return;
    const { document: _cleared, ...rest } = this.fieldErrors;
    this.fieldErrors = rest;
  };

  #onAction = (event: Event) => {
    this.action = (event.target as HTMLInputElement).value as Action;
    this.fieldErrors = {};
    this.formError = '';
  };

  /** The request body from the form; field errors for what cannot even be sent. */
  #body(form: HTMLFormElement): Record<string, unknown> | null {
    const data = new FormData(form);
    const reason = String(data.get('reason') ?? '').trim();
    if (!this.action) {
      this.fieldErrors = { action: this.#t('chooseAction') };
      return null;
    }
    if (this.action === 'original_creditor') return { kind: 'original_creditor_request', ...(reason ? { reason } : {}) };
    const body: Record<string, unknown> = { kind: 'dispute', scope: this.action === 'dispute_part' ? 'part' : 'all', reasonCode: String(data.get('reasonCode') ?? '') };
    if (reason) body.reason = reason;
    if (this.action === 'dispute_part') {
      const cents = dollarsToCents(String(data.get('amount') ?? ''));
      if (cents === undefined) {
        this.fieldErrors = { amount: this.#t('amountInvalid') };
        return null;
      }
      body.disputedAmountCents = cents;
    }
    return body;
  }

  #submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (this.busy) return;
    this.fieldErrors = {};
    this.formError = '';
    const form = event.target as HTMLFormElement;
    const body = this.#body(form);
    if (!body) return;
    const document = form.querySelector<HTMLInputElement>('#document')?.files?.[0] ?? null;
    if (this.emit<DisputeRequestDetail>('ck-dispute-request', { accountId: this.accountId, body, document }, { cancelable: true }).defaultPrevented) return;
    this.busy = true;
    try {
      const receipt = await this.#send(body, document);
      this.receipt = receipt;
      this.emit<DisputeSubmittedDetail>('ck-dispute-submitted', { accountId: this.accountId, dispute: receipt });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~=confirmation]')?.focus();
    } catch (error) {
      const errors = error instanceof ApiError ? error.fieldErrors() : {};
      // The server names the amount field disputedAmountCents; the person typed it as "amount".
      if (errors.disputedAmountCents) errors.amount = errors.disputedAmountCents;
      // too large, a type not accepted, content that does not match its name: said under the file field
      if (error instanceof ApiError && FILE_PROBLEMS.has(error.code)) errors.document = error.problem.detail;
      this.fieldErrors = errors;
      this.formError = toProblem(error).detail;
    } finally {
      this.busy = false;
    }
  };

  #renderValidation(v: Validation) {
    const money = (cents: number) => formatMoney(cents, v.currency, this.#locale);
    const date = formatDate(v.itemization.date, this.#locale);
    const c = v.changesSinceItemization;
    return html`
      <section part="validation" aria-labelledby="validation-heading">
        <h2 id="validation-heading">${this.#t('aboutDebt')}</h2>
        <dl>
          <dt>${this.#t('owedTo')}</dt><dd data-field="current-creditor">${v.currentCreditor}</dd>
          <dt>${this.#t('originalCreditor')}</dt><dd data-field="original-creditor">${v.originalCreditor}</dd>
          <dt>${this.#t('accountNumber')}</dt><dd>${v.accountNumber}</dd>
        </dl>
        <table part="itemization">
          <caption>${this.#t('caption', { date })}</caption>
          <tbody>
            <tr><th scope="row">${this.#t('balanceOn', { date, reference: this.#t(`ref_${v.itemization.reference}`) })}</th><td class="num" data-field="itemization-balance">${money(v.itemization.balanceCents)}</td></tr>
            <tr><th scope="row">${this.#t('interest')}</th><td class="num" data-field="interest">+ ${money(c.interestCents)}</td></tr>
            <tr><th scope="row">${this.#t('fees')}</th><td class="num" data-field="fees">+ ${money(c.feesCents)}</td></tr>
            <tr><th scope="row">${this.#t('payments')}</th><td class="num" data-field="payments">− ${money(c.paymentsCents)}</td></tr>
            <tr><th scope="row">${this.#t('credits')}</th><td class="num" data-field="credits">− ${money(c.creditsCents)}</td></tr>
          </tbody>
          <tfoot>
            <tr><th scope="row">${this.#t('currentAmount')}</th><td class="num" data-field="current-amount">${money(v.currentAmountCents)}</td></tr>
          </tfoot>
        </table>
      </section>
    `;
  }

  #field(name: string, labelText: string, control: unknown) {
    return html`
      <div class="field" part="field">
        <label for=${name}>${labelText}</label>
        ${control}
        <span class="error" part="field-error" id="${name}-error">${this.fieldErrors[name] ?? ''}</span>
      </div>
    `;
  }

  #renderForm() {
    const choice = (value: Action, key: MessageKey) => html`
      <label class="choice"><input type="radio" name="action" value=${value} .checked=${this.action === value} @change=${this.#onAction} aria-describedby="action-error" /> ${this.#t(key)}</label>`;
    const invalid = (name: string) => (this.fieldErrors[name] ? 'true' : 'false');
    const disputing = this.action === 'dispute_all' || this.action === 'dispute_part';
    return html`
      <form part="form" novalidate @submit=${this.#submit} aria-labelledby="form-heading">
        <h2 id="form-heading">${this.#t('formHeading')}</h2>
        <fieldset>
          <legend>${this.#t('whatToDo')}</legend>
          ${choice('dispute_all', 'disputeAll')}
          ${choice('dispute_part', 'disputePart')}
          ${choice('original_creditor', 'askCreditor')}
          <span class="error" part="field-error" id="action-error">${this.fieldErrors.action ?? ''}</span>
        </fieldset>
        ${this.action === 'dispute_part'
          ? this.#field('amount', this.#t('amount'), html`<input part="input" id="amount" name="amount" inputmode="decimal" autocomplete="off" aria-invalid=${invalid('amount')} aria-describedby="amount-error" />`)
          : nothing}
        ${disputing
          ? this.#field('reasonCode', this.#t('reason'), html`
              <select part="input" id="reasonCode" name="reasonCode" aria-invalid=${invalid('reasonCode')} aria-describedby="reasonCode-error">
                ${REASONS.map((value) => html`<option value=${value}>${this.#t(`reason_${value}`)}</option>`)}
              </select>`)
          : nothing}
        ${this.action
          ? this.#field('reason', disputing ? this.#t('tellMore') : this.#t('addAnything'), html`
              <textarea part="input" id="reason" name="reason" maxlength="2000" aria-invalid=${invalid('reason')} aria-describedby="reason-error"></textarea>`)
          : nothing}
        ${this.action
          ? html`
              <div class="field" part="field">
                <label for="document">${this.#t('document')}</label>
                <span class="hint" id="document-hint">${this.#t('documentHint')}</span>
                <input part="input" type="file" id="document" name="document" accept=${DOCUMENT_ACCEPT}
                  aria-invalid=${invalid('document')} aria-describedby="document-hint document-error" @change=${this.#onDocument} />
                <span class="error" part="field-error" id="document-error">${this.fieldErrors.document ?? ''}</span>
              </div>`
          : nothing}
        <p class="alert" part="error" role="alert">${this.formError}</p>
        <button part="button" class="primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>${this.busy ? this.#t('sending') : this.#t('send')}</button>
      </form>
    `;
  }

  #renderConfirmation(r: DisputeReceipt) {
    return html`
      <div part="confirmation" role="status" tabindex="-1">
        <h2>${r.kind === 'dispute' ? this.#t('disputeReceived') : this.#t('requestReceived')}</h2>
        <p data-field="message">${this.debtor ? r.confirmation.message : this.#t(r.kind === 'dispute' ? 'staffDisputeDone' : 'staffRequestDone')}</p>
        <p>${this.#t('reference')} <strong data-field="reference">${r.confirmation.reference}</strong></p>
      </div>
    `;
  }

  override render() {
    if (!this.debtor) {
      if (!this.accountId) return html`<p class="hint">${this.#t('chooseAccount')}</p>`;
      if (!this.#portal.user) return html`<p class="hint">${this.#t('signIn')}</p>`;
    }
    return this.#validation.render({
      pending: () => html`<p class="hint" role="status">${this.#t('loading')}</p>`,
      error: (error) => html`<p class="alert" part="error" role="alert">${toProblem(error).detail}</p>`,
      complete: (v) => (v
        ? html`<div part="base">${this.#renderValidation(v)} ${this.receipt ? this.#renderConfirmation(this.receipt) : this.#renderForm()}</div>`
        : nothing),
    });
  }
}

CkDisputeForm.define('ck-dispute-form');

declare global {
  interface HTMLElementTagNameMap {
    'ck-dispute-form': CkDisputeForm;
  }
}
