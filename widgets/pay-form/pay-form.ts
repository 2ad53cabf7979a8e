import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CkElement } from '../internal/ck-element.js';
import { ApiError, defaultApiBase, toProblem } from '../internal/api-client.js';
import { formatDate, formatMoney } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { payFormStyles } from './pay-form.styles.js';
// the validation information and the dispute form, shown before any payment step
import '../dispute-form/dispute-form.js';
import { isMessageKey, translate, type Lang, type MessageKey } from './pay-i18n.js';
import { brandName, stepNumber, type Step } from './pay-steps.js';
import { agreementView } from './pay-agreement-view.js';
import { receiptEmail, receiptSentence, type ReceiptEmail } from './pay-receipt.js';
import {
  PayApi, newIdempotencyKey, type DebtorSession, type IdentitySessions, type Offer, type OfferAccepted, type OfferPreview, type PayAccount, type PayMethod,
  type Payment, type PaymentPreview,
} from './pay-api.js';

/** Detail of `ck-payment-succeeded` (and of the cancelable `ck-payment-request` before it). */
export interface PaymentDetail {
  /** the payment(s) made or scheduled; a plan has one per instalment */
  payments: Payment[];
  planId: string | null;
}

type MethodTab = 'card' | 'ach' | 'wallet';

const STEP_TITLES: Record<Step, MessageKey> = {
  find: 'stepFind', choose: 'stepFind', account: 'stepAccount', contact: 'stepContact', offers: 'stepOffers', amount: 'stepAmount', method: 'stepMethod',
  review: 'stepReview', done: 'stepDone', payments: 'stepPayments',
};
const TABS: MethodTab[] = ['card', 'ach', 'wallet'];

/** A payment's status as the debtor reads it: Paid / Pending / Declined (with the retry date) / Cancelled. */
type PlanView = { id: string; status: string; schedule: (Payment & { planStatus: string })[] };

/**
 * The whole debtor payment flow, mobile first: find the account (a personalised link, or account
 * number / SSN last 4 with date of birth and ZIP), optional contact review, offers (settlement or
 * plan), amount and date, payment method (card and bank details are typed in a frame served by the
 * portal, so this page never sees them), review and e-signature of the agreement, confirmation with
 * a printable receipt. English and Spanish (`lang`). The server checks every rule.
 *
 * @summary Debtor payment flow: find account, offers, amount, method, sign, receipt.
 * @tag ck-pay-form
 *
 * @fires {CustomEvent<PaymentDetail>} ck-payment-request - Cancelable, before money moves; `preventDefault()` stops it.
 * @fires {CustomEvent<PaymentDetail>} ck-payment-succeeded - A payment was made or scheduled, or an offer accepted.
 *
 * @csspart base - The card around the flow.
 * @csspart heading - The step heading (focused on each step for screen readers).
 * @csspart progress - "Step n of m".
 * @csspart field - A label, input and error group.
 * @csspart input - A text input.
 * @csspart field-error - The error under a field.
 * @csspart error - The flow-level error, a polite live region.
 * @csspart button - Every button.
 * @csspart submit - The primary button of a step.
 * @csspart offer - An offer card.
 * @csspart frame - The secure card/bank frame.
 * @csspart agreement - The agreement text.
 * @csspart receipt - The confirmation and receipt.
 *
 * @cssprop --ck-color-primary - Background of the primary button.
 * @cssprop --ck-color-danger - Colour of errors.
 * @cssprop --ck-color-surface - Background of the card and inputs.
 * @cssprop --ck-radius - Corner radius.
 */
export class CkPayForm extends CkElement {
  static override styles = [baseStyles, formStyles, payFormStyles];

  /** Base URL of the portal API (default: the script tag's `data-api`, else this page's origin). */
  @property() api = '';

  /** Language of the flow: `en` or `es`. */
  @property({ reflect: true }) override lang: Lang = 'en';

  /** A personalised payment link token; when absent, `#link=…` in the page address is used. */
  @property() link = '';

  @state() private step: Step = 'find';
  @state() private busy = false;
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private findBy: 'account' | 'ssn' = 'account';
  @state() private choices: IdentitySessions['sessions'] = [];
  @state() private account: PayAccount | null = null;
  @state() private offer: Offer | null = null;
  @state() private amountText = '';
  @state() private payOn = '';
  @state() private methodTab: MethodTab = 'card';
  @state() private method: PayMethod | null = null;
  @state() private preview: PaymentPreview | OfferPreview | null = null;
  @state() private typedName = '';
  @state() private agreed = false;
  @state() private email = '';
  @state() private result: PaymentDetail | null = null;
  /** the E-SIGN statement (issue 9) and whether the debtor agreed to electronic delivery of the receipt */
  @state() private esign: { version: string; title: string; text: string; consented: boolean } | null = null;
  @state() private consentEmail = false;
  /** after a gateway failure (not the card's fault) the same method may be tried again */
  @state() private retrySame = false;
  @state() private plan: PlanView | null = null;
  /** the plan or payment whose cancellation waits for a second, confirming press */
  @state() private confirmCancel = '';
  @state() private notice = '';
  /** opened from a personalised link: there was no "Find your account" step */
  @state() private viaLink = false;
  /** when the receipt email goes (or went), from the server (the 8 am–9 pm window may hold it) */
  @state() private receipt: ReceiptEmail | null = null;
  /** after a decline for the security code or the expiry: the card's token is kept and the frame asks only for that */
  @state() private fixCard: { methodId: string; field: 'cvc' | 'expiry'; label: string } | null = null;

  #api: PayApi | null = null;
  #idempotencyKey = '';
  #onMessage = (event: MessageEvent) => this.#frameMessage(event);

  /** The account in the current debtor session, once found. */
  get payAccount(): PayAccount | null {
    return this.account;
  }

  /**
   * Continues another form's debtor session on this page (a `ck-pay-button` dialog beside the inline
   * form): the same account, no second identity check. Only forms that talk to the same portal.
   */
  continueFrom(other: CkPayForm): boolean {
    if (!other.account || !other.#client.token || other.#client.base !== this.#client.base || this.account) return false;
    this.#client.token = other.#client.token;
    this.account = other.account;
    this.viaLink = other.viaLink;
    this.offer = other.offer;
    this.amountText = other.amountText;
    this.payOn = other.payOn;
    this.step = (['account', 'contact', 'offers', 'amount'] as Step[]).includes(other.step) ? other.step : 'account';
    return true;
  }

  #t(key: MessageKey, values?: Record<string, string | number>): string {
    return translate(this.lang === 'es' ? 'es' : 'en', key, values);
  }

  /** the language the agreement is rendered and signed in */
  get #lang(): Lang {
    return this.lang === 'es' ? 'es' : 'en';
  }

  #money(cents: number): string {
    return formatMoney(cents, 'USD', this.lang === 'es' ? 'es-US' : 'en-US');
  }

  get #client(): PayApi {
    const base = this.api || defaultApiBase();
    if (!this.#api || this.#api.base !== base) this.#api = new PayApi(base);
    return this.#api;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.#onMessage);
    const fromHash = /(?:^#|&)link=([\w-]+)/.exec(location.hash)?.[1] || '';
    const link = this.link || fromHash;
    // keep the token out of the address bar (bookmarks, screenshots, a shared screen)
    if (fromHash) history.replaceState(history.state, '', location.pathname + location.search);
    if (link) void this.#openLink(link);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('message', this.#onMessage);
    super.disconnectedCallback();
  }

  protected override updated(changed: PropertyValues): void {
    // the card frame speaks the element's language, switched mid-flow too
    if (changed.has('lang') && changed.get('lang') !== undefined) {
      this.#initFrame();
      // the agreement is signed in the language it is read in: fetch it again in the new one
      if (this.step === 'review' && this.method) void this.#useMethod(this.method);
    }
    if (changed.has('step')) {
      // Move focus to the new step's heading so keyboard and screen-reader users follow along.
      const heading = this.shadowRoot?.querySelector<HTMLElement>('h2');
      if (heading && changed.get('step') !== undefined) heading.focus();
    }
  }

  async #run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.formError = '';
    try {
      return await work();
    } catch (error) {
      const problem = toProblem(error);
      this.fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      this.formError = Object.keys(this.fieldErrors).length ? '' : problem.detail;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  async #openLink(link: string): Promise<void> {
    await this.#run(async () => {
      const session = await this.#client.request<DebtorSession>('POST', '/pay/session/link', { linkToken: link });
      this.viaLink = true;
      await this.#useSession(session.token);
    });
  }

  async #find(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const value = (k: string) => String(data.get(k) ?? '').trim();
    const required = this.findBy === 'account' ? ['accountNumber', 'dob', 'zip'] : ['ssnLast4', 'dob', 'zip'];
    const missing = Object.fromEntries(required.filter((k) => !value(k)).map((k) => [k, this.#t('required')]));
    this.fieldErrors = missing;
    if (Object.keys(missing).length) return;
    await this.#run(async () => {
      const body = { ...(this.findBy === 'account' ? { accountNumber: value('accountNumber') } : { ssnLast4: value('ssnLast4') }), dob: value('dob'), zip: value('zip') };
      const found = await this.#client.request<IdentitySessions>('POST', '/pay/session/identity', body);
      if (found.sessions.length === 1) await this.#useSession(found.sessions[0]!.token);
      else {
        this.choices = found.sessions;
        this.step = 'choose';
      }
    });
  }

  async #useSession(token: string): Promise<void> {
    this.#client.token = token;
    this.account = await this.#client.request<PayAccount>('GET', '/pay/account');
    this.amountText = (this.account.payable.amountCents / 100).toFixed(2);
    // who is owed what and why, with the way to dispute it, before any payment step
    this.step = 'account';
  }

  #afterAccount(): void {
    this.formError = '';
    this.step = this.account!.options.contactReviewStep ? 'contact' : this.#afterContact();
  }

  /** The statuses view: every payment and, for a plan, each instalment. */
  async #openPayments(): Promise<void> {
    await this.#run(async () => {
      this.account = await this.#client.request<PayAccount>('GET', '/pay/account');
      const planId = this.account.activePlanId ?? this.account.payments.find((p) => p.planId)?.planId ?? null;
      this.plan = planId ? await this.#client.request<PlanView>('GET', `/pay/plans/${planId}`) : null;
      this.confirmCancel = '';
      this.step = 'payments';
    });
  }

  async #cancel(kind: 'plan' | 'payment', id: string): Promise<void> {
    if (this.confirmCancel !== id) {
      this.confirmCancel = id;
      return;
    }
    const done = await this.#run(async () => {
      await this.#client.request('POST', kind === 'plan' ? `/pay/plans/${id}/cancel` : `/pay/payments/${id}/cancel`, {});
      return true;
    });
    if (done) {
      await this.#openPayments();
      this.notice = this.#t(kind === 'plan' ? 'planCancelled' : 'paymentCancelled');
    }
  }

  /** A decline in the debtor's language, from the code (the server's sentence is English). */
  #declineReason(code: string | null | undefined, fallback: string): string {
    const key = `decline_${code ?? ''}`;
    return isMessageKey(key) ? this.#t(key) : fallback;
  }

  /** A decline the card's own details caused (security code, expiry): keep the token, ask for that detail only. */
  #fixFor(code: string | null | undefined): typeof this.fixCard {
    const field = code === 'incorrect_cvc' ? 'cvc' : code === 'expired_card' ? 'expiry' : null;
    const m = this.method;
    this.fixCard = field && m?.kind === 'card' ? { methodId: m.id, field, label: `${brandName(m.brand)} •••• ${m.last4}` } : null;
    if (this.fixCard) this.methodTab = 'card';
    return this.fixCard;
  }

  #afterContact(): Step {
    return this.account && this.account.offers.length ? 'offers' : 'amount';
  }

  #chooseOffer(offer: Offer | null): void {
    this.offer = offer;
    this.payOn = '';
    this.step = offer ? 'method' : 'amount';
  }

  #amountCents(): number | null {
    const match = /^\s*\$?\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(this.amountText);
    if (!match) return null;
    return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  }

  #submitAmount(event: SubmitEvent): void {
    event.preventDefault();
    const cents = this.#amountCents();
    if (cents === null || cents <= 0) {
      this.fieldErrors = { amountCents: this.#t('invalidAmount') };
      return;
    }
    this.fieldErrors = {};
    this.step = 'method';
  }

  #frameMessage(event: MessageEvent): void {
    const frame = this.shadowRoot?.querySelector('iframe');
    if (!frame || event.source !== frame.contentWindow) return;
    if (event.origin !== new URL(this.#client.apiRoot, location.href).origin) return;
    const data = event.data as { type?: string; height?: number; method?: PayMethod };
    if (data.type === 'ck-pay-frame-ready') this.#initFrame();
    else if (data.type === 'ck-pay-frame-height' && data.height) frame.style.height = `${Math.ceil(data.height) + 8}px`;
    else if (data.type === 'ck-pay-method' && data.method) void this.#useMethod(data.method);
  }

  #initFrame(): void {
    const frame = this.shadowRoot?.querySelector('iframe');
    if (!frame?.contentWindow) return;
    const origin = new URL(this.#client.apiRoot, location.href).origin;
    const fix = this.methodTab === 'card' && this.fixCard ? { fix: this.fixCard } : {};
    frame.contentWindow.postMessage({ type: 'ck-pay-init', token: this.#client.token, kind: this.methodTab === 'ach' ? 'ach' : 'card', lang: this.lang, ...fix }, origin);
  }

  #selectTab(id: MethodTab): void {
    if (this.methodTab === id) return;
    this.methodTab = id;
    queueMicrotask(() => this.#initFrame());
  }

  /** The tablist's keys (WAI-ARIA tabs, automatic activation): arrows move and select, Home and End go to the ends. */
  #tabKey = (event: KeyboardEvent): void => {
    const at = TABS.indexOf(this.methodTab);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1 + TABS.length, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const id = TABS[next % TABS.length]!;
    this.#selectTab(id);
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  };

  async #wallet(): Promise<void> {
    await this.#run(async () => {
      const method = await this.#client.request<PayMethod>('POST', '/pay/methods', { kind: 'wallet', walletToken: 'sandbox-wallet-approve' });
      await this.#useMethod(method);
    });
  }

  /** A method is chosen: ask the server for the agreement (and let it check amount, date and method). */
  async #useMethod(method: PayMethod): Promise<void> {
    this.method = method;
    this.fixCard = null;
    // a new agreement text must be accepted anew
    this.agreed = false;
    await this.#run(async () => {
      this.#idempotencyKey = newIdempotencyKey();
      this.preview = this.offer
        ? await this.#client.request<OfferPreview>('POST', `/pay/offers/${this.offer.id}/preview`, { lang: this.#lang, paymentMethodId: method.id })
        : await this.#client.request<PaymentPreview>('POST', '/pay/payments/preview', { lang: this.#lang, amountCents: this.#amountCents(), paymentMethodId: method.id, ...(this.payOn ? { scheduledFor: this.payOn } : {}) });
      if (!this.esign) {
        const e = await this.#client.request<{ statement: { version: string; title: string; text: string }; consent: { channels: { email: boolean } } | null }>('GET', '/pay/esign').catch(() => null);
        if (e) this.esign = { ...e.statement, consented: Boolean(e.consent?.channels.email) };
      }
      this.step = 'review';
    });
    // an amount or date the server refused: back to that step with its message
    if (this.step === 'method' && (this.fieldErrors.amountCents || this.fieldErrors.scheduledFor)) this.step = 'amount';
  }

  async #pay(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const errors: Record<string, string> = {};
    if (this.typedName.trim().length < 2) errors.typedName = this.#t('required');
    if (!this.agreed) errors.agreed = this.#t('mustAgree');
    if (this.consentEmail && !this.email && this.esign && !this.esign.consented) errors.email = this.#t('consentNeedsEmail');
    this.fieldErrors = errors;
    if (Object.keys(errors).length || !this.preview || !this.method) return;
    const agreement = { typedName: this.typedName.trim(), textHash: this.preview.agreement.textHash };
    const request = this.emit<PaymentDetail>('ck-payment-request', { payments: [], planId: null }, { cancelable: true });
    if (request.defaultPrevented) return;
    const done = await this.#run(async () => {
      // E-SIGN: the receipt goes by email only with the debtor's consent, given here affirmatively
      if (this.email && this.consentEmail && this.esign && !this.esign.consented) {
        await this.#client.request('POST', '/pay/esign/consent', { statementVersion: this.esign.version, agree: true, channels: { email: true, sms: false }, email: this.email });
        this.esign = { ...this.esign, consented: true };
      }
      try {
        if (this.offer) {
          const accepted = await this.#client.request<OfferAccepted>('POST', `/pay/offers/${this.offer.id}/accept`, { lang: this.#lang, paymentMethodId: this.method!.id, ...(this.email ? { email: this.email } : {}), agreement }, this.#idempotencyKey);
          return { payments: accepted.payments, planId: accepted.planId };
        }
        const payment = await this.#client.request<Payment>('POST', '/pay/payments', {
          lang: this.#lang, amountCents: this.#amountCents(), paymentMethodId: this.method!.id, ...(this.payOn ? { scheduledFor: this.payOn } : {}), ...(this.email ? { email: this.email } : {}), agreement,
        }, this.#idempotencyKey);
        return { payments: [payment], planId: null };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'payment_declined') {
          const problem = error.problem as typeof error.problem & { retrySameMethod?: boolean; payment?: Payment };
          const reason = this.#declineReason(problem.payment?.declineCode, problem.detail);
          const lead = this.offer?.kind === 'plan' ? this.#t('planDeclined', { reason }) : this.#t('declined', { reason });
          // a new attempt is a new request: a fresh key, so the declined answer is not replayed
          this.#idempotencyKey = newIdempotencyKey();
          if (problem.retrySameMethod) {
            // the gateway failed, not the card: the same method again, nothing retyped
            this.retrySame = true;
            throw new ApiError({ ...error.problem, errors: [], detail: `${lead} ${this.#t('trySame')}` });
          }
          this.retrySame = false;
          const fix = this.#fixFor(problem.payment?.declineCode);
          this.step = 'method';
          this.method = null;
          throw new ApiError({ ...error.problem, errors: [], detail: `${lead} ${fix ? this.#t(fix.field === 'cvc' ? 'retypeCvc' : 'retypeExpiry') : this.#t('tryAnother')}` });
        }
        throw error;
      }
    });
    if (!done) return;
    const declinedFirst = done.payments[0]?.status === 'declined' || done.payments[0]?.declineCode;
    if (declinedFirst && done.payments[0]?.status !== 'succeeded' && !done.planId) {
      this.step = 'method';
      this.formError = `${this.#t('declined', { reason: done.payments[0]!.declineMessage ?? '' })} ${this.#t('tryAnother')}`;
      return;
    }
    this.retrySame = false;
    this.result = done;
    this.receipt = null;
    this.notice = '';
    this.step = 'done';
    void this.#loadReceipt();
    this.emit<PaymentDetail>('ck-payment-succeeded', done);
  }

  // ---- rendering ----

  #field(name: string, label: string, input: TemplateResult, hint?: string): TemplateResult {
    const error = this.fieldErrors[name] ?? '';
    return html`<div class="field" part="field">
      <label for=${name} part="label">${label}</label>
      ${input}
      ${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : nothing}
      <span class="error" part="field-error" id="${name}-error">${error}</span>
    </div>`;
  }

  #described(name: string, hint = false): string {
    return [hint ? `${name}-hint` : '', this.fieldErrors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  }

  #renderFind(): TemplateResult {
    const input = (name: string, attrs: { type?: string; inputmode?: string; autocomplete?: string; maxlength?: number } = {}) => html`<input
      id=${name} name=${name} part="input" type=${attrs.type ?? 'text'} inputmode=${attrs.inputmode ?? nothing} autocomplete=${attrs.autocomplete ?? 'off'}
      maxlength=${attrs.maxlength ?? nothing} aria-invalid=${this.fieldErrors[name] ? 'true' : 'false'} aria-describedby=${this.#described(name) || nothing}>`;
    return html`<form @submit=${this.#find} novalidate>
      <fieldset>
        <legend>${this.#t('findBy')}</legend>
        <label class="radio"><input type="radio" name="findBy" .checked=${this.findBy === 'account'} @change=${() => { this.findBy = 'account'; this.fieldErrors = {}; }}> ${this.#t('byAccount')}</label>
        <label class="radio"><input type="radio" name="findBy" .checked=${this.findBy === 'ssn'} @change=${() => { this.findBy = 'ssn'; this.fieldErrors = {}; }}> ${this.#t('bySsn')}</label>
      </fieldset>
      ${this.findBy === 'account'
        ? this.#field('accountNumber', this.#t('accountNumber'), input('accountNumber'))
        : this.#field('ssnLast4', this.#t('ssnLast4'), input('ssnLast4', { inputmode: 'numeric', maxlength: 4 }))}
      ${this.#field('dob', this.#t('dob'), input('dob', { type: 'date', autocomplete: 'bday' }))}
      ${this.#field('zip', this.#t('zip'), input('zip', { inputmode: 'numeric', autocomplete: 'postal-code', maxlength: 5 }))}
      <div class="actions"><button class="primary" part="button submit" type="submit" ?disabled=${this.busy}>${this.busy ? this.#t('opening') : this.#t('find')}</button></div>
    </form>`;
  }

  #renderChoose(): TemplateResult {
    return html`<div class="stack">
      ${this.choices.map((c) => html`<button part="button" type="button" @click=${() => this.#run(() => this.#useSession(c.token))}>
        ${c.account.creditor} — ${this.#t('account')} ${c.account.agencyAccountNumber}</button>`)}
    </div>`;
  }

  #renderAccountSummary(): TemplateResult {
    const a = this.account!;
    return html`<dl class="summary">
      <dt>${this.#t('owedTo')}</dt><dd>${a.creditor}</dd>
      <dt>${this.#t('account')}</dt><dd>${a.agencyAccountNumber}</dd>
      <dt>${this.#t('balance')}</dt><dd data-field="balance">${this.#money(a.balance.amountCents)}</dd>
    </dl>
    ${a.payments.length ? html`<button part="button" type="button" id="my-payments" @click=${() => this.#openPayments()}>${this.#t('myPayments', { n: a.payments.length })}</button>` : nothing}`;
  }

  #renderAccount(): TemplateResult {
    return html`<div class="stack">
      ${this.#renderAccountSummary()}
      <p>${this.#t('validationIntro')}</p>
      <ck-dispute-form part="dispute" .debtor=${this.#client} lang=${this.lang} account-id=${this.account!.id}></ck-dispute-form>
      <div class="actions"><button class="primary" part="button submit" type="button" id="to-payment" @click=${() => this.#afterAccount()}>${this.#t('continueToPay')}</button></div>
    </div>`;
  }

  #statusLabel(p: Payment & { planStatus?: string }): string {
    if (p.status === 'succeeded') return this.#t('statusPaid');
    if (p.status === 'cancelled') return this.#t('statusCancelled');
    if (p.status === 'declined' || p.status === 'failed') return this.#t('statusDeclined');
    // declined once and tried again later: say so, with the date
    if (p.status === 'scheduled' && p.declineCode && p.scheduledFor) return this.#t('statusRetry', { date: formatDate(p.scheduledFor, this.lang) });
    return this.#t('statusPending');
  }

  #renderPayments(): TemplateResult {
    const a = this.account!;
    const plan = this.plan;
    const row = (p: Payment, label: string, cancel?: TemplateResult) => html`<li data-payment=${p.id} data-status=${p.status}>
      <span>${label}: ${this.#money(p.amount.amountCents)} — ${formatDate(p.scheduledFor ?? p.createdAt, this.lang)}</span>
      <strong part="status">${this.#statusLabel(p)}</strong>${cancel ?? nothing}</li>`;
    const cancelButton = (kind: 'plan' | 'payment', id: string) => html`<button part="button" type="button" data-cancel=${id} @click=${() => this.#cancel(kind, id)}>
      ${this.confirmCancel === id ? this.#t(kind === 'plan' ? 'confirmCancelPlan' : 'confirmCancelPayment') : this.#t(kind === 'plan' ? 'cancelPlan' : 'cancelPayment')}</button>`;
    // outside the plan shown: one-time and scheduled payments, and what was taken or declined under an earlier plan
    // (its never-charged instalments, cancelled with it, are not payments the debtor made)
    const loose = a.payments.filter((p) => !p.planId || (p.planId !== plan?.id && p.status !== 'cancelled'));
    return html`<div class="stack">
      <p class="success" role="status">${this.notice}</p>
      ${plan ? html`<section aria-labelledby="plan-title" part="plan">
        <h3 id="plan-title">${this.#t('planTitle')} — ${this.#t(plan.status === 'active' ? 'planActive' : plan.status === 'paused' ? 'planPaused' : plan.status === 'completed' ? 'planCompleted' : 'planCancelledStatus')}</h3>
        <ol class="statuses">${plan.schedule.map((p, i) => row(p, this.#t('instalment', { n: i + 1 })))}</ol>
        ${plan.status === 'active' ? cancelButton('plan', plan.id) : nothing}
      </section>` : nothing}
      ${loose.length ? html`<section aria-labelledby="payments-title"><h3 id="payments-title">${this.#t('paymentsTitle')}</h3>
        <ul class="statuses">${loose.map((p) => row(p, this.#t('payment'), p.status === 'scheduled' && p.kind === 'scheduled' ? cancelButton('payment', p.id) : undefined))}</ul>
      </section>` : nothing}
      <div class="actions"><button part="button" type="button" @click=${() => { this.notice = ''; this.step = this.result ? 'done' : 'account'; }}>${this.#t('back')}</button></div>
    </div>`;
  }

  async #saveContact(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const email = String(data.get('newEmail') ?? '').trim();
    const mobile = String(data.get('newMobile') ?? '').trim();
    if (!email && !mobile) {
      this.step = this.#afterContact();
      return;
    }
    const saved = await this.#run(async () => {
      const contact = await this.#client.request<PayAccount['contact']>('POST', '/pay/contact', { ...(email ? { email } : {}), ...(mobile ? { mobile } : {}) });
      this.account = { ...this.account!, contact: { ...this.account!.contact, emails: contact.emails, phones: contact.phones } };
      return true;
    });
    if (saved) {
      this.fieldErrors = {};
      this.step = this.#afterContact();
    } else if (this.fieldErrors.email || this.fieldErrors.mobile) {
      this.fieldErrors = { newEmail: this.fieldErrors.email ?? '', newMobile: this.fieldErrors.mobile ?? '' };
    }
  }

  #renderContact(): TemplateResult {
    const c = this.account!.contact;
    const input = (name: string, type: string, autocomplete: string) => html`<input id=${name} name=${name} type=${type} part="input" autocomplete=${autocomplete}
      aria-invalid=${this.fieldErrors[name] ? 'true' : 'false'} aria-describedby=${this.#described(name) || nothing}>`;
    return html`<form @submit=${this.#saveContact} novalidate>
      <p>${this.#t('contactIntro')}</p>
      <dl class="summary">
        ${c.emails.map((e) => html`<dt>${this.#t('email')}</dt><dd>${e}</dd>`)}
        ${c.phones.map((p) => html`<dt>${this.#t('phone')}</dt><dd>${p.number}</dd>`)}
      </dl>
      ${this.#field('newEmail', this.#t('newEmail'), input('newEmail', 'email', 'email'))}
      ${this.#field('newMobile', this.#t('newMobile'), input('newMobile', 'tel', 'tel'))}
      <div class="actions"><button class="primary" part="button submit" type="submit" ?disabled=${this.busy}>${this.#t('looksRight')}</button></div>
    </form>`;
  }

  #renderOffers(): TemplateResult {
    const a = this.account!;
    return html`<div class="stack">
      ${this.#renderAccountSummary()}
      ${a.offers.map((o) => html`<section class="card" part="offer" aria-labelledby="offer-${o.id}">
        <h3 id="offer-${o.id}">${o.kind === 'settlement'
          ? this.#t('offerSettlement', { amount: this.#money(o.amount.amountCents) })
          : this.#t('offerPlan', { n: o.instalments ?? 0, amount: this.#money(o.instalmentAmountCents ?? 0) })}</h3>
        <p>${o.kind === 'settlement'
          ? this.#t('offerSettlementDetail', { percent: o.percent ?? 0, savings: this.#money(o.savings.amountCents), date: formatDate(o.payBy, this.lang) })
          : this.#t('offerPlanDetail', { frequency: this.#t((o.frequency ?? 'monthly') as MessageKey), balance: this.#money(o.amount.amountCents) })}</p>
        <p class="hint">${this.#t('offerExpires', { date: formatDate(o.expiresOn, this.lang) })}</p>
        <button class="primary" part="button" type="button" @click=${() => this.#chooseOffer(o)}>${this.#t('acceptOffer')}</button>
      </section>`)}
      ${a.options.allowSkipOffer ? html`<div class="actions"><button part="button" type="button" @click=${() => this.#chooseOffer(null)}>${this.#t('skipOffer')}</button></div>` : nothing}
    </div>`;
  }

  #renderAmount(): TemplateResult {
    const a = this.account!;
    const today = new Date().toISOString().slice(0, 10);
    const last = new Date(Date.now() + a.options.maxScheduleDays * 86_400_000).toISOString().slice(0, 10);
    return html`<form @submit=${this.#submitAmount} novalidate>
      ${this.#renderAccountSummary()}
      ${this.#field('amountCents', this.#t('amount'), html`<input id="amountCents" name="amount" part="input" inputmode="decimal" autocomplete="transaction-amount"
          .value=${this.amountText} @input=${(e: Event) => { this.amountText = (e.target as HTMLInputElement).value; }}
          aria-invalid=${this.fieldErrors.amountCents ? 'true' : 'false'} aria-describedby=${this.#described('amountCents', true)}>`,
        this.#t('amountHint', { min: this.#money(a.minPayment.amountCents), max: this.#money(a.payable.amountCents) }))}
      ${this.#amountCents() !== a.payable.amountCents && a.payable.amountCents > 0
        ? html`<button part="button" type="button" id="pay-all" @click=${() => { this.amountText = (a.payable.amountCents / 100).toFixed(2); this.fieldErrors = {}; }}>
            ${this.#t(a.payable.amountCents < a.balance.amountCents ? 'payRemaining' : 'fullBalance', { amount: this.#money(a.payable.amountCents) })}</button>`
        : nothing}
      ${a.options.schedulingEnabled && !a.activePlanId
        ? this.#field('scheduledFor', this.#t('payOn'), html`<input id="scheduledFor" type="date" part="input" min=${today} max=${last} .value=${this.payOn || today}
            @input=${(e: Event) => { const v = (e.target as HTMLInputElement).value; this.payOn = v > today ? v : ''; }}
            aria-invalid=${this.fieldErrors.scheduledFor ? 'true' : 'false'} aria-describedby=${this.#described('scheduledFor', true)}>`, this.#t('payOnHint', { days: a.options.maxScheduleDays }))
        : nothing}
      <div class="actions">
        ${a.offers.length ? html`<button part="button" type="button" @click=${() => { this.step = 'offers'; }}>${this.#t('back')}</button>` : nothing}
        <button class="primary" part="button submit" type="submit">${this.#t('continue')}</button>
      </div>
    </form>`;
  }

  #renderMethod(): TemplateResult {
    const a = this.account!;
    const tab = (id: MethodTab, label: MessageKey) => html`<button part="button tab" type="button" role="tab" id="tab-${id}" aria-selected=${this.methodTab === id ? 'true' : 'false'}
      tabindex=${this.methodTab === id ? '0' : '-1'} aria-controls="method-panel" @click=${() => this.#selectTab(id)} @keydown=${this.#tabKey}>${this.#t(label)}</button>`;
    return html`<div class="stack">
      ${a.savedMethods.length ? html`<fieldset><legend>${this.#t('savedMethods')}</legend>
        ${a.savedMethods.map((m) => html`<button part="button" type="button" @click=${() => this.#useMethod(m)}>${this.#t('useSaved', { brand: brandName(m.brand), last4: m.last4 })}</button>`)}
      </fieldset>` : nothing}
      <div class="tabs" role="tablist" aria-label=${this.#t('stepMethod')}>${tab('card', 'methodCard')}${tab('ach', 'tabBank')}${tab('wallet', 'methodWallet')}</div>
      <div id="method-panel" role="tabpanel" aria-labelledby="tab-${this.methodTab}">
        ${this.methodTab === 'wallet'
          ? html`<button class="primary" part="button" type="button" ?disabled=${this.busy} @click=${this.#wallet}>${this.#t('walletPay')}</button>`
          : html`<iframe part="frame" title=${this.#t('frameTitle')} src="${this.#client.apiRoot}/pay/frame" @load=${() => this.#initFrame()}></iframe>`}
      </div>
      <div class="actions"><button part="button" type="button" @click=${() => { this.step = this.offer ? 'offers' : 'amount'; this.formError = ''; }}>${this.#t('back')}</button></div>
    </div>`;
  }

  #renderReview(): TemplateResult {
    const p = this.preview!;
    const m = this.method!;
    const schedule = 'schedule' in p ? p.schedule : null;
    const total = schedule ? schedule.reduce((s, c) => s + c.amountCents, 0) : (p as PaymentPreview).amount.amountCents;
    const date = schedule ? schedule[0]!.date : (p as PaymentPreview).scheduledFor;
    const label = this.offer ? this.#t('acceptAndSign') : date ? this.#t('schedule', { amount: this.#money(total) }) : this.#t('payNow', { amount: this.#money(total) });
    return html`<form @submit=${this.#pay} novalidate>
      <dl class="summary">
        <dt>${this.#t('paying')}</dt><dd data-field="amount">${this.#money(total)}</dd>
        <dt>${this.#t('on')}</dt><dd>${date ? formatDate(date, this.lang) : this.#t('today')}</dd>
        <dt>${this.#t('with')}</dt><dd>${brandName(m.brand)} •••• ${m.last4}</dd>
      </dl>
      ${schedule && schedule.length > 1 ? html`<section aria-label=${this.#t('schedulePlan')}><ol>${schedule.map((c) => html`<li>${formatDate(c.date, this.lang)} — ${this.#money(c.amountCents)}</li>`)}</ol></section>` : nothing}
      <div>
        <h3 id="agreement-title">${this.#t('agreement')}</h3>
        ${agreementView(p.agreement.text, 'agreement-title')}
      </div>
      ${this.#field('email', this.#t('emailReceipt'), html`<input id="email" name="email" type="email" part="input" autocomplete="email" .value=${this.email}
          @input=${(e: Event) => { this.email = (e.target as HTMLInputElement).value.trim(); }} aria-invalid=${this.fieldErrors.email ? 'true' : 'false'} aria-describedby=${this.#described('email') || nothing}>`)}
      ${this.esign && !this.esign.consented ? html`<div class="field" part="field">
        <label class="radio"><input type="checkbox" id="consentEmail" .checked=${this.consentEmail} @change=${(e: Event) => { this.consentEmail = (e.target as HTMLInputElement).checked; }}> ${this.#t('consentEmail')}</label>
        <details><summary>${this.esign.title}</summary><p class="hint" style="white-space:pre-wrap">${this.esign.text}</p></details>
      </div>` : nothing}
      ${this.#field('typedName', this.#t('typedName'), html`<input id="typedName" name="typedName" part="input" autocomplete="name" .value=${this.typedName}
          @input=${(e: Event) => { this.typedName = (e.target as HTMLInputElement).value; }} aria-invalid=${this.fieldErrors.typedName ? 'true' : 'false'} aria-describedby=${this.#described('typedName') || nothing}>`)}
      <div class="field" part="field">
        <label class="radio"><input type="checkbox" id="agreed" .checked=${this.agreed} @change=${(e: Event) => { this.agreed = (e.target as HTMLInputElement).checked; }}
          aria-invalid=${this.fieldErrors.agreed ? 'true' : 'false'} aria-describedby=${this.#described('agreed') || nothing}> ${this.#t('agree')}</label>
        <span class="error" part="field-error" id="agreed-error">${this.fieldErrors.agreed ?? ''}</span>
      </div>
      <div class="actions">
        <button part="button" type="button" @click=${() => { this.step = 'method'; this.retrySame = false; }}>${this.#t('back')}</button>
        <button class="primary" part="button submit" type="submit" ?disabled=${this.busy}>${this.busy ? this.#t('processing') : this.retrySame ? this.#t('tryAgain', { brand: brandName(m.brand), last4: m.last4 }) : label}</button>
      </div>
    </form>`;
  }

  #renderDone(): TemplateResult {
    const r = this.result!;
    const first = r.payments[0]!;
    const message = r.planId ? this.#t('planThanks') : first.status === 'scheduled' ? this.#t('scheduledThanks') : this.#t('thanks');
    return html`<div class="stack" part="receipt">
      <p class="success">${message}</p>
      <dl class="summary">
        ${r.payments.map((p, i) => html`
          ${r.payments.length > 1 ? html`<dt>${this.#t('instalment', { n: i + 1 })}</dt><dd>${formatDate(p.scheduledFor ?? p.createdAt, this.lang)} — ${this.#money(p.amount.amountCents)}</dd>` : html`
          <dt>${this.#t('paying')}</dt><dd data-field="paid">${this.#money(p.amount.amountCents)}</dd>`}
          ${p.receiptNumber ? html`<dt>${this.#t('receipt')}</dt><dd data-field="receipt">${p.receiptNumber}</dd>` : nothing}`)}
        <dt>${this.#t('with')}</dt><dd>${brandName(first.method.brand)} •••• ${first.method.last4}</dd>
      </dl>
      ${first.status === 'scheduled' && !r.planId ? html`<p data-field="scheduled-on">${this.#t('scheduledOn', { amount: this.#money(first.amount.amountCents), date: formatDate(first.scheduledFor, this.lang) })}</p>` : nothing}
      ${this.#renderReceiptEmail()}
      <div class="actions">
        <button part="button" type="button" @click=${() => window.print()}>${this.#t('print')}</button>
        <button part="button" type="button" id="see-payments" @click=${() => this.#openPayments()}>${this.#t('seePayments')}</button>
      </div>
    </div>`;
  }

  /** When the receipt email comes, and "send it now" / "again". */
  #renderReceiptEmail(): TemplateResult | typeof nothing {
    const r = this.receipt;
    if (!r || r.status === 'none' || !r.to) return nothing;
    const sentence = receiptSentence(r, (k, v) => this.#t(k, v), this.lang);
    return html`<p class="hint" data-field="receipt-email" role="status">${this.notice || sentence}</p>
      ${r.canRequest ? html`<button part="button" type="button" id="receipt-now" ?disabled=${this.busy} @click=${() => this.#sendReceipt()}>
        ${this.#t(r.status === 'waiting' ? 'receiptSendNow' : 'receiptResend')}</button>` : nothing}`;
  }

  async #loadReceipt(send = false): Promise<void> {
    const paid = this.result?.payments.find((p) => p.status === 'succeeded');
    if (!paid) return;
    const got = await this.#run(() => receiptEmail(this.#client, paid.id, send));
    if (got) this.receipt = got;
  }

  async #sendReceipt(): Promise<void> {
    await this.#loadReceipt(true);
    if (this.receipt && !this.formError) this.notice = this.#t('receiptOnItsWay', { email: this.receipt.to ?? '' });
  }

  override render(): TemplateResult {
    const body: Record<Step, () => TemplateResult> = {
      find: () => this.#renderFind(), choose: () => this.#renderChoose(), account: () => this.#renderAccount(), contact: () => this.#renderContact(), offers: () => this.#renderOffers(),
      amount: () => this.#renderAmount(), method: () => this.#renderMethod(), review: () => this.#renderReview(), done: () => this.#renderDone(),
      payments: () => this.#renderPayments(),
    };
    const a = this.account;
    const progress = stepNumber(this.step, {
      viaLink: this.viaLink, contactReview: Boolean(a?.options.contactReviewStep), hasOffers: Boolean(a?.offers.length), offerChosen: Boolean(this.offer),
    });
    return html`<div part="base" lang=${this.lang}>
      <h2 part="heading" tabindex="-1">${this.#t(STEP_TITLES[this.step])}</h2>
      ${progress ? html`<p class="progress" part="progress">${this.#t('stepOf', progress)}</p>` : nothing}
      <p class="alert" part="error" role="alert" aria-live="polite">${this.formError}</p>
      <p class="visually-hidden" aria-live="polite">${this.busy ? this.#t('processing') : ''}</p>
      ${body[this.step]()}
    </div>`;
  }
}

CkPayForm.define('ck-pay-form');

declare global {
  interface HTMLElementTagNameMap {
    'ck-pay-form': CkPayForm;
  }
  interface GlobalEventHandlersEventMap {
    'ck-payment-succeeded': CustomEvent<PaymentDetail>;
    'ck-payment-request': CustomEvent<PaymentDetail>;
  }
}
