/**
 * JSON request bodies: size-limited, and every failure is a clear 400/413/415 instead of a 500.
 * Multipart uploads are left to the routes that take them (multer).
 */
import type Koa from 'koa';
import getRawBody from 'raw-body';
import { AppError, badRequest } from '../errors.js';
import type { AppState } from './context.js';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Bulk integration calls (up to 10,000 records) get a larger limit and may send NDJSON (one JSON
 * record per line), which arrives as an array like a JSON array would.
 */
const BULK = { prefix: '/api/v1/integration/', limit: '32mb' };

/**
 * Paths (full, under /api/v1) that also take an HTML-form body (application/x-www-form-urlencoded),
 * parsed to an object of strings: mail clients post RFC 8058 one-click unsubscribes that way.
 * Every other path keeps answering 415 to forms.
 */
const formPaths = new Set<string>();
export function acceptFormBody(path: string): void {
  formPaths.add(path);
}

/**
 * No request of ours nests deeper than a handful of levels. A body nested thousands deep parses
 * (JSON.parse does not recurse) but then overflows the stack of whatever walks it recursively —
 * JSON.stringify for the Idempotency-Key fingerprint, zod — as a 500 (found by tests/api/fuzz.test.ts).
 * So depth is checked here, without recursion, and a body deeper than this is a 400.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether `value` nests objects/arrays more than `max` levels deep (iterative: safe at any depth). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function refuseDeep(value: unknown, where: string): unknown {
  if (nestedDeeperThan(value, MAX_BODY_DEPTH)) {
    throw badRequest('body_too_deep', `${where} nests objects or arrays more than ${MAX_BODY_DEPTH} levels deep.`);
  }
  return value;
}

function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (err) {
      throw badRequest('malformed_json', `Line ${i + 1} of the NDJSON body is not valid JSON: ${(err as Error).message}`, [
        { path: `line.${i + 1}`, message: 'not valid JSON', code: 'malformed_json' },
      ]);
    }
    // outside the try: a line too deep is body_too_deep, not re-labelled as malformed JSON
    out.push(refuseDeep(record, `Line ${i + 1} of the NDJSON body`));
  }
  return out;
}

export function jsonBodyMiddleware(defaultLimit = '1mb'): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    const hasBody = METHODS_WITH_BODY.has(ctx.method) && (ctx.request.length ?? 0) > 0 || ctx.get('Transfer-Encoding');
    if (!hasBody || ctx.is('multipart/form-data')) return next();
    const bulk = ctx.path.startsWith(BULK.prefix);
    const limit = bulk ? BULK.limit : defaultLimit;
    const ndjson = bulk && Boolean(ctx.is('application/x-ndjson'));
    const isForm = Boolean(ctx.is('application/x-www-form-urlencoded')) && formPaths.has(ctx.path);
    if (!ndjson && !isForm && !ctx.is('application/json', 'application/*+json')) {
      throw new AppError(415, 'unsupported_media_type', bulk ? 'Send the request body as application/json or application/x-ndjson.' : 'Send the request body as application/json.');
    }
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit, encoding: 'utf8', length: ctx.request.length });
    } catch (err) {
      if ((err as { type?: string }).type === 'entity.too.large') {
        throw new AppError(413, 'body_too_large', `The request body is larger than ${limit}.`);
      }
      throw badRequest('unreadable_body', 'The request body could not be read.');
    }
    if (ndjson) {
      (ctx.request as { body?: unknown }).body = parseNdjson(text);
      return next();
    }
    if (isForm) {
      (ctx.request as { body?: unknown }).body = Object.fromEntries(new URLSearchParams(text));
      return next();
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch (err) {
      throw badRequest('malformed_json', `The request body is not valid JSON: ${(err as Error).message}`);
    }
    (ctx.request as { body?: unknown }).body = refuseDeep(body, 'The request body');
    await next();
  };
}
