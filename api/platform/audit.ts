/**
 * The audit trail. Every mutation, login and failed login writes one row, in the same transaction
 * as the change it records, so there is never a change without its row or a row without its change.
 */
import type { Trx } from './db.js';
import { now } from './db.js';

export interface AuditActor {
  type: 'user' | 'anonymous' | 'system' | 'integration' | 'debtor';
  id?: string | null;
}

export interface AuditEntry {
  actor: AuditActor;
  action: string;
  target?: { type: string; id: string } | null;
  ip?: string | null;
  requestId?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(trx: Trx, entry: AuditEntry): Promise<void> {
  await trx('audit_log').insert({
    occurredAt: now(),
    actorType: entry.actor.type,
    actorId: entry.actor.id ?? null,
    action: entry.action,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    ip: entry.ip ?? null,
    requestId: entry.requestId ?? null,
    beforeJson: entry.before === undefined ? null : JSON.stringify(entry.before),
    afterJson: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}
