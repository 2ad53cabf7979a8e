import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { z } from 'zod';
import type { PaySettingsOut } from '../../api/pay/pay.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { dollarsToCents } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { areaStyles } from './area.styles.js';
import { ManagedList } from './managed-list.js';

type Settings = z.output<typeof PaySettingsOut>;

const SWITCHES: { name: 'allowSkipOffer' | 'schedulingEnabled' | 'contactReviewStep'; text: string; hint: string }[] = [
  { name: 'contactReviewStep', text: 'Contact review step', hint: 'The debtor checks or adds an email or mobile number before paying; the agency confirms it from the inbox.' },
  { name: 'allowSkipOffer', text: 'Debtors may skip an offer', hint: 'Pay another amount instead of the offer shown.' },
  { name: 'schedulingEnabled', text: 'Scheduled payments', hint: 'A one-time payment may be dated later (when no offer is taken).' },
];

const NUMBERS: { name: 'linkTtlDays' | 'maxScheduleDays' | 'declineRetries' | 'retryEveryDays'; text: string; min: number; max: number }[] = [
  { name: 'linkTtlDays', text: 'Payment links valid for (days)', min: 1, max: 90 },
  { name: 'maxScheduleDays', text: 'Schedule at most (days ahead)', min: 1, max: 365 },
  { name: 'declineRetries', text: 'Retries of a declined instalment', min: 0, max: 5 },
  { name: 'retryEveryDays', text: 'Retry every (days)', min: 1, max: 30 },
];

/**
 * The agency's debtor-payment settings: the contact-review step, skipping offers, scheduling,
 * link validity, retries of declined instalments, offer reminders, the minimum payment and the
 * pay page's name, address, colour and support line.
 *
 * @summary Edit the debtor-payment settings.
 * @tag ck-pay-settings
 *
 * @fires {CustomEvent<Settings>} ck-pay-settings-saved - The settings were saved.
 *
 * @csspart form - The settings form.
 */
export class CkPaySettings extends CkElement {
  static override styles = [baseStyles, formStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  #settings = new ManagedList(this, {
    permission: 'agency.settings',
    load: (client, signal) => client.get<Settings>('/agency/pay-settings', undefined, signal),
  });

  #onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const body: Record<string, unknown> = {};
    for (const s of SWITCHES) body[s.name] = data.get(s.name) === 'on';
    for (const n of NUMBERS) body[n.name] = Number(data.get(n.name));
    const reminders = String(data.get('offerReminderDays') ?? '').split(',').map((d) => d.trim()).filter(Boolean).map(Number);
    const minPayment = dollarsToCents(String(data.get('minPayment') ?? ''));
    if (reminders.some((d) => !Number.isInteger(d)) || minPayment === undefined) {
      this.#settings.invalid('Some fields need a look.', {
        ...(reminders.some((d) => !Number.isInteger(d)) ? { offerReminderDays: 'Whole days, separated by commas (at most three).' } : {}),
        ...(minPayment === undefined ? { minPaymentCents: 'An amount like 1.00.' } : {}),
      });
      return;
    }
    Object.assign(body, {
      offerReminderDays: reminders, minPaymentCents: minPayment,
      agencyName: String(data.get('agencyName') ?? '').trim(), payPageUrl: String(data.get('payPageUrl') ?? '').trim(),
      brandColor: String(data.get('brandColor') ?? ''), supportLine: String(data.get('supportLine') ?? '').trim(),
    });
    void this.#settings.change('save', (client) => client.request<Settings>('PUT', '/agency/pay-settings', { body }), {
      done: (saved) => {
        this.emit('ck-pay-settings-saved', saved);
        return 'Pay settings saved.';
      },
    });
  };

  #error(name: string) {
    return html`<span class="error" id="${name}-error">${this.#settings.fieldErrors[name] ?? ''}</span>`;
  }

  #renderForm(s: Settings | null) {
    if (!s) return nothing;
    const { error, fieldErrors, message } = this.#settings;
    return html`
      <form part="form" novalidate aria-labelledby="pay-settings-title" @submit=${this.#onSubmit}>
        <fieldset>
          <legend>What the debtor's pay page offers</legend>
          ${SWITCHES.map(
            (w) => html`<div class="field">
              <label class="check"><input type="checkbox" name=${w.name} ?checked=${s[w.name]} aria-describedby="${w.name}-hint" />${w.text}</label>
              <span class="hint" id="${w.name}-hint">${w.hint}</span>
            </div>`,
          )}
        </fieldset>
        <div class="grid-form">
          ${NUMBERS.map(
            (n) => html`<div class="field">
              <label for=${n.name}>${n.text}</label>
              <input id=${n.name} name=${n.name} type="number" min=${n.min} max=${n.max} required .value=${String(s[n.name])} aria-describedby="${n.name}-error" />
              ${this.#error(n.name)}
            </div>`,
          )}
          <div class="field">
            <label for="offerReminderDays">Offer reminders (days before expiry)</label>
            <input id="offerReminderDays" name="offerReminderDays" inputmode="numeric" .value=${s.offerReminderDays.join(', ')} aria-invalid=${fieldErrors.offerReminderDays ? 'true' : 'false'} aria-describedby="offerReminderDays-error" />
            ${this.#error('offerReminderDays')}
          </div>
          <div class="field">
            <label for="minPayment">Smallest payment ($)</label>
            <input id="minPayment" name="minPayment" inputmode="decimal" .value=${(s.minPaymentCents / 100).toFixed(2)} aria-invalid=${fieldErrors.minPaymentCents ? 'true' : 'false'} aria-describedby="minPaymentCents-error" />
            ${this.#error('minPaymentCents')}
          </div>
          <div class="field"><label for="agencyName">Payee name</label><input id="agencyName" name="agencyName" .value=${s.agencyName} aria-describedby="agencyName-error" />${this.#error('agencyName')}</div>
          <div class="field"><label for="payPageUrl">Pay page address</label><input id="payPageUrl" name="payPageUrl" type="url" placeholder="The portal's own /pay" .value=${s.payPageUrl} aria-describedby="payPageUrl-error" />${this.#error('payPageUrl')}</div>
          <div class="field"><label for="brandColor">Pay page colour</label><input id="brandColor" name="brandColor" type="color" .value=${s.brandColor} /></div>
          <div class="field"><label for="supportLine">Support line</label><input id="supportLine" name="supportLine" maxlength="300" .value=${s.supportLine} /></div>
        </div>
        <p class="alert" role="alert">${error}</p>
        <p class="hint" role="status" data-field="saved">${message}</p>
        <button class="primary" type="submit" ?disabled=${this.#settings.busy('save')}>${this.#settings.busy('save') ? 'Saving…' : 'Save pay settings'}</button>
      </form>
    `;
  }

  override render() {
    if (!this.#settings.allowed) return nothing;
    return html`
      <section class="panel" aria-label="Pay settings">
        <h2 id="pay-settings-title">Pay settings</h2>
        ${this.#settings.render('Loading the pay settings…', (s) => this.#renderForm(s))}
      </section>
    `;
  }
}

CkPaySettings.define('ck-pay-settings');

declare global {
  interface HTMLElementTagNameMap {
    'ck-pay-settings': CkPaySettings;
  }
}
