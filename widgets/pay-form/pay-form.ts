import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CkElement } from '../internal/ck-element.js';
import { ApiError, defaultApiBase, toProblem } from '../internal/api-client.js';
import { formatMoney } from '../internal/format.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { payFormStyles } from './pay-form.styles.js';
import { translate, type Lang, type MessageKey } from './pay-i18n.js';
import {
  readFind, renderAccount, renderChoose, renderContact, renderFind, renderOffers, saveContact,
} from './pay-account-steps.js';
import { declineOutcome, type DeclinedProblem } from './pay-decline.js';
import { PayFrameChannel } from './pay-frame-channel.js';
import { renderDone, renderStatuses, type PlanView } from './pay-statuses.js';
import { renderLangSwitch, type PayView } from './pay-view.js';
import { stepNumber, type Step } from './pay-steps.js';
import { amountCents, amountError, amountText, renderAmount } from './pay-amount-step.js';
import { addWallet, methodLabel, previewWith, renderMethod, tabForKey, type MethodTab } from './pay-method-step.js';
import { loadEsign, renderReview, type Esign } from './pay-review-step.js';
import { receiptEmail, renderReceiptEmail, type ReceiptEmail } from './pay-receipt.js';
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

const STEP_TITLES: Record<Step, MessageKey> = {
  find: 'stepFind', choose: 'stepFind', account: 'stepAccount', contact: 'stepContact', offers: 'stepOffers', amount: 'stepAmount', method: 'stepMethod',
  review: 'stepReview', done: 'stepDone', payments: 'stepPayments',
};

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
 * @fires {CustomEvent<{lang: 'en' | 'es'}>} ck-lang-change - The debtor switched the language (the page may follow).
 *
 * @csspart base - The card around the flow.
 * @csspart lang-switch - The switch to the other language, named in that language.
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

  /**
   * The page has a language switch of its own (the portal's /pay page, an agency's page that follows
   * `ck-lang-change`): the form shows none, so a debtor does not meet two "Español" links.
   */
  @property({ type: Boolean, attribute: 'no-lang-switch' }) noLangSwitch = false;

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
  @state() private esign: Esign | null = null;
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
  #frame = new PayFrameChannel(this, () => this.#client.apiRoot,
    () => ({ token: this.#client.token, kind: this.methodTab === 'ach' ? 'ach' : 'card', lang: this.#lang, ...(this.methodTab === 'card' && this.fixCard ? { fix: this.fixCard } : {}) }),
    (method) => void this.#useMethod(method));

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
    // the server answers (problems, agreement, E-SIGN statement) in the form's language
    this.#api.lang = this.#lang;
    return this.#api;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const fromHash = /(?:^#|&)link=([\w-]+)/.exec(location.hash)?.[1] || '';
    const link = this.link || fromHash;
    // keep the token out of the address bar (bookmarks, screenshots, a shared screen)
    if (fromHash) history.replaceState(history.state, '', location.pathname + location.search);
    if (link) void this.#openLink(link);
  }

  protected override updated(changed: PropertyValues): void {
    // the card frame speaks the element's language, switched mid-flow too
    if (changed.has('lang') && changed.get('lang') !== undefined) {
      this.#initFrame();
      // the agreement and the E-SIGN statement are read in this language: fetch them again in the new one
      this.esign = null;
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
    const { body, missing } = readFind(event.target as HTMLFormElement, this.findBy);
    this.fieldErrors = Object.fromEntries(missing.map((k) => [k, this.#t('required')]));
    if (missing.length) return;
    await this.#run(async () => {
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
    this.amountText = amountText(this.account.payable.amountCents);
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

  /** A decline the card's own details caused (security code, expiry): keep the token, ask for that detail only. */
  #fixFor(code: string | null | undefined): typeof this.fixCard {
    const field = code === 'incorrect_cvc' ? 'cvc' : code === 'expired_card' ? 'expiry' : null;
    const m = this.method;
    this.fixCard = field && m?.kind === 'card' ? { methodId: m.id, field, label: methodLabel(m, this.#lang) } : null;
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

  #submitAmount(event: SubmitEvent): void {
    event.preventDefault();
    const error = amountError(this.#view(), this.amountText);
    this.fieldErrors = error ? { amountCents: error } : {};
    if (!error) this.step = 'method';
    // the focus stayed on Continue: it goes to the field to correct, which names its error (as ck-payment-link)
    else void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>('#amountCents')?.focus());
  }

  #initFrame(): void {
    this.#frame.init();
  }

  #selectTab(id: MethodTab): void {
    if (this.methodTab === id) return;
    this.methodTab = id;
    queueMicrotask(() => this.#initFrame());
  }

  /** The tablist's keys (WAI-ARIA tabs, automatic activation): arrows move and select, Home and End go to the ends. */
  #tabKey = (event: KeyboardEvent): void => {
    const id = tabForKey(this.methodTab, event.key);
    if (!id) return;
    event.preventDefault();
    this.#selectTab(id);
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  };

  async #wallet(): Promise<void> {
    await this.#run(async () => this.#useMethod(await addWallet(this.#client)));
  }

  /** A method is chosen: ask the server for the agreement (and let it check amount, date and method). */
  async #useMethod(method: PayMethod): Promise<void> {
    this.method = method;
    this.fixCard = null;
    // a new agreement text must be accepted anew
    this.agreed = false;
    await this.#run(async () => {
      this.#idempotencyKey = newIdempotencyKey();
      this.preview = await previewWith(this.#client, method, this.#lang, { offer: this.offer, amountCents: amountCents(this.amountText), payOn: this.payOn });
      if (!this.esign) this.esign = await loadEsign(this.#client);
      this.step = 'review';
    });
    // an amount or date the server refused: back to that step with its message, the focus on the
    // field to correct (after the step change has focused the heading), which names its error
    if (this.step === 'method' && (this.fieldErrors.amountCents || this.fieldErrors.scheduledFor)) {
      const field = this.fieldErrors.amountCents ? 'amountCents' : 'scheduledFor';
      this.step = 'amount';
      await this.updateComplete;
      this.shadowRoot?.querySelector<HTMLElement>(`#${field}`)?.focus();
    }
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
          lang: this.#lang, amountCents: amountCents(this.amountText), paymentMethodId: this.method!.id, ...(this.payOn ? { scheduledFor: this.payOn } : {}), ...(this.email ? { email: this.email } : {}), agreement,
        }, this.#idempotencyKey);
        return { payments: [payment], planId: null };
      } catch (error) {
        if (error instanceof ApiError && error.code === 'payment_declined') {
          const problem = error.problem as DeclinedProblem;
          // declined for the security code or the expiry: the card is kept, only that is asked again
          const fix = problem.retrySameMethod ? null : this.#fixFor(problem.payment?.declineCode);
          const outcome = declineOutcome(this.#view(), problem, this.offer?.kind === 'plan', fix ? (fix.field === 'cvc' ? 'retypeCvc' : 'retypeExpiry') : undefined);
          // a new attempt is a new request: a fresh key, so the declined answer is not replayed
          this.#idempotencyKey = newIdempotencyKey();
          // after a gateway failure the same method again, nothing retyped; else another method
          this.retrySame = outcome.retrySame;
          if (!outcome.retrySame) {
            this.step = 'method';
            this.method = null;
          }
          throw new ApiError({ ...error.problem, errors: [], detail: outcome.detail });
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

  /** what the step renderers in the other files read */
  #view(): PayView {
    return { lang: this.#lang, busy: this.busy, fieldErrors: this.fieldErrors, t: (key, values) => this.#t(key, values), money: (cents) => this.#money(cents) };
  }

  async #saveContact(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const saved = await this.#run(async () => {
      this.account = await saveContact(this.#client, this.account!, event.target as HTMLFormElement);
      return true;
    });
    if (saved) {
      this.fieldErrors = {};
      this.step = this.#afterContact();
    } else if (this.fieldErrors.email || this.fieldErrors.mobile) {
      this.fieldErrors = { newEmail: this.fieldErrors.email ?? '', newMobile: this.fieldErrors.mobile ?? '' };
    }
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
    const v = this.#view();
    const body: Record<Step, () => TemplateResult> = {
      find: () => renderFind(v, this.findBy, (by) => { this.findBy = by; this.fieldErrors = {}; }, (e) => this.#find(e)),
      choose: () => renderChoose(v, this.choices, (token) => void this.#run(() => this.#useSession(token))),
      account: () => renderAccount(v, this.account!, this.#client, () => this.#openPayments(), () => this.#afterAccount()),
      contact: () => renderContact(v, this.account!, (e) => this.#saveContact(e)),
      offers: () => renderOffers(v, this.account!, () => this.#openPayments(), (offer) => this.#chooseOffer(offer)),
      amount: () => renderAmount(v, this.account!, { amountText: this.amountText, payOn: this.payOn }, {
        onAmountText: (text) => { this.amountText = text; }, onPayAll: () => { this.amountText = amountText(this.account!.payable.amountCents); this.fieldErrors = {}; },
        onPayOn: (day) => { this.payOn = day; }, onPayments: () => this.#openPayments(), onBack: () => { this.step = 'offers'; }, onSubmit: (e) => this.#submitAmount(e),
      }),
      method: () => renderMethod(v, this.account!, this.methodTab, this.#client.apiRoot, {
        onSaved: (m) => void this.#useMethod(m), onTab: (id) => this.#selectTab(id), onTabKey: this.#tabKey, onWallet: () => void this.#wallet(),
        onFrameLoad: () => this.#initFrame(), onBack: () => { this.step = this.offer ? 'offers' : 'amount'; this.formError = ''; },
      }),
      review: () => renderReview(v, {
        preview: this.preview!, method: this.method!, offer: Boolean(this.offer), email: this.email, consentEmail: this.consentEmail, typedName: this.typedName,
        agreed: this.agreed, esign: this.esign, retrySame: this.retrySame, locale: this.lang,
      }, {
        onEmail: (email) => { this.email = email; }, onConsentEmail: (on) => { this.consentEmail = on; }, onTypedName: (name) => { this.typedName = name; },
        onAgreed: (on) => { this.agreed = on; }, onBack: () => { this.step = 'method'; this.retrySame = false; }, onSubmit: (e) => this.#pay(e),
      }),
      done: () => renderDone(v, this.result!, renderReceiptEmail(v, this.receipt, this.notice, () => this.#sendReceipt()), () => this.#openPayments()),
      payments: () => renderStatuses(v, { account: this.account!, plan: this.plan, confirmCancel: this.confirmCancel, notice: this.notice }, (kind, id) => this.#cancel(kind, id),
        () => { this.notice = ''; this.step = this.result ? 'done' : 'account'; }),
    };
    const a = this.account;
    const progress = stepNumber(this.step, {
      viaLink: this.viaLink, contactReview: Boolean(a?.options.contactReviewStep), hasOffers: Boolean(a?.offers.length), offerChosen: Boolean(this.offer),
    });
    return html`<div part="base" lang=${this.lang}>
      ${this.noLangSwitch ? nothing : renderLangSwitch(this.#lang, (to) => { this.lang = to; this.emit<{ lang: Lang }>('ck-lang-change', { lang: to }); })}
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
    'ck-lang-change': CustomEvent<{ lang: Lang }>;
  }
}
