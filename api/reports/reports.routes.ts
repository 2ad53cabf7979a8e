import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { CatalogueResponse, ReportKeyParams, ReportResult, RunReportBody } from './reports.schema.js';
import { listCatalogue, prepareRun, runReportJson } from './reports.service.js';
import { CONTENT_TYPES, exportReport, fileName } from './reports.export.js';
import { now as clockNow } from '../platform/clock.js';

export function reportRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/reports', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'The reports the caller may run, each with its typed parameters, columns and last snapshot date.',
      responses: { 200: CatalogueResponse, 401: Problem, 403: Problem },
      handler: ({ caller }) => listCatalogue(db, caller, clockNow()),
    }),
    route({
      method: 'post', path: '/reports/:key/run', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'Run a report over the caller\'s clients: a page of JSON for the screen (format json), or the whole report as a CSV, XLSX or PDF download (text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/pdf; streamed).',
      params: ReportKeyParams,
      body: RunReportBody,
      responses: { 200: ReportResult, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 503: Problem },
      handler: async ({ caller, params, body, ctx }) => {
        const now = clockNow();
        if (body.format === 'json') return runReportJson(db, caller, params.key, body, now);
        const run = await prepareRun(db, caller, params.key, body.parameters, now);
        const file = await exportReport(run, body.format, { chromiumPath: config.chromiumPath, given: body.parameters });
        ctx.set('Content-Type', CONTENT_TYPES[body.format]);
        ctx.set('Content-Disposition', `attachment; filename="${fileName(run, body.format)}"`);
        ctx.status = 200;
        ctx.body = file;
        return undefined;
      },
    }),
  ];
}
