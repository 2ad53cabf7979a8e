import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { z } from 'zod';
import type { AgencyOffer, OfferPage } from '../../api/pay/agency-pay.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { ApiError } from '../internal/api-client.js';
import { formatDate, formatMoney, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { type ListFilter, pageQuery, readListFilter, renderPager } from './console-kit.js';
import { ManagedList } from './managed-list.js';

type Page = z.output<typeof OfferPage>;
type Offer = z.output<typeof AgencyOffer>;

/**
 * Settlement and payment-plan offers for agency staff: the offers of every account (filtered by
 * account, client and status), a new offer for an account, the terms of an open offer changed, or
 * the offer withdrawn after a confirmation. The debtor sees open offers on the pay page.
 *
 * @summary Make, change and withdraw settlement and plan offers.
 * @tag ck-offer-manager
 *
 * @fires {CustomEvent<Offer>} ck-offer-saved - An offer was made or changed.
 *
 * @csspart form - The new / edit offer form.
 * @csspart table - The offers.
 */
export class CkOfferManager extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, cardTableStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The account (`acct_…`) to prefill and to show offers of. */
  @property({ attribute: 'account-id' }) accountId = '';

  @state() private filter: ListFilter = {};
  @state() private page = 1;
  @state() private kind: 'settlement' | 'plan' = 'settlement';
  @state() private editing: Offer | null = null;
  /** bumped to draw a fresh, empty form after a save */
  @state() private formKey = 0;

  #offers = new ManagedList(this, {
    permission: 'payments.offers',
    args: () => [this.filter, this.page, this.accountId] as const,
    load: (client, signal, [filter, page, accountId]) => client.get<Page>('/agency/offers', pageQuery(filter, page, accountId), signal),
  });

  #onFilter = (event: SubmitEvent) => {
    this.filter = readListFilter(event);
    this.page = 1;
  };

  #terms(data: FormData): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    const num = (k: string) => (String(data.get(k) ?? '').trim() ? Number(data.get(k)) : undefined);
    const str = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    if (this.kind === 'settlement') Object.assign(body, { percent: num('percent'), payBy: str('payBy'), expiresOn: str('expiresOn') });
    else Object.assign(body, { instalments: num('instalments'), frequency: str('frequency'), expiresOn: str('expiresOn') });
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    return body;
  }

  #onSave = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const editing = this.editing;
    const kind = this.kind;
    const accountId = editing ? editing.account.id : String(data.get('offerAccount') ?? '').trim();
    if (!accountId) {
      this.#offers.invalid('Some fields are missing.', { offerAccount: 'Enter the account id (acct_…).' });
      form.querySelector<HTMLInputElement>('#offerAccount')?.focus();
      return;
    }
    const terms = this.#terms(data);
    void this.#offers.change(
      'save',
      (client) =>
        editing
          ? client.request<Offer>('PATCH', `/agency/offers/${encodeURIComponent(editing.id)}`, { body: terms })
          : client.request<Offer>('POST', `/agency/accounts/${encodeURIComponent(accountId)}/offers`, { body: { kind, ...terms } }),
      {
        done: (saved) => {
          this.emit('ck-offer-saved', saved);
          this.editing = null;
          this.formKey += 1;
          return editing
            ? `The offer to ${editing.account.debtorName} is changed.`
            : `A ${kind === 'plan' ? 'payment-plan' : 'settlement'} offer of ${formatMoney(saved.amount.amountCents, saved.amount.currency)} is open until ${formatDate(saved.expiresOn)}.`;
        },
        failed: (error) => {
          if (error instanceof ApiError && error.status === 404) this.#offers.fieldErrors = { offerAccount: 'No such account.' };
        },
      },
    );
  };

  #edit(offer: Offer): void {
    this.editing = offer;
    this.kind = offer.kind;
    this.#offers.fieldErrors = {};
    this.#offers.error = '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#offer-form-title')?.focus());
  }

  #withdraw(offer: Offer): void {
    void this.#offers.change(offer.id, (client) => client.request('PATCH', `/agency/offers/${encodeURIComponent(offer.id)}`, { body: { status: 'withdrawn' } }), {
      confirm: {
        title: 'Withdraw this offer?',
        body: `${offer.account.debtorName} (${offer.account.agencyAccountNumber}) will no longer see the ${offer.kind} offer of ${formatMoney(offer.amount.amountCents, offer.amount.currency)}.`,
        confirmLabel: 'Withdraw the offer',
      },
      done: () => `The offer to ${offer.account.debtorName} is withdrawn.`,
    });
  }

  #field(id: string, text: string, input: unknown, hint = '') {
    const err = this.#offers.fieldErrors[id] ?? '';
    return html`<div class="field">
      <label for=${id}>${text}</label>${input}
      ${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : nothing}
      <span class="error" id="${id}-error">${err}</span>
    </div>`;
  }

  #renderForm() {
    const e = this.editing;
    const offers = this.#offers;
    const fe = offers.fieldErrors;
    const inv = (k: string) => (fe[k] ? 'true' : 'false');
    return html`
      <form class="panel" part="form" novalidate aria-labelledby="offer-form-title" @submit=${this.#onSave}>
        <h2 id="offer-form-title" tabindex="-1">${e ? `Change the offer to ${e.account.debtorName}` : 'New offer'}</h2>
        <div class="grid-form">
          ${e
            ? html`<p>Account <code>${e.account.agencyAccountNumber}</code></p>`
            : this.#field('offerAccount', 'Account id', html`<input id="offerAccount" name="offerAccount" .value=${this.accountId} placeholder="acct_…" aria-invalid=${inv('offerAccount')} aria-describedby="offerAccount-error" />`)}
          <fieldset ?disabled=${Boolean(e)}>
            <legend>Kind</legend>
            ${(['settlement', 'plan'] as const).map(
              (k) => html`<label class="check"><input type="radio" name="kind" value=${k} .checked=${this.kind === k} @change=${() => (this.kind = k)} />${k === 'plan' ? 'Payment plan' : 'Settlement'}</label>`,
            )}
          </fieldset>
          ${this.kind === 'settlement'
            ? html`${this.#field('percent', 'Share of the balance (%)', html`<input id="percent" name="percent" type="number" min="1" max="100" .value=${String(e?.percent ?? 60)} aria-invalid=${inv('percent')} aria-describedby="percent-error" />`)}
                ${this.#field('payBy', 'Pay by', html`<input id="payBy" name="payBy" type="date" .value=${e?.payBy ?? ''} aria-invalid=${inv('payBy')} aria-describedby="payBy-error" />`)}`
            : html`${this.#field('instalments', 'Instalments', html`<input id="instalments" name="instalments" type="number" min="2" max="36" .value=${String(e?.instalments ?? 3)} aria-invalid=${inv('instalments')} aria-describedby="instalments-error" />`)}
                ${this.#field('frequency', 'Every', html`<select id="frequency" name="frequency">${['monthly', 'biweekly', 'weekly'].map((f) => html`<option value=${f} ?selected=${e?.frequency === f}>${label(f)}</option>`)}</select>`)}`}
          ${this.#field('expiresOn', 'Offer expires on', html`<input id="expiresOn" name="expiresOn" type="date" .value=${e?.expiresOn ?? ''} aria-invalid=${inv('expiresOn')} aria-describedby="expiresOn-error" />`)}
        </div>
        <p class="alert" role="alert">${offers.error}</p>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${offers.busy('save')}>${offers.busy('save') ? 'Saving…' : e ? 'Save the changes' : 'Make the offer'}</button>
          ${e ? html`<button type="button" @click=${() => (this.editing = null)}>Stop editing</button>` : nothing}
        </div>
      </form>
    `;
  }

  #renderPage(page: Page | null) {
    if (!page) return nothing;
    if (!page.data.length) return html`<p class="empty" data-field="empty">No offers match. Make one above.</p>`;
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    return html`
      <div class="scroll" tabindex="0" role="region" aria-label="Offers">
        <table part="table" class="cards">
          <thead><tr><th scope="col">Account</th><th scope="col">Client</th><th scope="col">Offer</th><th scope="col">Amount</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            ${page.data.map(
              (o) => html`<tr data-id=${o.id} data-status=${o.status}>
                <td data-label="Account"><strong>${o.account.debtorName}</strong><br /><code>${o.account.agencyAccountNumber}</code></td>
                <td data-label="Client">${o.client.name}</td>
                <td data-label="Offer">${o.kind === 'settlement' ? `Settle for ${o.percent}%, pay by ${formatDate(o.payBy)}` : `${o.instalments} × ${label(o.frequency ?? '')} instalments`}</td>
                <td data-label="Amount">${formatMoney(o.amount.amountCents, o.amount.currency)}</td>
                <td data-label="Expires">${formatDate(o.expiresOn)}</td>
                <td data-label="Status" data-field="status">${label(o.status)}</td>
                <td data-label="">
                  ${o.status === 'open'
                    ? html`<div class="actions">
                        <button type="button" data-action="edit" aria-label="Change the offer to ${o.account.debtorName}" @click=${() => this.#edit(o)}>Change</button>
                        <button type="button" data-action="withdraw" aria-label="Withdraw the offer to ${o.account.debtorName}" ?disabled=${this.#offers.busy(o.id)} @click=${() => this.#withdraw(o)}>Withdraw</button>
                      </div>`
                    : nothing}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${renderPager(this.page, pages, 'Offer pages', (p) => (this.page = p))}
    `;
  }

  override render() {
    if (!this.#offers.allowed) return html`<p class="hint">Sign in with an agency account that may make offers.</p>`;
    const clients = this.#offers.portal.user?.clients ?? [];
    return html`
      ${keyed(this.formKey, this.#renderForm())}
      <p class="hint" role="status" data-field="message">${this.#offers.message}</p>
      <h2>Offers</h2>
      <form class="toolbar" aria-label="Filter offers" @submit=${this.#onFilter}>
        <div class="field"><label for="o-account">Account id</label><input id="o-account" name="accountId" placeholder="acct_…" /></div>
        <div class="field">
          <label for="o-client">Client</label>
          <select id="o-client" name="clientId"><option value="">All clients</option>${clients.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select>
        </div>
        <div class="field">
          <label for="o-status">Status</label>
          <select id="o-status" name="status"><option value="">Any</option>${['open', 'accepted', 'expired', 'withdrawn'].map((s) => html`<option value=${s}>${label(s)}</option>`)}</select>
        </div>
        <button type="submit">Filter</button>
      </form>
      ${this.#offers.render('Loading offers…', (page) => this.#renderPage(page))}
    `;
  }
}

CkOfferManager.define('ck-offer-manager');

declare global {
  interface HTMLElementTagNameMap {
    'ck-offer-manager': CkOfferManager;
  }
}
