import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { AuditPage, AuditQuery, CheckpointResponse, VerifyResponse } from './audit.schema.js';
import { queryAudit } from './audit.service.js';
import { auditCheckpoint, verifyAudit } from './audit-chain.js';
import { notFound } from '../platform/errors.js';

export function auditRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/agency/audit', tag: 'audit', auth: 'user', permission: 'audit.read',
      summary: 'The audit trail, newest first: filter by account, user, action and time range. Agency administrators.',
      query: AuditQuery, responses: { 200: AuditPage, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ query }) => queryAudit(db, query),
    }),
    route({
      method: 'get', path: '/agency/audit/verify', tag: 'audit', auth: 'user', permission: 'audit.read',
      summary: 'Seal pending rows and verify the whole hash chain; reports the first row that does not verify.',
      responses: { 200: VerifyResponse, 401: Problem, 403: Problem },
      handler: () => verifyAudit(db, config),
    }),
    route({
      method: 'get', path: '/agency/audit/checkpoint', tag: 'audit', auth: 'user', permission: 'audit.read',
      summary: 'Seal pending rows and return a signed checkpoint of the chain head. Keep it outside the portal: `admin audit-verify --checkpoint <file>` then detects rows removed from the end or a rewritten chain.',
      responses: { 200: CheckpointResponse, 401: Problem, 403: Problem, 404: Problem },
      handler: async () => {
        const checkpoint = await auditCheckpoint(db, config);
        if (!checkpoint) throw notFound('Audit trail');
        return checkpoint;
      },
    }),
  ];
}
