/**
 * What the pay form's step renderers share: the words and money of the element's language, the busy
 * flag, the field errors, and one way to lay out a labelled field with its hint and error.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { translate, type Lang, type MessageKey } from './pay-i18n.js';

export interface PayView {
  lang: Lang;
  busy: boolean;
  fieldErrors: Record<string, string>;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  money(cents: number): string;
}

/** A label, its input, an optional hint and the error under it (linked by id for `aria-describedby`). */
export function renderField(fieldErrors: Record<string, string>, name: string, label: string, input: TemplateResult, hint?: string): TemplateResult {
  const error = fieldErrors[name] ?? '';
  return html`<div class="field" part="field">
    <label for=${name} part="label">${label}</label>
    ${input}
    ${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : nothing}
    <span class="error" part="field-error" id="${name}-error">${error}</span>
  </div>`;
}

/** The ids an input is described by: its hint, and its error when it has one. */
export function describedBy(fieldErrors: Record<string, string>, name: string, hint = false): string {
  return [hint ? `${name}-hint` : '', fieldErrors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
}

/** The switch to the other language, named in that language ("English" on a Spanish form), so a debtor can always get back. */
export function renderLangSwitch(lang: Lang, onSwitch: (to: Lang) => void): TemplateResult {
  const other: Lang = lang === 'es' ? 'en' : 'es';
  return html`<button class="lang-switch" part="lang-switch" type="button" id="form-lang-switch" lang=${other} @click=${() => onSwitch(other)}>${translate(other, 'switchTo')}</button>`;
}
