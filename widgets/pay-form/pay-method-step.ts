/**
 * The pay form's method step: a saved method, or a new one on the Card / Bank (ACH) / Wallet tabs
 * (WAI-ARIA tabs with automatic activation). Card and bank details are typed in the portal's frame,
 * so this page never sees them. It renders from the element's view and calls back into the element;
 * it keeps no state. Choosing a method asks the server for the preview and the agreement to sign.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { brandName } from '../../i18n/lang.js';
import type { Offer, OfferPreview, PayAccount, PayApi, PayMethod, PaymentPreview } from './pay-api.js';
import type { Lang, MessageKey } from './pay-i18n.js';
import type { PayView } from './pay-view.js';

export type MethodTab = 'card' | 'ach' | 'wallet';
const TABS: readonly MethodTab[] = ['card', 'ach', 'wallet'];

/** The tab a key selects: arrows move (and wrap around), Home and End go to the ends; undefined for any other key. */
export function tabForKey(current: MethodTab, key: string): MethodTab | undefined {
  const at = TABS.indexOf(current);
  const next = ({ ArrowRight: at + 1, ArrowLeft: at - 1 + TABS.length, Home: 0, End: TABS.length - 1 } as Record<string, number | undefined>)[key];
  return next === undefined ? undefined : TABS[next % TABS.length];
}

/** A method as the screen names it: "Visa •••• 4242". */
export const methodLabel = (m: { brand: string | null; last4: string | null }, lang: Lang): string => `${brandName(m.brand, lang)} •••• ${m.last4}`;

/** The sandbox wallet approves at once: its method, ready to preview. */
export const addWallet = (client: PayApi): Promise<PayMethod> =>
  client.request<PayMethod>('POST', '/pay/methods', { kind: 'wallet', walletToken: 'sandbox-wallet-approve' });

/** The review of a method: the server's preview with the agreement to sign (it checks the amount, the date and the method again). */
export function previewWith(client: PayApi, method: PayMethod, lang: Lang, chosen: { offer: Offer | null; amountCents: number | null; payOn: string }): Promise<PaymentPreview | OfferPreview> {
  return chosen.offer
    ? client.request<OfferPreview>('POST', `/pay/offers/${chosen.offer.id}/preview`, { lang, paymentMethodId: method.id })
    : client.request<PaymentPreview>('POST', '/pay/payments/preview', { lang, amountCents: chosen.amountCents, paymentMethodId: method.id, ...(chosen.payOn ? { scheduledFor: chosen.payOn } : {}) });
}

export interface MethodHandlers {
  onSaved(method: PayMethod): void;
  onTab(tab: MethodTab): void;
  onTabKey(event: KeyboardEvent): void;
  onWallet(): void;
  /** the frame loaded: tell it what to ask for */
  onFrameLoad(): void;
  onBack(): void;
}

/** `apiRoot`: the portal API the frame is served from. */
export function renderMethod(v: PayView, a: PayAccount, selected: MethodTab, apiRoot: string, on: MethodHandlers): TemplateResult {
  const tab = (id: MethodTab, label: MessageKey) => html`<button part="button tab" type="button" role="tab" id="tab-${id}" aria-selected=${selected === id ? 'true' : 'false'}
    tabindex=${selected === id ? '0' : '-1'} aria-controls="method-panel" @click=${() => on.onTab(id)} @keydown=${on.onTabKey}>${v.t(label)}</button>`;
  return html`<div class="stack">
    ${a.savedMethods.length ? html`<fieldset><legend>${v.t('savedMethods')}</legend>
      ${a.savedMethods.map((m) => html`<button part="button" type="button" @click=${() => on.onSaved(m)}>${v.t('useSaved', { brand: brandName(m.brand, v.lang), last4: m.last4 })}</button>`)}
    </fieldset>` : nothing}
    <div class="tabs" role="tablist" aria-label=${v.t('stepMethod')}>${tab('card', 'methodCard')}${tab('ach', 'tabBank')}${tab('wallet', 'methodWallet')}</div>
    <div id="method-panel" role="tabpanel" aria-labelledby="tab-${selected}">
      ${selected === 'wallet'
        ? html`<button class="primary" part="button" type="button" ?disabled=${v.busy} @click=${on.onWallet}>${v.t('walletPay')}</button>`
        : html`<iframe part="frame" title=${v.t('frameTitle')} src="${apiRoot}/pay/frame?lang=${v.lang}" @load=${on.onFrameLoad}></iframe>`}
    </div>
    <div class="actions"><button part="button" type="button" @click=${on.onBack}>${v.t('back')}</button></div>
  </div>`;
}
