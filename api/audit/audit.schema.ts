/** Querying the audit trail (agency admins) and verifying its hash chain. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

export const AuditQuery = z.strictObject({
  accountId: z.string().min(5).max(40).optional().describe('an account public id: its actions'),
  userId: z.string().min(5).max(40).optional().describe('a user public id: what they did'),
  action: z.string().trim().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('from this instant (a date means its start, UTC)'),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('until this instant (a date means its end, UTC)'),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 200).default(50),
});
export type AuditFilter = z.output<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  sealed: z.boolean().describe('part of the hash chain already'),
});

export const AuditPage = z.object({ data: z.array(AuditEntry), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const VerifyResponse = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  pending: z.number().int(),
  broken: z.object({ chainSeq: z.number().int(), auditId: z.number().int(), reason: z.string() }).nullable(),
  checkpoint: z.object({ chainSeq: z.number().int(), ok: z.boolean(), reason: z.string().nullable() }).optional(),
});

export const CheckpointResponse = z.object({
  kind: z.literal('collectkit.audit-checkpoint'),
  chainSeq: z.number().int(),
  auditId: z.number().int(),
  hash: z.string(),
  at: z.string(),
  keyId: z.string().describe('the audit key (AUDIT_KEYS) that signed it'),
  signature: z.string(),
});
