import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import {
  CreateScheduleBody, DownloadQuery, RunParams, ScheduleRun, PageQuery, ReportKeyParams, Schedule, ScheduleIdParams, ScheduleList, SnapshotIdParams, SnapshotList, SnapshotView,
} from './reports.schema.js';
import { createSchedule, deleteSchedule, getScheduleRun, runScheduleNow, listSchedules, listSnapshots, readSnapshotFile, viewSnapshot } from './snapshots.service.js';
import { now as clockNow } from '../platform/clock.js';

export function snapshotRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/reports/schedules', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'The snapshot schedules of the caller\'s clients (agency users: all).',
      responses: { 200: ScheduleList, 401: Problem, 403: Problem },
      handler: ({ caller }) => listSchedules(db, caller),
    }),
    route({
      method: 'post', path: '/reports/:key/schedules', tag: 'reports', auth: 'user', permission: 'reports.schedule', idempotent: true,
      summary: 'Schedule daily, weekly or monthly snapshots of a report for one client (or, for the agency, all clients).',
      params: ReportKeyParams,
      body: CreateScheduleBody,
      responses: { 201: Schedule, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => createSchedule(db, caller, params.key, body, meta, clockNow()),
    }),
    route({
      method: 'delete', path: '/reports/schedules/:id', tag: 'reports', auth: 'user', permission: 'reports.schedule',
      summary: 'Stop a schedule. Snapshots already made are kept.',
      params: ScheduleIdParams,
      responses: { 204: null, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, meta }) => deleteSchedule(db, caller, params.id, meta),
    }),
    route({
      method: 'post', path: '/reports/schedules/:id/run', tag: 'reports', auth: 'user', permission: 'reports.schedule',
      summary: 'Make a snapshot of a schedule now ("Run now"), outside its periods. The job runner makes it: poll the run until it has succeeded, then open its snapshot.',
      params: ScheduleIdParams,
      responses: { 202: ScheduleRun, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, meta }) => runScheduleNow(db, caller, params.id, meta, clockNow()),
    }),
    route({
      method: 'get', path: '/reports/schedules/:id/runs/:runId', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'A "Run now" of a schedule: queued, running, succeeded (with the snapshot id) or failed.',
      params: RunParams,
      responses: { 200: ScheduleRun, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getScheduleRun(db, caller, params.id, params.runId),
    }),
    route({
      method: 'get', path: '/reports/:key/snapshots', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'Snapshots of a report, newest first, with the formats each can be downloaded in.',
      params: ReportKeyParams,
      query: PageQuery,
      responses: { 200: SnapshotList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, query }) => listSnapshots(db, caller, params.key, query.page, query.pageSize),
    }),
    route({
      method: 'get', path: '/reports/snapshots/:id', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'A snapshot as stored, for the on-screen view: one page of its rows.',
      params: SnapshotIdParams,
      query: PageQuery,
      responses: { 200: SnapshotView, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, query }) => viewSnapshot(db, caller, params.id, query.page, query.pageSize),
    }),
    route({
      method: 'get', path: '/reports/snapshots/:id/download', tag: 'reports', auth: 'user', permission: 'reports.run',
      summary: 'Download a snapshot in one of its formats (json, csv, xlsx, pdf).',
      params: SnapshotIdParams,
      query: DownloadQuery,
      produces: 'application/octet-stream',
      responses: { 200: null, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params, query, ctx }) => {
        const file = await readSnapshotFile(db, caller, params.id, query.format);
        ctx.set('Content-Type', file.contentType);
        ctx.set('Content-Disposition', `attachment; filename="${file.fileName}"`);
        ctx.status = 200;
        ctx.body = file.content;
        return undefined;
      },
    }),
  ];
}
