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

export type Validation = z.output<typeof ValidationInformation>;
export type DisputeReceipt = z.output<typeof DisputeCreated>;

/** Detail of `ck-dispute-request` (cancelable) and `ck-dispute-submitted`. */
export interface DisputeRequestDetail {
  accountId: string;
  body: Record<string, unknown>;
}
export interface DisputeSubmittedDetail {
  accountId: string;
  dispute: DisputeReceipt;
}

type Action = 'dispute_all' | 'dispute_part' | 'original_creditor';

const REASONS: [string, string][] = [
  ['not_mine', 'This is not my debt'],
  ['wrong_amount', 'The amount is wrong'],
  ['already_paid', 'I already paid it'],
  ['not_owed', 'I do not owe it for another reason'],
  ['identity_theft', 'Identity theft'],
  ['other', 'Something else'],
];

const REFERENCE_LABELS: Record<Validation['itemization']['reference'], string> = {
  charge_off: 'charge-off date',
  transaction: 'date of service',
  placement: 'date placed with us',
};

/**
 * Validation information and a dispute form for one account: who the debt is owed to (now and
 * originally), the balance on the itemization date and every change since (interest, fees,
 * payments, credits) up to the current amount — all computed by the server — and a form to dispute
 * all or part of the debt or to ask for the original creditor. Sending it puts the account on hold
 * at once; the confirmation (with its reference) is shown in place and announced.
 *
 * Inside the agency or client portal it works on `account-id` with the signed-in user (staff record
 * a dispute received by phone or mail). The debtor's pay flow uses the same element on the pay
 * routes once the debtor session exists (issue 7).
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

  @state() private action: Action | '' = '';
  @state() private busy = false;
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private receipt: DisputeReceipt | null = null;

  #portal = new PortalConnection(this);

  #validation = new Task(this, {
    task: async ([client, signedIn, id], { signal }) => {
      if (!signedIn || !id) return null;
      return client.get<Validation>(`/accounts/${encodeURIComponent(id)}/validation`, undefined, signal);
    },
    args: () => [this.#portal.client, Boolean(this.#portal.user && !this.#portal.user.onboarding.required), this.accountId] as const,
  });

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
      this.fieldErrors = { action: 'Choose what you would like to do.' };
      return null;
    }
    if (this.action === 'original_creditor') return { kind: 'original_creditor_request', ...(reason ? { reason } : {}) };
    const body: Record<string, unknown> = { kind: 'dispute', scope: this.action === 'dispute_part' ? 'part' : 'all', reasonCode: String(data.get('reasonCode') ?? '') };
    if (reason) body.reason = reason;
    if (this.action === 'dispute_part') {
      const cents = dollarsToCents(String(data.get('amount') ?? ''));
      if (cents === undefined) {
        this.fieldErrors = { amount: 'Enter the amount you dispute, like 125.00.' };
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
    const body = this.#body(event.target as HTMLFormElement);
    if (!body) return;
    if (this.emit<DisputeRequestDetail>('ck-dispute-request', { accountId: this.accountId, body }, { cancelable: true }).defaultPrevented) return;
    this.busy = true;
    try {
      const receipt = await this.#portal.client.request<DisputeReceipt>('POST', `/accounts/${encodeURIComponent(this.accountId)}/disputes`, { body });
      this.receipt = receipt;
      this.emit<DisputeSubmittedDetail>('ck-dispute-submitted', { accountId: this.accountId, dispute: receipt });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[part~=confirmation]')?.focus();
    } catch (error) {
      const errors = error instanceof ApiError ? error.fieldErrors() : {};
      // The server names the amount field disputedAmountCents; the person typed it as "amount".
      if (errors.disputedAmountCents) errors.amount = errors.disputedAmountCents;
      this.fieldErrors = errors;
      this.formError = toProblem(error).detail;
    } finally {
      this.busy = false;
    }
  };

  #renderValidation(v: Validation) {
    const money = (cents: number) => formatMoney(cents, v.currency);
    const c = v.changesSinceItemization;
    return html`
      <section part="validation" aria-labelledby="validation-heading">
        <h2 id="validation-heading">About this debt</h2>
        <dl>
          <dt>Owed to</dt><dd data-field="current-creditor">${v.currentCreditor}</dd>
          <dt>Original creditor</dt><dd data-field="original-creditor">${v.originalCreditor}</dd>
          <dt>Account number</dt><dd>${v.accountNumber}</dd>
        </dl>
        <table part="itemization">
          <caption>What you owe, and how it changed since ${formatDate(v.itemization.date)}</caption>
          <tbody>
            <tr><th scope="row">Balance on ${formatDate(v.itemization.date)} (${REFERENCE_LABELS[v.itemization.reference]})</th><td class="num" data-field="itemization-balance">${money(v.itemization.balanceCents)}</td></tr>
            <tr><th scope="row">Interest added since then</th><td class="num" data-field="interest">+ ${money(c.interestCents)}</td></tr>
            <tr><th scope="row">Fees added since then</th><td class="num" data-field="fees">+ ${money(c.feesCents)}</td></tr>
            <tr><th scope="row">Payments since then</th><td class="num" data-field="payments">− ${money(c.paymentsCents)}</td></tr>
            <tr><th scope="row">Credits since then</th><td class="num" data-field="credits">− ${money(c.creditsCents)}</td></tr>
          </tbody>
          <tfoot>
            <tr><th scope="row">Current amount</th><td class="num" data-field="current-amount">${money(v.currentAmountCents)}</td></tr>
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
    const choice = (value: Action, text: string) => html`
      <label class="choice"><input type="radio" name="action" value=${value} .checked=${this.action === value} @change=${this.#onAction} aria-describedby="action-error" /> ${text}</label>`;
    const invalid = (name: string) => (this.fieldErrors[name] ? 'true' : 'false');
    const disputing = this.action === 'dispute_all' || this.action === 'dispute_part';
    return html`
      <form part="form" novalidate @submit=${this.#submit} aria-labelledby="form-heading">
        <h2 id="form-heading">Dispute this debt or ask about it</h2>
        <fieldset>
          <legend>What would you like to do?</legend>
          ${choice('dispute_all', 'I dispute all of this debt')}
          ${choice('dispute_part', 'I dispute part of this debt')}
          ${choice('original_creditor', 'Send me the name and address of the original creditor')}
          <span class="error" part="field-error" id="action-error">${this.fieldErrors.action ?? ''}</span>
        </fieldset>
        ${this.action === 'dispute_part'
          ? this.#field('amount', 'Amount you dispute', html`<input part="input" id="amount" name="amount" inputmode="decimal" autocomplete="off" aria-invalid=${invalid('amount')} aria-describedby="amount-error" />`)
          : nothing}
        ${disputing
          ? this.#field('reasonCode', 'Reason', html`
              <select part="input" id="reasonCode" name="reasonCode" aria-invalid=${invalid('reasonCode')} aria-describedby="reasonCode-error">
                ${REASONS.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
              </select>`)
          : nothing}
        ${this.action
          ? this.#field('reason', disputing ? 'Tell us more (needed for "Something else")' : 'Anything you want to add (optional)', html`
              <textarea part="input" id="reason" name="reason" maxlength="2000" aria-invalid=${invalid('reason')} aria-describedby="reason-error"></textarea>`)
          : nothing}
        <p class="alert" part="error" role="alert">${this.formError}</p>
        <button part="button" class="primary" type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? 'true' : 'false'}>${this.busy ? 'Sending…' : 'Send'}</button>
      </form>
    `;
  }

  #renderConfirmation(r: DisputeReceipt) {
    return html`
      <div part="confirmation" role="status" tabindex="-1">
        <h2>${r.kind === 'dispute' ? 'Dispute received' : 'Request received'}</h2>
        <p>${r.confirmation.message}</p>
        <p>Your reference: <strong data-field="reference">${r.confirmation.reference}</strong></p>
      </div>
    `;
  }

  override render() {
    if (!this.accountId) return html`<p class="hint">Choose an account.</p>`;
    if (!this.#portal.user) return html`<p class="hint">Sign in to see this account.</p>`;
    return this.#validation.render({
      pending: () => html`<p class="hint" role="status">Loading…</p>`,
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
