/** Reading the audit trail: by account, by user, by action and time range, newest first. */
import type { Db } from '../platform/db.js';
import { toIso } from '../platform/db.js';
import type { AuditFilter } from './audit.schema.js';
import type { AuditRow } from './audit-chain.js';

const parse = (json: string | null) => (json === null ? null : (JSON.parse(json) as unknown));
const dayStart = (d: string) => (d.length === 10 ? new Date(`${d}T00:00:00.000Z`) : new Date(d));
const dayEnd = (d: string) => (d.length === 10 ? new Date(`${d}T23:59:59.999Z`) : new Date(d));

export async function queryAudit(db: Db, f: AuditFilter) {
  const q = db('audit_log');
  // Rows about an account name it as the target (account.*); the trail of its tasks is reached by task id.
  if (f.accountId) q.where({ targetType: 'account', targetId: f.accountId });
  if (f.userId) q.where({ actorId: f.userId });
  if (f.action) q.where({ action: f.action });
  if (f.from) q.where('occurred_at', '>=', dayStart(f.from));
  if (f.to) q.where('occurred_at', '<=', dayEnd(f.to));
  const [rows, [{ n }]] = (await Promise.all([
    q.clone().orderBy('id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).select(),
    q.clone().count({ n: '*' }),
  ])) as [AuditRow[], { n: number | string }[]];
  return {
    data: rows.map((r) => ({
      id: Number(r.id), occurredAt: toIso(r.occurredAt)!, actor: { type: r.actorType, id: r.actorId }, action: r.action,
      target: r.targetType && r.targetId ? { type: r.targetType, id: r.targetId } : null, ip: r.ip, requestId: r.requestId,
      before: parse(r.beforeJson), after: parse(r.afterJson), sealed: r.chainSeq !== null && r.chainSeq !== undefined,
    })),
    total: Number(n), page: f.page, pageSize: f.pageSize,
  };
}
