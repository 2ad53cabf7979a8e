/**
 * Agency tasks: the rows of the agency inbox. Features open them in their own transaction (a client
 * note, a dispute, a webhook endpoint that keeps failing); the inbox routes list, claim and close them,
 * and a feature whose work ends a task (a dispute answered or closed) completes it (`completeTask`).
 * Either way a close is the same: done, the account flag cleared when nothing else is open, a
 * `task.close` audit row and a `task.closed` event (which ck-inbox listens to) in that transaction.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { isMysql, now } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { appendEvent } from '../platform/events.js';
import { writeAudit, type AuditActor } from '../platform/audit.js';
import { unflagIfClear } from '../accounts/account-flag.js';

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

/** The columns of a task that closing it needs. */
export interface ClosableTask {
  id: number;
  publicId: string;
  clientId: number | null;
  accountId: number | null;
  status: 'open' | 'done';
  assignedUserId: number | null;
}

export interface CloseMeta {
  actor: AuditActor;
  ip: string | null;
  requestId?: string | null;
}

/**
 * Marks an open task done (the caller locked it and checked it is open). `byUserId`, the person who
 * did the work, becomes the assignee when nobody had claimed it.
 */
export async function markTaskDone(trx: Trx, task: ClosableTask, meta: CloseMeta, close: { resolution: string | null; byUserId: number | null; now: Date }): Promise<void> {
  await trx('tasks').where({ id: task.id }).update({ status: 'done', closedAt: close.now, assignedUserId: task.assignedUserId ?? close.byUserId });
  const accountUnflagged = task.accountId ? await unflagIfClear(trx, task.accountId) : false;
  const after = { status: 'done', resolution: close.resolution, accountUnflagged };
  await writeAudit(trx, {
    actor: meta.actor, action: 'task.close', target: { type: 'task', id: task.publicId }, ip: meta.ip, requestId: meta.requestId,
    before: { status: task.status, assignedUserId: task.assignedUserId }, after,
  });
  await appendEvent(trx, { type: 'task.closed', clientId: task.clientId, accountId: task.accountId, visibility: 'internal', actor: meta.actor, payload: { taskId: task.publicId, ...after } });
}

/** The open tasks a filter picks, in id order, locked for closing (MySQL; SQLite has one writer). */
async function openTasksLocked(trx: Trx, filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<ClosableTask[]> {
  const q = filter(trx('tasks').where({ status: 'open' })).orderBy('id').select('id', 'publicId', 'clientId', 'accountId', 'status', 'assignedUserId');
  if (isMysql(trx)) q.forUpdate();
  return (await q) as ClosableTask[];
}

/**
 * The work a feature's task stood for is over (its dispute was answered or closed): the task is done.
 * Nothing happens when it is already done (closed from the inbox first) or there is none. True when
 * this closed it.
 */
export async function completeTask(trx: Trx, publicId: string | null, meta: CloseMeta, close: { resolution: string; byUserId?: number | null; now: Date }): Promise<boolean> {
  if (!publicId) return false;
  const [task] = await openTasksLocked(trx, (q) => q.where({ publicId }));
  if (!task) return false;
  await markTaskDone(trx, task, meta, { resolution: close.resolution, byUserId: close.byUserId ?? null, now: close.now });
  return true;
}

/**
 * completeTask for tasks known by what opened them (a placement's or a batch's public id) rather
 * than their own id: every open one is closed, each with its audit row and event. Answers how many.
 */
export async function completeTasksFor(trx: Trx, source: { type: string; ids: string[] }, meta: CloseMeta, close: { resolution: string; byUserId?: number | null; now: Date }): Promise<number> {
  let closed = 0;
  for (let i = 0; i < source.ids.length; i += 1000) {
    const tasks = await openTasksLocked(trx, (q) => q.where({ sourceType: source.type }).whereIn('source_id', source.ids.slice(i, i + 1000)));
    for (const task of tasks) {
      await markTaskDone(trx, task, meta, { resolution: close.resolution, byUserId: close.byUserId ?? null, now: close.now });
      closed++;
    }
  }
  return closed;
}
