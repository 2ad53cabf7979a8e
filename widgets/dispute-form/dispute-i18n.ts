/**
 * The dispute form's words come from the shared catalogue (i18n/, one per language, server and widget
 * alike); only the browser's part of it (i18n/<lang>/dispute-form.ts) is bundled here.
 */
import { disputeForm as en, type DisputeFormWords } from '../../i18n/en/dispute-form.js';
import { disputeForm as es } from '../../i18n/es/dispute-form.js';
import { interpolate, type Lang } from '../../i18n/lang.js';

export type { Lang };
export type MessageKey = keyof DisputeFormWords;
const TABLES: Record<Lang, DisputeFormWords> = { en, es };

/**
 * A message in `lang`; `staff` words it for portal users recording what a debtor said (the catalogue's
 * `staff_<key>` where there is one), the debtor's own words otherwise.
 */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string> = {}, staff = false): string {
  const table = TABLES[lang] as Record<string, string>;
  return interpolate((staff ? table[`staff_${key}`] : undefined) ?? table[key]!, values);
}

/** Every message in one language (tests check a Spanish run shows none of the English ones). */
export const allMessages = (lang: Lang): Record<string, string> => ({ ...TABLES[lang] });
