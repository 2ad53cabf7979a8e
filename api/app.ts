/**
 * createApp(deps) builds the Koa application and never listens (main.ts does; tests drive the app).
 * Order matters: request id, then the error middleware (so every failure is problem+json), then
 * CORS, body parsing, static files, and the feature routers under /api/v1.
 */
import Koa from 'koa';
import Router from '@koa/router';
import cors from '@koa/cors';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AppDeps, AppState } from './platform/http/context.js';
import { requestIdMiddleware } from './platform/http/request-id.js';
import { callerCacheFor, callerCacheStaleAfterWrites } from './platform/auth/caller-cache.js';
import { problemMiddleware } from './platform/http/problem.js';
import { jsonBodyMiddleware } from './platform/http/body.js';
import { serveStatic, serveWidgets } from './platform/http/static.js';
import { payPage } from './pay/pay-page.js';
import { inlineScriptHashes, securityHeaders } from './platform/http/security-headers.js';
import { mountRoutes, route, type AnyRoute } from './platform/http/route.js';
import { buildOpenApi } from './platform/http/openapi.js';
import { answerClientErrors } from './platform/http/client-error.js';
import type { Server } from 'node:http';
import { authRoutes } from './auth/auth.routes.js';
import { meRoutes } from './me/me.routes.js';
import { accountRoutes } from './accounts/accounts.routes.js';
import { healthRoutes } from './health/health.routes.js';
import { placementRoutes } from './placements/placements.routes.js';
import { batchRoutes } from './placements/batches.routes.js';
import { mfaRoutes } from './auth/mfa.routes.js';
import { passwordResetRoutes } from './auth/password-reset.routes.js';
import { usersAdminRoutes } from './users/users-admin.routes.js';
import { embedRoutes } from './auth/embed.routes.js';
import { integrationKeyRoutes } from './integration/keys.routes.js';
import { inboundRoutes } from './integration/inbound.routes.js';
import { feedRoutes } from './integration/feed.routes.js';
import { webhookRoutes } from './integration/webhooks.routes.js';
import { attachmentRoutes } from './attachments/attachments.routes.js';
import { collabRoutes } from './collab/collab.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { snapshotRoutes } from './reports/snapshots.routes.js';
import { exportRoutes } from './reports/exports.routes.js';
import { ledgerRoutes } from './ledger/ledger.routes.js';
import { accountStatusRoutes } from './account-status/account-status.routes.js';
import { noteRoutes } from './notes/notes.routes.js';
import { messageRoutes } from './messages/messages.routes.js';
import { inboxRoutes } from './inbox/inbox.routes.js';
import { contactRoutes } from './contact/contact.routes.js';
import { liveRoutes } from './live/live.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { agencyPayRoutes } from './pay/agency-pay.routes.js';
import { agencyWebhookRoutes } from './integration/agency-webhooks.routes.js';
import { payRoutes } from './pay/pay.routes.js';
import { complianceRoutes } from './compliance/compliance.routes.js';
import { payComplianceRoutes } from './compliance/pay-compliance.routes.js';
import { requireDebtor } from './pay/debtor-session.js';
import { declineMessage } from './pay/gateway/gateway.js';
import { debtorLangMiddleware } from './platform/http/debtor-lang.js';
import { PROJECT_ROOT } from './platform/project-root.js';

const ROOT = PROJECT_ROOT;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Every feature's routes, in one list: the router mounts it and the OpenAPI document describes it. */
export function allRoutes(deps: AppDeps): AnyRoute[] {
  const routes: AnyRoute[] = [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    ...meRoutes(deps),
    ...accountRoutes(deps),
    // batches first: GET /placements/batches must not be read as GET /placements/:id
    ...batchRoutes(deps),
    ...placementRoutes(deps),
    ...mfaRoutes(deps),
    ...passwordResetRoutes(deps),
    ...usersAdminRoutes(deps),
    ...embedRoutes(deps),
    ...integrationKeyRoutes(deps),
    ...inboundRoutes(deps),
    ...feedRoutes(deps),
    ...webhookRoutes(deps),
    ...attachmentRoutes(deps),
    ...collabRoutes(deps),
    ...reportRoutes(deps),
    ...snapshotRoutes(deps),
    ...exportRoutes(deps),
    ...ledgerRoutes(deps),
    ...accountStatusRoutes(deps),
    ...noteRoutes(deps),
    ...messageRoutes(deps),
    ...inboxRoutes(deps),
    ...contactRoutes(deps),
    ...liveRoutes(deps),
    ...auditRoutes(deps),
    ...payRoutes(deps),
    ...agencyPayRoutes(deps),
    ...agencyWebhookRoutes(deps),
    ...complianceRoutes(deps),
    // the debtor's side of compliance (E-SIGN consent, validation, disputes, opt-outs), authorised by the pay session
    ...payComplianceRoutes(deps, async (d, ctx) => {
      const session = await requireDebtor(d, ctx);
      return { accountPublicId: session.accountId, sessionId: session.sessionId };
    }),
  ];
  routes.push(
    route({
      method: 'get', path: '/openapi.json', tag: 'operations', auth: 'public',
      summary: 'This OpenAPI 3.1 document.',
      responses: { 200: z.object({ openapi: z.string() }).loose() },
      handler: async () => buildOpenApi(routes, { version: VERSION, serverUrl: deps.config.publicUrl }),
    }),
  );
  return routes;
}

export interface AppOptions {
  /** serve demo-site/ at / (npm start does; tests that need it say so) */
  serveDemoSite?: boolean;
}

function corsOrigin(allowed: string[]) {
  return (ctx: Koa.Context): string => {
    const origin = ctx.get('Origin');
    // `null` is what sandboxed frames, file: pages and some redirects send: never a registered origin.
    if (origin === 'null') return '';
    if (allowed.includes('*')) return origin || '*';
    return allowed.includes(origin) ? origin : '';
  };
}

export function createApp(deps: AppDeps, options: AppOptions = {}): Koa<AppState> {
  // Behind N proxies, only the N rightmost X-Forwarded-For entries were written by them (config.ts).
  const hops = deps.config.trustProxyHops ?? 0;
  const app = new Koa<AppState>({ proxy: hops > 0, maxIpsCount: hops });
  const api = new Router<AppState>({ prefix: '/api/v1' });
  mountRoutes(api, deps, allRoutes(deps));

  app.use(requestIdMiddleware());
  app.use(callerCacheStaleAfterWrites(callerCacheFor(deps.db)));
  app.use(problemMiddleware());
  // debtor routes answer in the debtor's language (problems are worded by the problem middleware)
  app.use(debtorLangMiddleware(declineMessage));
  app.use(securityHeaders(deps.config, { inlineScriptHashes: options.serveDemoSite ? inlineScriptHashes(`${ROOT}/demo-site`) : [] }) as Koa.Middleware<AppState>);
  // Tokens travel in the Authorization header, never cookies: credentials mode is not needed.
  app.use(cors({ origin: corsOrigin(deps.config.corsOrigins), allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'], exposeHeaders: ['X-Request-Id', 'Retry-After', 'Content-Disposition'], maxAge: 600 }) as Koa.Middleware<AppState>);
  app.use(serveWidgets(`${ROOT}/dist`));
  // the debtor pay page payment links open, in production too (not only with --demo)
  app.use(payPage(deps.db));
  if (options.serveDemoSite) app.use(serveStatic('', `${ROOT}/demo-site`));
  app.use(jsonBodyMiddleware());
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: false }));
  // What the HTTP parser refuses (a URL over 16 KB …) is problem+json too, on every server listen() makes.
  const listen = app.listen.bind(app) as (...args: unknown[]) => Server;
  app.listen = ((...args: unknown[]) => {
    const server = listen(...args);
    answerClientErrors(server);
    return server;
  }) as typeof app.listen;
  return app;
}
