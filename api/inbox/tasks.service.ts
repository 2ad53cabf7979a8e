/**
 * Agency tasks: the rows of the agency inbox. Features open them in their own transaction (a client
 * note, a dispute, a webhook endpoint that keeps failing); the inbox routes list, claim and close them.
 */
import type { Trx } from '../platform/db.js';
import { now } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { appendEvent } from '../platform/events.js';

export interface NewTask {
  clientId: number | null;
  accountId?: number | null;
  /** client_note, dispute, placement_review, webhook_failing, … */
  kind: string;
  title: string;
  detail?: string | null;
  sourceType?: string | null;
  sourceId?: string | null;
  createdByUserId?: number | null;
}

export async function openTask(trx: Trx, task: NewTask): Promise<string> {
  const publicId = newId('task');
  await trx('tasks').insert({
    publicId,
    clientId: task.clientId,
    accountId: task.accountId ?? null,
    kind: task.kind,
    title: task.title.slice(0, 255),
    detail: task.detail ?? null,
    status: 'open',
    sourceType: task.sourceType ?? null,
    sourceId: task.sourceId ?? null,
    createdByUserId: task.createdByUserId ?? null,
    createdAt: now(),
  });
  await appendEvent(trx, {
    type: 'task.opened',
    clientId: task.clientId,
    accountId: task.accountId ?? null,
    visibility: 'internal',
    payload: { taskId: publicId, kind: task.kind, title: task.title },
    actor: { type: 'system', id: null },
  });
  return publicId;
}
