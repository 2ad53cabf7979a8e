import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem, type FieldProblem } from '../internal/api-client.js';
import { dollarsToCents, formatMoney } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { placementFormStyles } from './new-account.styles.js';
import type { PlacementCreated, PlacementPreview } from '../../api/placements/placements.schema.js';

type Preview = z.output<typeof PlacementPreview>;
type Created = z.output<typeof PlacementCreated>;
type Change = Preview['changes'][number];

/** Detail of `ck-placement-created`. */
export interface PlacementCreatedDetail {
  /** the placement's public id (`plc_…`); it waits in the agency's review queue */
  placementId: string;
  clientAccountNumber: string;
}

const ACCOUNT_TYPES = [['medical', 'Medical'], ['utility', 'Utility'], ['commercial', 'Commercial'], ['rental', 'Rental'], ['returned_check', 'Returned check'], ['other', 'Other']];
const SUFFIXES = ['', 'JR', 'SR', 'II', 'III', 'IV', 'V'];
const MONEY = [['principal', 'Principal'], ['interest', 'Interest'], ['fees', 'Fees'], ['costs', 'Costs']] as const;

/** A field name is the API path of its value (`responsible.address.zip`), so errors land on it directly. */
const FIELD_LABELS: Record<string, string> = { comments: 'Comments for the agency' };

/**
 * The new-account form (placing one account). Before anything is stored the server normalises the
 * input for the agency's collection system — upper case, suffixes into their field, "AKA"/"C/O" text
 * into the comments, units onto address line 2 — and the form shows every change and every problem
 * next to its field. "Place account" then submits exactly what was reviewed (with an Idempotency-Key,
 * so a double click or a retry places it once). The account waits for the agency's review.
 *
 * @summary Place a new account, with the normalisation shown before submit.
 * @tag ck-new-account
 *
 * @fires {CustomEvent<PlacementCreatedDetail>} ck-placement-created - The account was placed (pending review).
 *
 * @csspart base - The wrapper.
 * @csspart form - The form.
 * @csspart label - A field label.
 * @csspart input - An input, select or textarea.
 * @csspart field-error - The error under a field.
 * @csspart button - Every button.
 * @csspart changes - The list of normalisation changes.
 * @csspart error - The summary of problems.
 * @csspart result - The confirmation after placing.
 *
 * @cssprop --ck-color-surface-alt - Background of the review and confirmation panels.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkNewAccount extends CkElement {
  static override styles = [baseStyles, formStyles, placementFormStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Where "your placements" links to after an account is placed (the client portal's My placements); no link when empty. */
  @property({ attribute: 'placements-href' }) placementsHref = '';

  /** The server's preview of the current input (changes + errors), once reviewed. */
  @state() private preview: Preview | null = null;

  /** Field errors by API path, from the preview, a rejected submit, or the form itself. */
  @state() private errors: Record<string, string> = {};

  @state() private problem = '';

  @state() private busy = false;

  @state() private created: Created | null = null;

  /** Documents attached after placing: names attached, and problems per file. */
  @state() private documents: { attached: string[]; failed: string[] } = { attached: [], failed: [] };

  #portal = new PortalConnection(this);
  /** one key per reviewed input: a retried or double submit places the account once */
  #idempotencyKey = '';
  #body: Record<string, unknown> | null = null;

  /** Clears the form for the next account. */
  reset(): void {
    this.created = null;
    this.documents = { attached: [], failed: [] };
    this.preview = null;
    this.errors = {};
    this.problem = '';
    this.#body = null;
    this.renderRoot.querySelector('form')?.reset();
  }

  #collect(form: HTMLFormElement): { body: Record<string, unknown>; local: Record<string, string> } {
    const data = new FormData(form);
    const v = (name: string) => String(data.get(name) ?? '').trim();
    const orNull = (name: string) => v(name) || null;
    const local: Record<string, string> = {};
    const address = (p: string) => ({ address1: v(`${p}.address1`), address2: orNull(`${p}.address2`), city: v(`${p}.city`), state: v(`${p}.state`), zip: v(`${p}.zip`) });
    const phones = (p: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: v(`${p}.phones.${i}.type`) || 'mobile', number: v(`${p}.phones.${i}.number`) })).filter((x) => x.number);
    const named = (p: string) => v(`${p}.firstName`) || v(`${p}.lastName`);
    const balance: Record<string, number> = {};
    for (const [key] of MONEY) {
      const text = v(`balance.${key}`);
      const cents = text ? dollarsToCents(text) : 0;
      if (cents === undefined) local[`balance.${key}Cents`] = 'Enter an amount in dollars, like 1,250.00.';
      else balance[`${key}Cents`] = cents;
    }
    const body: Record<string, unknown> = {
      clientAccountNumber: v('clientAccountNumber'),
      accountType: v('accountType') || 'other',
      serviceDate: orNull('serviceDate'),
      chargeOffDate: orNull('chargeOffDate'),
      balance,
      responsible: {
        firstName: v('responsible.firstName'), middleName: orNull('responsible.middleName'), lastName: v('responsible.lastName'),
        suffix: orNull('responsible.suffix'), dob: orNull('responsible.dob'), ssn: orNull('responsible.ssn'),
        address: address('responsible.address'), phones: phones('responsible', 2), email: orNull('responsible.email'), employer: orNull('responsible.employer'),
      },
      spouse: named('spouse') ? { firstName: v('spouse.firstName'), lastName: v('spouse.lastName'), phones: phones('spouse', 1) } : null,
      secondLocation: named('secondLocation')
        ? { firstName: v('secondLocation.firstName'), lastName: v('secondLocation.lastName'), address: v('secondLocation.address.address1') ? address('secondLocation.address') : null, phones: phones('secondLocation', 1) }
        : null,
      patient: named('patient') ? { firstName: v('patient.firstName'), lastName: v('patient.lastName'), dob: orNull('patient.dob') } : null,
      comments: orNull('comments'),
    };
    const clientId = v('clientId');
    if (clientId) body.clientId = clientId;
    return { body, local };
  }

  #showProblem(error: unknown): void {
    const problem = toProblem(error);
    const byPath: Record<string, string> = {};
    for (const e of problem.errors ?? ([] as FieldProblem[])) byPath[e.path] ??= e.message;
    this.errors = byPath;
    this.problem = problem.errors?.length ? `${problem.errors.length} field${problem.errors.length > 1 ? 's need' : ' needs'} fixing. ${problem.detail}` : problem.detail;
  }

  /** Step 1: ask the server what it would store (nothing is stored). */
  #onReview = async (event: SubmitEvent) => {
    event.preventDefault();
    const { body, local } = this.#collect(event.target as HTMLFormElement);
    this.created = null;
    this.preview = null;
    if (Object.keys(local).length) {
      this.errors = local;
      this.problem = 'Some amounts are not amounts.';
      return;
    }
    this.busy = true;
    try {
      const preview = await this.#portal.client.request<Preview>('POST', '/placements/preview', { body });
      this.preview = preview;
      this.errors = Object.fromEntries(preview.errors.map((e) => [e.path, e.message]));
      this.problem = preview.valid ? '' : `${preview.errors.length} field${preview.errors.length > 1 ? 's need' : ' needs'} fixing before the account can be placed.`;
      this.#body = preview.valid ? body : null;
      this.#idempotencyKey = preview.valid ? crypto.randomUUID() : '';
    } catch (error) {
      this.#showProblem(error);
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    // Move focus to what needs attention: the first invalid field, else the review panel.
    const target = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]') ?? this.renderRoot.querySelector<HTMLElement>('#review');
    target?.focus();
  };

  /** Uploads the chosen documents to the new placement; one failing file does not stop the others. */
  async #attachDocuments(placementId: string): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#f-documents');
    const attached: string[] = [];
    const failed: string[] = [];
    for (const file of [...(input?.files ?? [])]) {
      const form = new FormData();
      form.append('name', file.name);
      form.append('file', file, file.name);
      try {
        await this.#portal.client.upload(`/placements/${placementId}/documents`, form);
        attached.push(file.name);
      } catch (error) {
        failed.push(`${file.name}: ${toProblem(error).detail}`);
      }
    }
    this.documents = { attached, failed };
  }

  /** Step 2: place exactly what was reviewed. */
  #onPlace = async () => {
    if (!this.#body) return;
    this.busy = true;
    try {
      const created = await this.#portal.client.request<Created>('POST', '/placements', { body: this.#body, headers: { 'Idempotency-Key': this.#idempotencyKey } });
      await this.#attachDocuments(created.placement.id);
      this.created = created;
      this.preview = null;
      this.#body = null;
      this.emit<PlacementCreatedDetail>('ck-placement-created', { placementId: created.placement.id, clientAccountNumber: created.placement.clientAccountNumber });
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#result')?.focus();
    } catch (error) {
      this.#showProblem(error);
    } finally {
      this.busy = false;
    }
  };

  /**
   * Any edit of the account invalidates the review: the user reviews again before placing. The
   * documents are not part of what is reviewed (they are sent after placing), so choosing one keeps it.
   */
  #onInput = (event: Event) => {
    if ((event.target as HTMLElement | null)?.id === 'f-documents') return;
    if (this.preview) {
      this.preview = null;
      this.#body = null;
    }
  };

  #field(name: string, text: string, options: { type?: string; required?: boolean; autocomplete?: string; inputmode?: string; wide?: boolean } = {}) {
    FIELD_LABELS[name] = text;
    const error = this.errors[name] ?? this.errors[name.replace(/^balance\.(\w+)$/, 'balance.$1Cents')] ?? '';
    const id = `f-${name.replace(/\./g, '-')}`;
    return html`
      <div class="field ${options.wide ? 'wide' : ''}">
        <label part="label" for=${id}>${text}${options.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
        <input part="input" id=${id} name=${name} type=${options.type ?? 'text'} ?required=${options.required ?? false}
          autocomplete=${options.autocomplete ?? 'off'} inputmode=${options.inputmode ?? nothing}
          aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-error" />
        <span class="error" part="field-error" id="${id}-error">${error}</span>
      </div>
    `;
  }

  #select(name: string, text: string, options: string[][], selected = '') {
    FIELD_LABELS[name] = text;
    const id = `f-${name.replace(/\./g, '-')}`;
    const error = this.errors[name] ?? '';
    return html`
      <div class="field">
        <label part="label" for=${id}>${text}</label>
        <select part="input" id=${id} name=${name} aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-error">
          ${options.map(([value, label]) => html`<option value=${value!} ?selected=${value === selected}>${label}</option>`)}
        </select>
        <span class="error" part="field-error" id="${id}-error">${error}</span>
      </div>
    `;
  }

  #person(prefix: string) {
    return html`
      ${this.#field(`${prefix}.firstName`, 'First name', { required: prefix === 'responsible' })}
      ${prefix === 'responsible' ? this.#field(`${prefix}.middleName`, 'Middle name') : nothing}
      ${this.#field(`${prefix}.lastName`, 'Last name', { required: prefix === 'responsible' })}
    `;
  }

  #address(prefix: string, required: boolean) {
    return html`
      ${this.#field(`${prefix}.address1`, 'Street address', { required, wide: true })}
      ${this.#field(`${prefix}.address2`, 'Apartment, unit, suite')}
      ${this.#field(`${prefix}.city`, 'City', { required })}
      ${this.#field(`${prefix}.state`, 'State', { required })}
      ${this.#field(`${prefix}.zip`, 'ZIP code', { required, inputmode: 'numeric' })}
    `;
  }

  #renderChanges(changes: Change[]) {
    if (!changes.length) return html`<p>Nothing needed changing.</p>`;
    return html`
      <ul part="changes">
        ${changes.map((c) => html`<li data-field=${c.field}><strong>${FIELD_LABELS[c.field] ?? c.field}</strong>:
          ${c.from ? html`<del>${c.from}</del> → ` : nothing}<ins>${c.to ?? '(moved)'}</ins> <span class="hint">${c.reason}</span></li>`)}
      </ul>
    `;
  }

  #renderReview() {
    const p = this.preview;
    if (!p || !p.valid) return nothing;
    const r = p.normalized as { responsible: { firstName: string; lastName: string; suffix: string | null }; balance: Record<string, number>; comments: string | null };
    const total = Object.values(r.balance).reduce((s, n) => s + n, 0);
    return html`
      <section class="panel" id="review" tabindex="-1" aria-labelledby="review-title">
        <h3 id="review-title">Review before placing</h3>
        <p>${r.responsible.lastName}, ${r.responsible.firstName}${r.responsible.suffix ? ` ${r.responsible.suffix}` : ''} — ${formatMoney(total)}</p>
        <p class="hint">The agency's system needs these changes; this is what will be stored:</p>
        ${this.#renderChanges(p.changes)}
        <div class="actions">
          <button class="primary" part="button" type="button" data-action="place" ?disabled=${this.busy} @click=${this.#onPlace}>Place account</button>
        </div>
      </section>
    `;
  }

  #renderResult(c: Created) {
    return html`
      <section class="panel success" part="result" id="result" tabindex="-1" role="status">
        <h3>Account placed — pending the agency's review</h3>
        <p>${c.placement.debtorName}, account ${c.placement.clientAccountNumber}, ${formatMoney(c.placement.balance.amountCents, c.placement.balance.currency)}.
          It appears in ${this.placementsHref ? html`<a href=${this.placementsHref} data-action="my-placements">your placements</a>` : 'your placements'} now and in account search once the agency accepts it.</p>
        ${this.documents.attached.length ? html`<p data-documents>Documents attached: ${this.documents.attached.join(', ')}.</p>` : nothing}
        ${this.documents.failed.length
          ? html`<div class="alert" role="alert">Not attached (the account is placed; send these again from the account once accepted):
              <ul>${this.documents.failed.map((f) => html`<li>${f}</li>`)}</ul></div>`
          : nothing}
        ${c.changes.length ? html`<details><summary>What was normalised (${c.changes.length})</summary>${this.#renderChanges(c.changes)}</details>` : nothing}
        <div class="actions"><button part="button" type="button" data-action="another" @click=${() => this.reset()}>Place another account</button></div>
      </section>
    `;
  }

  override render() {
    const user = this.#portal.user;
    if (!user || user.onboarding.required) return html`<p class="hint">Sign in to place accounts.</p>`;
    const clients = user.clients;
    return html`
      <div part="base">
        ${this.created ? this.#renderResult(this.created) : nothing}
        <form part="form" novalidate aria-label="New account" @submit=${this.#onReview} @input=${this.#onInput} ?hidden=${!!this.created}>
          ${clients.length > 1
            ? html`<fieldset><legend>Client</legend>${this.#select('clientId', 'Placed for', [['', 'Choose the client'], ...clients.map((c) => [c.id, c.name])])}</fieldset>`
            : nothing}
          <fieldset>
            <legend>Responsible party</legend>
            ${this.#person('responsible')}
            ${this.#select('responsible.suffix', 'Suffix', SUFFIXES.map((s) => [s, s || 'None']))}
            ${this.#field('responsible.dob', 'Date of birth', { type: 'date' })}
            ${this.#field('responsible.ssn', 'Social Security number', { inputmode: 'numeric' })}
          </fieldset>
          <fieldset><legend>Address</legend>${this.#address('responsible.address', true)}</fieldset>
          <fieldset>
            <legend>Contact</legend>
            ${this.#field('responsible.phones.0.number', 'Phone (with area code)', { type: 'tel' })}
            ${this.#field('responsible.phones.1.number', 'Second phone', { type: 'tel' })}
            ${this.#field('responsible.email', 'Email', { type: 'email' })}
            ${this.#field('responsible.employer', 'Employer')}
          </fieldset>
          <fieldset>
            <legend>Account</legend>
            ${this.#field('clientAccountNumber', 'Your account number', { required: true })}
            ${this.#select('accountType', 'Account type', ACCOUNT_TYPES, defaultType(clients[0]?.kind))}
            ${this.#field('serviceDate', 'Service date', { type: 'date' })}
            ${this.#field('chargeOffDate', 'Charge-off date', { type: 'date' })}
          </fieldset>
          <fieldset>
            <legend>Balance (dollars)</legend>
            ${MONEY.map(([key, text]) => this.#field(`balance.${key}`, text, { inputmode: 'decimal', required: key === 'principal' }))}
          </fieldset>
          <details><summary>Spouse</summary><fieldset>${this.#person('spouse')}${this.#field('spouse.phones.0.number', 'Phone', { type: 'tel' })}</fieldset></details>
          <details><summary>Second location (another responsible party)</summary>
            <fieldset>${this.#person('secondLocation')}${this.#address('secondLocation.address', false)}</fieldset></details>
          <details><summary>Patient (when not the responsible party)</summary>
            <fieldset>${this.#person('patient')}${this.#field('patient.dob', 'Date of birth', { type: 'date' })}</fieldset></details>
          <div class="field">
            <label part="label" for="f-comments">Comments for the agency</label>
            <textarea part="input" id="f-comments" name="comments" maxlength="2000"></textarea>
          </div>
          <div class="field">
            <label part="label" for="f-documents">Documents (optional: statements, contracts …)</label>
            <input part="input" id="f-documents" type="file" multiple aria-describedby="f-documents-hint" />
            <span class="hint" id="f-documents-hint">Sent with the account when you place it.</span>
          </div>
          <div class="alert" part="error" role="alert" aria-live="assertive">${this.problem}</div>
          <div class="actions">
            <button class="primary" part="button" type="submit" data-action="review" ?disabled=${this.busy}>${this.busy ? 'Checking…' : 'Review'}</button>
          </div>
        </form>
        <div aria-live="polite">${this.created ? nothing : this.#renderReview()}</div>
      </div>
    `;
  }
}

function defaultType(kind: string | undefined): string {
  if (kind === 'hospital' || kind === 'clinic') return 'medical';
  if (kind === 'utility') return 'utility';
  if (kind === 'b2b') return 'commercial';
  return 'other';
}

CkNewAccount.define('ck-new-account');

declare global {
  interface HTMLElementTagNameMap {
    'ck-new-account': CkNewAccount;
  }
  interface GlobalEventHandlersEventMap {
    'ck-placement-created': CustomEvent<PlacementCreatedDetail>;
  }
}
