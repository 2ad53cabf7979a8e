/**
 * The error middleware, mounted first: every AppError and validation error becomes RFC 9457
 * problem+json; a database that cannot be reached is a 503 with Retry-After; anything else unexpected
 * becomes a generic 500 with the request id, its detail logged only.
 */
import type Koa from 'koa';
import { ZodError } from 'zod';
import { AppError, PROBLEM_TITLES, type FieldError } from '../errors.js';
import type { AppState } from './context.js';
import { hasKey, say, type Lang, type Params } from '../../../i18n/catalogue.js';
import { localFieldError, problemTitle, requestLang, SaidError, type ProblemKey, type Words } from './debtor-lang.js';
import { DB_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db-unavailable.js';

export function zodToFieldErrors(error: ZodError, prefix = ''): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, code: 'unknown_field', message: 'Unknown field.' }));
    }
    return [{ path: base, code: issue.code, message: issue.message }];
  });
}

/**
 * What an unexpected error may put in the log: its type, code and stack frames, but not the SQL a
 * driver error quotes with its bound values (passwords hashes, tokens, emails, names).
 */
export function redactForLog(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as { code?: unknown }).code;
  // knex prefixes the driver's message with the query and its bindings: "insert into … - UNIQUE …".
  // MySQL quotes the offending value too ("Duplicate entry 'a@b.example' for key …").
  const message = (err.message.includes(' - ') ? err.message.slice(err.message.lastIndexOf(' - ') + 3) : err.message).replace(/'[^']*'/g, "'…'");
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  return `${err.name}${typeof code === 'string' ? ` (${code})` : ''}: ${message.slice(0, 300)}\n${frames}`;
}

function problemBody(status: number, code: string, detail: string, requestId: string, errors: FieldError[] | undefined, lang: Lang | null) {
  return {
    type: `https://collectkit.dev/problems/${code.replace(/_/g, '-')}`,
    title: lang ? problemTitle(status, lang) : PROBLEM_TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors?.length ? { errors: errors.map((e) => localFieldError(e, lang)) } : {}),
    requestId,
  };
}

/** The catalogue words of an error: its own, or those of the generic not-found and too-many-requests errors. */
function wordsOf(err: AppError): Words | null {
  if (err instanceof SaidError) return err.words;
  if (err.code === 'too_many_requests') return { key: 'tooManyRequests' };
  if (err.code === 'not_found') {
    const key = `notFound_${/^(\w+) not found\.$/.exec(err.message)?.[1] ?? ''}`;
    return { key: hasKey('problems', key) ? key : 'notFound_Resource' };
  }
  return null;
}

export function problemMiddleware(): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, 'route_not_found', `No route for ${ctx.method} ${ctx.path}.`);
      }
      // The router's allowedMethods() answers a known path with another method by status alone
      // (Koa would send text/plain); its Allow header stays on the response.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        throw ctx.status === 405
          ? new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow') || 'none'}.`)
          : new AppError(501, 'method_not_implemented', `${ctx.method} is not a method this API implements.`);
      }
    } catch (err) {
      const requestId = ctx.state.requestId;
      // a debtor route answers in the debtor's language, from the catalogue; the others in English
      const lang = requestLang(ctx);
      const words = (key: ProblemKey, params?: Params) => say(lang ?? 'en', 'problems', key, params);
      let status = 500;
      let code = 'internal_error';
      let detail = words('internalError', { requestId });
      let errors: FieldError[] | undefined;
      if (err instanceof AppError) {
        ({ status, code } = err);
        const said = wordsOf(err);
        detail = said && lang ? words(said.key, said.params) : err.message;
        errors = err.errors;
        for (const [k, v] of Object.entries(err.headers ?? {})) ctx.set(k, v);
      } else if (err instanceof ZodError) {
        status = 400;
        code = 'validation_failed';
        detail = words('validationFailed');
        errors = zodToFieldErrors(err);
      } else if (isDatabaseUnavailable(err)) {
        // A database restart or failover: temporary, so a 503 the caller may retry, not a 500.
        status = 503;
        code = 'database_unavailable';
        detail = words('databaseUnavailable', { requestId });
        ctx.set('Retry-After', String(DB_RETRY_AFTER_SECONDS));
        console.error(`[${requestId}] database unavailable: ${redactForLog(err).split('\n')[0]}`);
      } else {
        // Never leak internals to the caller; the log has the stack, keyed by request id.
        console.error(`[${requestId}] unhandled error ${redactForLog(err)}`);
      }
      ctx.status = status;
      ctx.type = 'application/problem+json';
      ctx.body = problemBody(status, code, detail, requestId, errors, lang);
    }
  };
}
