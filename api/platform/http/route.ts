/**
 * One way to declare a route. A feature lists its routes as data (method, path, auth, permission,
 * zod schemas, handler); `mountRoutes` puts them on the Koa router and the same list feeds the
 * OpenAPI document, so a route cannot exist without being documented.
 *
 * The handler gets validated input and the caller; it never sees knex, and returns the body.
 */
import type Koa from 'koa';
import type Router from '@koa/router';
import { z, type ZodType } from 'zod';
import { badRequest, forbidden, unauthorized } from '../errors.js';
import { zodToFieldErrors } from './problem.js';
import { loadCaller } from '../auth/caller.js';
import { loadIntegrationCaller, type IntegrationScope } from '../auth/integration.js';
import { formFingerprint, withIdempotencyKey } from '../idempotency.js';
import { receiveForm } from '../uploads/receive.js';
import type { AppDeps, AppState, Caller, IntegrationCaller, RequestMeta } from './context.js';

/**
 * public: anyone; user: a signed-in user who finished onboarding; onboarding: a signed-in user,
 * even one who must still confirm the profile and change the issued password; integration: an
 * agency API key (never a user token), limited by the route's `scope`.
 */
export type RouteAuth = 'public' | 'user' | 'onboarding' | 'integration';

export interface RouteInput<P, Q, B, A extends RouteAuth> {
  params: P;
  query: Q;
  body: B;
  caller: A extends 'public' ? Caller | undefined : A extends 'integration' ? undefined : Caller;
  /** the API key's caller, on `auth: 'integration'` routes */
  integration: A extends 'integration' ? IntegrationCaller : undefined;
  meta: RequestMeta;
  ctx: Koa.ParameterizedContext<AppState>;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown, A extends RouteAuth = RouteAuth> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** path below /api/v1, Koa-router syntax: `/accounts/:id` */
  path: string;
  summary: string;
  tag: string;
  auth: A;
  permission?: string;
  /** for `auth: 'integration'`: the scope the key must hold */
  scope?: IntegrationScope;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /**
   * Bulk routes: the body is one record, a JSON array or NDJSON of records, handed to the handler
   * unparsed so that each record is validated on its own (per-record results); documented with this.
   */
  records?: ZodType;
  /**
   * a multipart/form-data body the handler reads itself (uploads): documented only, not parsed here.
   * With `body` too, the route takes either: JSON is validated as `body`, a multipart request is left
   * to the handler (its `body` is undefined). With `idempotent` and an Idempotency-Key, the form is
   * read here first (`receiveForm`, which the handler then calls for the same form) so that its
   * fields and file are the request's fingerprint; `checkAccess` and `principal` run before that, so
   * refuse there what must be refused before a byte is stored.
   */
  multipart?: ZodType;
  /** status → response schema (null for an empty body); the first 2xx is the success status */
  responses: Record<number, ZodType | null>;
  /** the response is not JSON (a file, a stream); described by its media type */
  produces?: string;
  /** honour an `Idempotency-Key` header: replay the stored response, 409 on reuse (idempotency.ts) */
  idempotent?: boolean;
  /**
   * Runs after the path is parsed and before the body is validated: checks that the resource in the
   * path is the caller's (throwing the 404), so another tenant's resource is a 404 whatever the body.
   */
  checkAccess?: (input: { params: P; caller: A extends 'public' ? Caller | undefined : Caller }) => Promise<void>;
  /**
   * For public routes whose caller is not a portal user (a debtor session): authenticates it and
   * returns `kind:id`, stored as ctx.state.principal before the Idempotency-Key is looked up, so
   * keys are scoped to that caller.
   */
  principal?: (deps: AppDeps, ctx: Koa.ParameterizedContext<AppState>) => Promise<string>;
  handler: (input: RouteInput<P, Q, B, A>) => Promise<unknown>;
}

// Each spec keeps its own type parameters; the list only needs them erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

export const route = <P, Q, B, A extends RouteAuth>(spec: RouteSpec<P, Q, B, A>): AnyRoute => spec;

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest('validation_failed', `The ${where} has missing or invalid fields.`, zodToFieldErrors(result.error, where === 'body' ? '' : where));
  }
  return result.data;
}

export function requestMeta(ctx: Koa.ParameterizedContext<AppState>): RequestMeta {
  const caller = ctx.state.caller;
  const integration = ctx.state.integration;
  return {
    actor: caller
      ? { type: 'user', id: caller.publicId }
      : integration
        ? { type: 'integration', id: integration.publicId }
        : { type: 'anonymous', id: null },
    ip: ctx.ip || null,
    requestId: ctx.state.requestId,
    userAgent: ctx.get('User-Agent').slice(0, 255) || null,
  };
}

async function authenticate(deps: AppDeps, spec: AnyRoute, ctx: Koa.ParameterizedContext<AppState>): Promise<void> {
  const header = ctx.get('Authorization');
  if (spec.auth === 'public') {
    if (header) ctx.state.caller = (await loadCaller(deps, header)) ?? undefined;
    return;
  }
  if (spec.auth === 'integration') {
    const integration = header ? await loadIntegrationCaller(deps, header) : null;
    if (!integration) throw unauthorized('Send a valid, unrevoked integration API key as Authorization: Bearer.', 'invalid_api_key');
    ctx.state.integration = integration;
    ctx.state.principal = `integration:${integration.publicId}`;
    if (spec.scope && !integration.scopes.has(spec.scope)) {
      throw forbidden(`This API key lacks the ${spec.scope} scope.`, 'insufficient_scope');
    }
    return;
  }
  const caller = header ? await loadCaller(deps, header) : null;
  if (!caller) throw unauthorized('Sign in to continue: the session is missing, expired or ended.');
  ctx.state.caller = caller;
  if (spec.auth === 'user' && caller.onboardingRequired) {
    throw forbidden('Confirm your profile and change the issued password first.', 'onboarding_required');
  }
  if (spec.permission && !caller.permissions.has(spec.permission)) {
    throw forbidden(`This needs the ${spec.permission} permission.`);
  }
}

export function successStatus(spec: AnyRoute): number {
  return Number(Object.keys(spec.responses).find((s) => Number(s) >= 200 && Number(s) < 300) ?? 200);
}

export function mountRoutes(router: Router<AppState>, deps: AppDeps, routes: AnyRoute[]): void {
  for (const spec of routes) {
    router[spec.method](spec.path, async (ctx) => {
      await authenticate(deps, spec, ctx);
      if (spec.principal) ctx.state.principal = await spec.principal(deps, ctx);
      const params = parse(spec.params, ctx.params, 'path');
      if (spec.checkAccess) await spec.checkAccess({ params, caller: ctx.state.caller });
      const query = parse(spec.query, ctx.query, 'query');
      const rawBody = (ctx.request as { body?: unknown }).body;
      const formHandledByRoute = spec.multipart !== undefined && Boolean(ctx.is('multipart/form-data'));
      const body = spec.records || formHandledByRoute ? rawBody : parse(spec.body, rawBody ?? (spec.body ? {} : undefined), 'body');
      const execute = async () => {
        const result = await spec.handler({ params, query, body, caller: ctx.state.caller, integration: ctx.state.integration, meta: requestMeta(ctx), ctx });
        if (ctx.body === undefined || ctx.body === null) {
          ctx.status = successStatus(spec);
          if (result !== undefined) ctx.body = result;
        }
      };
      if (!spec.idempotent) return execute();
      if (!formHandledByRoute || !ctx.get('Idempotency-Key')) return withIdempotencyKey(deps, ctx, execute);
      // A multipart body is fingerprinted by what it holds, so the form is read (its file streamed
      // into the store, measured on the way) before the key is looked up; the handler's receiveForm
      // gets this same form. Unless the handler ran and succeeded, the stored file is removed again
      // (a replay, a reused or busy key, a refusal); discarding twice is harmless.
      const form = await receiveForm(ctx, deps.config);
      let kept = false;
      try {
        await withIdempotencyKey(deps, ctx, async () => {
          await execute();
          kept = ctx.status < 400;
        }, formFingerprint(form));
      } finally {
        if (!kept) await form.discard();
      }
    });
  }
}

/** Shared schema pieces. Query strings arrive as strings; these coerce them carefully. */
export const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
