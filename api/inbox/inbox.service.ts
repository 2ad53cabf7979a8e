/**
 * Working the agency inbox. Tasks are opened by features (`openTask`); here staff list them, claim
 * one (so two people do not answer the same note), answer it (a reply in the message thread, or a
 * client-visible note for a client note or dispute) and close it, which clears the account flag
 * when nothing else is open on the account. Every change is audited and evented (internal events).
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { isMysql, now as dbNow, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { conflict, notFound } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import type { EventType } from '../platform/event-types.js';
import { markTaskDone } from './tasks.service.js';
import { lockAccount } from '../accounts/account-write.js';
import { addNote } from '../notes/notes.service.js';
import { postToThread, type ThreadRow } from '../messages/messages.service.js';
import type { InboxFilter } from './inbox.schema.js';

interface TaskRow {
  id: number;
  publicId: string;
  clientId: number | null;
  accountId: number | null;
  kind: string;
  title: string;
  detail: string | null;
  status: 'open' | 'done';
  sourceType: string | null;
  sourceId: string | null;
  assignedUserId: number | null;
  createdAt: unknown;
  closedAt: unknown;
  accountPublicId: string | null;
  debtorName: string | null;
  agencyAccountNumber: string | null;
  accountStatus: string | null;
  flaggedAt: unknown;
  clientPublicId: string | null;
  clientName: string | null;
  assigneePublicId: string | null;
  assigneeFirst: string | null;
  assigneeLast: string | null;
  creatorFirst: string | null;
  creatorLast: string | null;
}

/** Tasks of the caller's clients (agency staff: all clients). */
function scopedTasks(trx: Trx, caller: Caller): Knex.QueryBuilder {
  const q = trx('tasks');
  if (caller.clientIds !== 'all') q.whereIn('tasks.client_id', caller.clientIds.length ? [...caller.clientIds] : [-1]);
  return q;
}

function withJoins(q: Knex.QueryBuilder): Knex.QueryBuilder {
  return q
    .leftJoin('accounts', 'accounts.id', 'tasks.account_id')
    .leftJoin('clients', 'clients.id', 'tasks.client_id')
    .leftJoin('users as assignee', 'assignee.id', 'tasks.assigned_user_id')
    .leftJoin('users as creator', 'creator.id', 'tasks.created_by_user_id')
    .select(
      'tasks.*', 'accounts.public_id as account_public_id', 'accounts.debtor_name', 'accounts.agency_account_number', 'accounts.status as account_status',
      'accounts.flagged_at', 'clients.public_id as client_public_id', 'clients.name as client_name', 'assignee.public_id as assignee_public_id',
      'assignee.first_name as assignee_first', 'assignee.last_name as assignee_last', 'creator.first_name as creator_first', 'creator.last_name as creator_last',
    );
}

function toTask(r: TaskRow) {
  return {
    id: r.publicId,
    kind: r.kind,
    title: r.title,
    detail: r.detail,
    status: r.status,
    account: r.accountPublicId
      ? { id: r.accountPublicId, debtorName: r.debtorName!, agencyAccountNumber: r.agencyAccountNumber!, status: r.accountStatus!, flagged: Boolean(r.flaggedAt) }
      : null,
    client: r.clientPublicId ? { id: r.clientPublicId, name: r.clientName! } : null,
    source: r.sourceType && r.sourceId ? { type: r.sourceType, id: r.sourceId } : null,
    assignedTo: r.assigneePublicId ? { id: r.assigneePublicId, name: `${r.assigneeFirst} ${r.assigneeLast}` } : null,
    createdBy: r.creatorFirst ? `${r.creatorFirst} ${r.creatorLast}` : null,
    createdAt: toIso(r.createdAt)!,
    closedAt: toIso(r.closedAt),
  };
}

export async function listInbox(trx: Trx, caller: Caller, f: InboxFilter) {
  const base = scopedTasks(trx, caller);
  if (f.status !== 'all') base.where('tasks.status', f.status);
  if (f.kind) base.where('tasks.kind', f.kind);
  if (f.assigned === 'me') base.where('tasks.assigned_user_id', caller.userId);
  if (f.assigned === 'unassigned') base.whereNull('tasks.assigned_user_id');
  if (f.accountId) base.whereIn('tasks.account_id', trx('accounts').where('public_id', f.accountId).select('id'));
  const open = scopedTasks(trx, caller).where('tasks.status', 'open');
  const [rows, [{ n }], [{ open: o, mine, unassigned }]] = (await Promise.all([
    withJoins(base.clone()).orderBy('tasks.created_at', 'desc').orderBy('tasks.id', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize),
    base.clone().count({ n: '*' }),
    open.select(
      trx.raw('count(*) as open'),
      trx.raw('coalesce(sum(case when tasks.assigned_user_id = ? then 1 else 0 end), 0) as mine', [caller.userId]),
      trx.raw('coalesce(sum(case when tasks.assigned_user_id is null then 1 else 0 end), 0) as unassigned'),
    ),
  ])) as [TaskRow[], { n: number | string }[], { open: number | string; mine: number | string; unassigned: number | string }[]];
  return {
    data: rows.map(toTask), total: Number(n), page: f.page, pageSize: f.pageSize,
    counts: { open: Number(o), mine: Number(mine), unassigned: Number(unassigned) },
  };
}

async function getTask(trx: Trx, caller: Caller, publicId: string, current = false) {
  const q = withJoins(scopedTasks(trx, caller).where('tasks.public_id', publicId)).first();
  // a locking read sees the latest committed rows, not the transaction's snapshot (see lockTask)
  if (current) q.forShare();
  const row = (await q) as TaskRow | undefined;
  if (!row) throw notFound('Task');
  return row;
}

/**
 * The task row locked for this transaction, or 404. On MySQL its account is locked first: the paths
 * that change an account and then close its tasks (a dispute answered, an account leaving collection)
 * lock in that order, and a close here updates the account's flag, so the other order could deadlock.
 * Finding the account starts the transaction's snapshot, which may then predate what committed while
 * we waited for the locks, so the task is read back with a locking read (the latest rows).
 */
async function lockTask(trx: Trx, caller: Caller, publicId: string): Promise<TaskRow> {
  if (!isMysql(trx)) return getTask(trx, caller, publicId); // SQLite: one writer at a time
  const found = (await scopedTasks(trx, caller).where('tasks.public_id', publicId).first('tasks.account_id')) as { accountId: number | null } | undefined;
  if (!found) throw notFound('Task');
  if (found.accountId) await trx('accounts').where({ id: found.accountId }).forUpdate().first('id');
  await trx('tasks').where({ publicId }).forUpdate().first('id');
  return getTask(trx, caller, publicId, true);
}

async function audit(trx: Trx, meta: RequestMeta, action: string, task: TaskRow, after: Record<string, unknown>, event: EventType) {
  await writeAudit(trx, { actor: meta.actor, action, target: { type: 'task', id: task.publicId }, ip: meta.ip, requestId: meta.requestId, before: { status: task.status, assignedUserId: task.assignedUserId }, after });
  await appendEvent(trx, { type: event, clientId: task.clientId, accountId: task.accountId, visibility: 'internal', actor: meta.actor, payload: { taskId: task.publicId, ...after } });
}

export async function claimTask(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string) {
  const task = await lockTask(trx, caller, publicId);
  if (task.status !== 'open') throw conflict('task_closed', 'This task is already done.');
  if (task.assignedUserId && task.assignedUserId !== caller.userId) {
    throw conflict('already_claimed', `${task.assigneeFirst} ${task.assigneeLast} is already working on this task.`);
  }
  if (!task.assignedUserId) {
    await trx('tasks').where({ id: task.id }).update({ assignedUserId: caller.userId });
    await audit(trx, meta, 'task.claim', task, { assignedTo: caller.publicId }, 'task.claimed');
  }
  return toTask(await getTask(trx, caller, publicId));
}

export async function closeTask(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, resolution: string | undefined, now: Date = dbNow()) {
  const task = await lockTask(trx, caller, publicId);
  if (task.status !== 'open') throw conflict('task_closed', 'This task is already done.');
  // Closing a review task by hand would leave its placements pending for ever (the client's accounts
  // never appear): the review itself closes it (placements/review.service.ts).
  if (task.kind === 'placement_review') {
    throw conflict('review_required', 'Accept or reject the placement in the placement review queue (GET /agency/placements); the task closes itself then.');
  }
  await markTaskDone(trx, task, meta, { resolution: resolution ?? null, byUserId: caller.userId, now });
  return toTask(await getTask(trx, caller, publicId));
}

/**
 * Answers the task where the client will see it: in the message thread it came from, or as a
 * client-visible note on the account for a client note or a dispute.
 */
export async function replyToTask(trx: Trx, caller: Caller, meta: RequestMeta, publicId: string, input: { body: string; close: boolean }, now: Date = dbNow()) {
  const task = await lockTask(trx, caller, publicId);
  if (!task.accountPublicId) throw conflict('no_account', 'This task is not about an account; there is nobody to reply to.');
  let reply: { kind: 'message' | 'note'; id: string };
  if (task.sourceType === 'message_thread' && task.sourceId) {
    const account = await lockAccount(trx, caller, task.accountPublicId);
    const thread = (await trx('message_threads').where({ publicId: task.sourceId }).first()) as ThreadRow;
    const m = await postToThread(trx, caller, meta, thread, account.publicId, account.debtorName, input.body, now);
    reply = { kind: 'message', id: m.id };
  } else {
    const n = await addNote(trx, caller, meta, task.accountPublicId, { body: input.body, visibility: 'client' }, now);
    reply = { kind: 'note', id: n.id };
  }
  const result = input.close && task.status === 'open' ? await closeTask(trx, caller, meta, publicId, 'Answered', now) : toTask(await getTask(trx, caller, publicId));
  return { task: result, reply };
}
