/**
 * The debtor's language on the API: the routes under /pay answer in it (problem details, documents,
 * the card frame). It is the debtor's choice as the request states it: an explicit `lang` (query or,
 * set by a route, the body), else `Accept-Language` (ck-pay-form sends its own `lang` there), else
 * the language stored for the debtor, else English. Everything else on the API speaks English.
 */
import type Koa from 'koa';
import { hasKey, pickLang, say, type Lang, type Params } from '../../../i18n/catalogue.js';
import type { ProblemWords } from '../../../i18n/en/problems.js';
import { AppError, type FieldError } from '../errors.js';
import type { AppState } from './context.js';

export type ProblemKey = keyof ProblemWords & string;

/** A catalogue message: its key and parameters (the English text is what the log and agency callers read). */
export interface Words {
  key: ProblemKey;
  params?: Params;
}

const DEBTOR_PATH = /^\/api\/v1\/pay(\/|$)/;

/** The language a debtor route answers in; null on other routes (they answer in English). */
export function requestLang(ctx: Koa.ParameterizedContext<AppState>, stored?: string | null): Lang | null {
  if (!DEBTOR_PATH.test(ctx.path)) return null;
  if (ctx.state.lang) return ctx.state.lang;
  const query = typeof ctx.query.lang === 'string' ? ctx.query.lang : null;
  return pickLang(query, ctx.get('Accept-Language'), stored) ?? 'en';
}

/** An error whose detail comes from the catalogue (problems module), rendered in the debtor's language on debtor routes. */
export class SaidError extends AppError {
  constructor(status: number, code: string, readonly words: Words, errors?: FieldError[], headers?: Record<string, string>) {
    super(status, code, say('en', 'problems', words.key, words.params), errors, headers);
  }
}

export const said = (status: number, code: string, key: ProblemKey, params?: Params, errors?: FieldError[]) => new SaidError(status, code, { key, params }, errors);

/** A field error from the catalogue. */
export const fieldSaid = (path: string, code: string, key: ProblemKey, params?: Params): FieldError => ({ path, code, message: say('en', 'problems', key, params), words: { key, params } });

/** A problem's title in a language (the HTTP reason phrase in English). */
export function problemTitle(status: number, lang: Lang): string {
  const key = `title_${status}`;
  return say(lang, 'problems', hasKey('problems', key) ? key : 'title_other');
}

/** A field error as a debtor reads it: from its words, else a generic one in Spanish (zod's messages are English). */
export function localFieldError(e: FieldError, lang: Lang | null): FieldError {
  const { words, ...plain } = e;
  if (!lang) return plain;
  if (words) return { ...plain, message: say(lang, 'problems', words.key as ProblemKey, words.params) };
  if (lang === 'en') return plain;
  return { ...plain, message: say(lang, 'problems', e.code === 'unknown_field' ? 'unknownField' : 'fieldInvalid') };
}

/** Every `declineMessage` beside its `declineCode` in an answer, in the debtor's language. */
function localizeDeclines(value: unknown, lang: Lang, message: (code: string | null, lang: Lang) => string | null): void {
  if (Array.isArray(value)) {
    for (const item of value) localizeDeclines(item, lang, message);
  } else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const o = value as Record<string, unknown>;
    if ('declineCode' in o && 'declineMessage' in o) o.declineMessage = message((o.declineCode as string | null) ?? null, lang);
    for (const v of Object.values(o)) if (v && typeof v === 'object') localizeDeclines(v, lang, message);
  }
}

/**
 * Mounted inside the problem middleware: a debtor route's JSON answer names declines in the debtor's
 * language (problems are worded by the problem middleware itself).
 */
export function debtorLangMiddleware(message: (code: string | null, lang: Lang) => string | null): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    const lang = requestLang(ctx);
    if (lang && lang !== 'en' && ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body)) localizeDeclines(ctx.body, lang, message);
  };
}
