import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { fileStoreFor } from '../platform/storage.js';
import { openStoredFile, sendOpenedFile } from '../platform/uploads/send-file.js';
import { now as clockNow } from '../platform/clock.js';
import { CreateExportBody, ExportIdParams, ReportExport, ReportKeyParams } from './reports.schema.js';
import { createExport, getExport, openExportFile } from './exports.service.js';

/** Report PDFs made in the background: ask, follow the progress, download (issue 21). */
export function exportRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/reports/:key/exports', tag: 'reports', auth: 'user', permission: 'reports.run', idempotent: true,
      summary: 'Export a report of up to 20,000 rows as PDF in the background: answers 202 with the export; follow it with GET reports/exports/{id}, then download its file. More rows: 422 too_many_rows_for_pdf (export CSV or XLSX). Audited.',
      params: ReportKeyParams,
      body: CreateExportBody,
      responses: { 202: ReportExport, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      handler: ({ caller, params, body, meta }) => createExport(db, caller, params.key, body, meta, clockNow()),
    }),
    route({
      method: 'get', path: '/reports/exports/:id', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'One of the caller\'s exports: its status and progress (rows and pages printed so far). Anyone else\'s is a 404.',
      params: ExportIdParams,
      responses: { 200: ReportExport, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getExport(db, caller, params.id),
    }),
    route({
      method: 'get', path: '/reports/exports/:id/file', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'The finished export\'s file (application/pdf; one Range is answered with 206). Not finished: 409 export_not_ready or export_failed; expired: 410 export_expired. Audited.',
      params: ExportIdParams,
      produces: 'application/pdf',
      responses: { 200: null, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 410: Problem, 416: Problem },
      handler: async ({ caller, params, meta, ctx }) => {
        const store = fileStoreFor(config);
        sendOpenedFile(ctx, await openExportFile(db, caller, meta, params.id, (file) => openStoredFile(ctx, store, file)));
        return undefined;
      },
    }),
  ];
}
