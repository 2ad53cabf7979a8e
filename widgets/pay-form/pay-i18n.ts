/**
 * The pay form's words come from the shared catalogue (i18n/, one per language, server and widget
 * alike); only the browser's part of it (i18n/<lang>/pay-form.ts) is bundled here.
 */
import { payForm as en, type PayFormWords } from '../../i18n/en/pay-form.js';
import { payForm as es } from '../../i18n/es/pay-form.js';
import { interpolate, type Lang, type Params } from '../../i18n/lang.js';

export type { Lang };
export type MessageKey = keyof PayFormWords;
const MESSAGES: Record<Lang, PayFormWords> = { en, es };

/** `t('payNow', { amount: '$5.00' })` in the element's language. */
export function translate(lang: Lang, key: MessageKey, values: Params = {}): string {
  return interpolate(MESSAGES[lang][key], values);
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

/** Every message in one language (tests check a Spanish run shows none of the English ones). */
export const allMessages = (lang: Lang): Record<string, string> => ({ ...MESSAGES[lang] });
