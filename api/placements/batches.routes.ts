import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { badRequest } from '../platform/errors.js';
import { zodToFieldErrors } from '../platform/http/problem.js';
import { Problem } from '../auth/auth.schema.js';
import { Batch, BatchIdParams, BatchList, BatchListQuery, BatchMappingDraft, BatchMappingSaved, BatchMappingStep, BatchStart, BatchUploaded, BatchUploadFields } from './batches.schema.js';
import { discardBatch, mappingStep, saveDraftMapping } from './batch-draft.js';
import { listBatches } from './batch-list.js';
import { createBatch, errorReport, getBatch, precheckUploadQuota, resumeBatch, rollbackBatch, startBatch } from './batches.service.js';
import { receiveSpreadsheet } from './batch-upload.js';
import { now as clockNow } from '../platform/clock.js';

export function batchRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/placements/batches', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'Upload a CSV or XLSX spreadsheet of accounts (multipart: file, clientId when the caller has several clients). Answers the columns, a suggested mapping (remembered per client) and sample rows.',
      responses: { 201: BatchUploaded, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 413: Problem, 415: Problem, 422: Problem },
      handler: async ({ ctx, caller, meta }) => {
        await precheckUploadQuota(db, config, caller, Number(ctx.get('Content-Length') || 0));
        const { file, fields } = await receiveSpreadsheet(ctx, config);
        const parsed = BatchUploadFields.safeParse(fields);
        if (!parsed.success) throw badRequest('validation_failed', 'The upload has invalid fields.', zodToFieldErrors(parsed.error));
        return createBatch(db, config, caller, meta, file, parsed.data.clientId, clockNow());
      },
    }),
    route({
      method: 'get', path: '/placements/batches', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: "The spreadsheets placed for the caller's clients, newest first (\"My placements\"): each run's status, counts and progress, who uploaded it, and how many of its placed rows the agency has accepted, rejected or not yet reviewed. `mine=true`: only the caller's own uploads.",
      query: BatchListQuery,
      responses: { 200: BatchList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listBatches(db, caller, query),
    }),
    route({
      method: 'get', path: '/placements/batches/:id', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'A batch and its progress (rows done / total) and counts: placed, invalid, duplicate.',
      params: BatchIdParams,
      responses: { 200: Batch, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getBatch(db, caller, params.id),
    }),
    route({
      method: 'get', path: '/placements/batches/:id/mapping', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'The mapping step of an upload not placed yet (uploaded, or only checked), to continue it later: the columns, the suggested mapping, sample rows and fields (as the upload answered them) and the mapping last saved (`savedMapping`, null when none). 409 once the batch has run or when its file is gone.',
      params: BatchIdParams,
      responses: { 200: BatchMappingStep, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params }) => mappingStep(db, config, caller, params.id),
    }),
    route({
      method: 'put', path: '/placements/batches/:id/mapping', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'Save the column mapping being edited (a draft: required fields may still be missing; every column named must be in the file), so the upload can be continued later. Keeps an unplaced upload from expiring while it is worked on.',
      params: BatchIdParams,
      body: BatchMappingDraft,
      responses: { 200: BatchMappingSaved, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, params, body }) => saveDraftMapping(db, caller, meta, params.id, body.mapping, clockNow()),
    }),
    route({
      method: 'delete', path: '/placements/batches/:id', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'Discard an upload not placed (uploaded, or only checked): the batch and its stored spreadsheet are deleted. 409 once rows may have been placed (roll back instead).',
      params: BatchIdParams,
      responses: { 204: null, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, params }) => discardBatch(db, config, caller, meta, params.id),
    }),
    route({
      method: 'post', path: '/placements/batches/:id/start', tag: 'placements', auth: 'user', permission: 'accounts.place', idempotent: true,
      summary: 'Run the batch with a column mapping: mode validate (dry run: counts + error report) or place (valid rows placed for review). Runs in the background; poll the batch for progress.',
      params: BatchIdParams,
      body: BatchStart,
      responses: { 202: Batch, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, params, body }) => startBatch(db, caller, meta, params.id, body, clockNow()),
    }),
    route({
      method: 'post', path: '/placements/batches/:id/resume', tag: 'placements', auth: 'user', permission: 'accounts.place', idempotent: true,
      summary: 'Continue a batch whose run stopped with a failure from its last checkpoint (rows already placed are not placed again).',
      params: BatchIdParams,
      responses: { 202: Batch, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, params }) => resumeBatch(db, caller, meta, params.id, clockNow()),
    }),
    route({
      method: 'post', path: '/placements/batches/:id/rollback', tag: 'placements', auth: 'user', permission: 'accounts.place', idempotent: true,
      summary: 'Take back every placement of the batch not yet reviewed (and stop a run in progress).',
      params: BatchIdParams,
      responses: { 200: Batch.extend({ removed: z.number().int(), kept: z.number().int() }), 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, meta, params }) => rollbackBatch(db, config, caller, meta, params.id, clockNow()),
    }),
    route({
      method: 'get', path: '/placements/batches/:id/errors.csv', tag: 'placements', auth: 'user', permission: 'accounts.place',
      summary: 'The error report: every row not placed, with its row number (header = row 1) and the reason.',
      params: BatchIdParams,
      produces: 'text/csv',
      responses: { 200: null, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ ctx, caller, params }) => {
        const { fileName, stream } = await errorReport(db, caller, params.id);
        ctx.type = 'text/csv; charset=utf-8';
        ctx.attachment(fileName);
        ctx.body = stream;
      },
    }),
  ];
}
