/**
 * The one catalogue per language, whole: every string a debtor sees, server and widget alike, by
 * audience module. The browser never imports this file (it takes only i18n/<lang>/pay-form.ts and
 * dispute-form.ts); the API does. English and Spanish have the same modules and the same keys
 * (the Spanish modules are typed by the English ones; tests/api/i18n-catalogue.test.ts checks it at
 * run time too, placeholders included).
 */
import { payForm as enPayForm } from './en/pay-form.js';
import { disputeForm as enDisputeForm } from './en/dispute-form.js';
import { problems as enProblems } from './en/problems.js';
import { notices as enNotices } from './en/notices.js';
import { documents as enDocuments } from './en/documents.js';
import { pages as enPages } from './en/pages.js';
import { payForm as esPayForm } from './es/pay-form.js';
import { disputeForm as esDisputeForm } from './es/dispute-form.js';
import { problems as esProblems } from './es/problems.js';
import { notices as esNotices } from './es/notices.js';
import { documents as esDocuments } from './es/documents.js';
import { pages as esPages } from './es/pages.js';
import { interpolate, type Lang, type Params } from './lang.js';

const en = { payForm: enPayForm, disputeForm: enDisputeForm, problems: enProblems, notices: enNotices, documents: enDocuments, pages: enPages };
export type Catalogue = typeof en;
export type Module = keyof Catalogue;
const es: Catalogue = { payForm: esPayForm, disputeForm: esDisputeForm, problems: esProblems, notices: esNotices, documents: esDocuments, pages: esPages };

export const CATALOGUES: Record<Lang, Catalogue> = { en, es };

/** `say('es', 'problems', 'amountBetween', { min, max })`: one message, its `{named}` parameters filled. */
export function say<M extends Module>(lang: Lang, module: M, key: keyof Catalogue[M] & string, params?: Params): string {
  return interpolate((CATALOGUES[lang][module] as Record<string, string>)[key] ?? '', params);
}

/** A module's words in one language with the parameters left in (for a page that fills them itself). */
export const wordsOf = <M extends Module>(lang: Lang, module: M): Catalogue[M] => CATALOGUES[lang][module];

export const hasKey = <M extends Module>(module: M, key: string): key is keyof Catalogue[M] & string => Object.hasOwn(en[module], key);

export { interpolate, type Lang, type Params };
export { pickLang, isLang, money, longDate, brandName, LANGS } from './lang.js';
