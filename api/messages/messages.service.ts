/**
 * Message threads between a client and the agency about one account. A message from the client
 * side opens (or keeps open) a task in the agency inbox and flags the account; agency staff answer
 * from the inbox or the account. Messages are shared by both sides: their events are client-visible.
 * Unread counts are per user: messages written by someone else after the user's last read mark.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { now as dbNow, toIso } from '../platform/db.js';
import type { Caller, RequestMeta } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { openTask } from '../inbox/tasks.service.js';
import { resolveAccountId, visibleAccounts } from '../accounts/accounts.scope.js';
import { lockAccount, recordActivity } from '../accounts/account-write.js';
import { flagAccount } from '../accounts/account-flag.js';

export interface ThreadRow {
  id: number;
  publicId: string;
  accountId: number;
  clientId: number;
  subject: string;
  createdAt: unknown;
  lastMessageAt: unknown;
}

interface ThreadSummaryRow extends ThreadRow {
  accountPublicId: string;
  startedBy: 'client' | 'agency';
  messageCount: number | string;
  unreadCount: number | string;
}

const side = (caller: Caller) => (caller.kind === 'agency' ? 'agency' : 'client') as 'client' | 'agency';

/** Threads with their counts for one user; `q` narrows which threads. */
function threadSummaries(trx: Trx, userId: number, q: (b: Knex.QueryBuilder) => void): Knex.QueryBuilder {
  const b = trx('message_threads as t')
    .join('accounts', 'accounts.id', 't.account_id')
    .select(
      't.id', 't.public_id', 't.account_id', 't.client_id', 't.subject', 't.created_at', 't.last_message_at', 'accounts.public_id as account_public_id',
      trx.raw('(select m.author_side from messages m where m.thread_id = t.id order by m.id limit 1) as started_by'),
      trx.raw('(select count(*) from messages m where m.thread_id = t.id) as message_count'),
      trx.raw(`(select count(*) from messages m where m.thread_id = t.id and (m.author_user_id is null or m.author_user_id <> ?)
        and m.id > coalesce((select r.last_read_message_id from message_reads r where r.thread_id = t.id and r.user_id = ?), 0)) as unread_count`, [userId, userId]),
    );
  q(b);
  return b;
}

const toSummary = (r: ThreadSummaryRow) => ({
  id: r.publicId, accountId: r.accountPublicId, subject: r.subject, startedBy: r.startedBy,
  messageCount: Number(r.messageCount), unreadCount: Number(r.unreadCount), lastMessageAt: toIso(r.lastMessageAt)!, createdAt: toIso(r.createdAt)!,
});

export async function listThreads(trx: Trx, caller: Caller, accountPublicId: string) {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const rows = (await threadSummaries(trx, caller.userId, (b) => b.where('t.account_id', accountId).orderBy('t.last_message_at', 'desc').orderBy('t.id', 'desc'))) as ThreadSummaryRow[];
  return { data: rows.map(toSummary) };
}

async function findThread(trx: Trx, caller: Caller, accountPublicId: string, threadPublicId: string): Promise<ThreadRow> {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const t = (await trx('message_threads').where({ publicId: threadPublicId, accountId }).first()) as ThreadRow | undefined;
  if (!t) throw notFound('Thread');
  return t;
}

export async function getThread(trx: Trx, caller: Caller, accountPublicId: string, threadPublicId: string) {
  const t = await findThread(trx, caller, accountPublicId, threadPublicId);
  const [summary] = (await threadSummaries(trx, caller.userId, (b) => b.where('t.id', t.id))) as ThreadSummaryRow[];
  const messages = (await trx('messages').where({ threadId: t.id }).orderBy('id').select('public_id', 'author_side', 'author_name', 'body', 'created_at')) as
    { publicId: string; authorSide: 'client' | 'agency'; authorName: string; body: string; createdAt: unknown }[];
  return { ...toSummary(summary!), messages: messages.map((m) => ({ id: m.publicId, side: m.authorSide, authorName: m.authorName, body: m.body, createdAt: toIso(m.createdAt)! })) };
}

/**
 * Appends a message to a thread (the account is locked by the caller): audit, timeline, event and,
 * for the client side, the inbox task — one open task per thread at a time.
 */
export async function postToThread(trx: Trx, caller: Caller, meta: RequestMeta, thread: ThreadRow, accountPublicId: string, debtorName: string, body: string, now: Date) {
  const publicId = newId('msg');
  await trx('messages').insert({ publicId, threadId: thread.id, authorUserId: caller.userId, authorSide: side(caller), authorName: caller.displayName, body, createdAt: now });
  const [{ maxId }] = (await trx('messages').where({ threadId: thread.id }).max({ maxId: 'id' })) as { maxId: number | string }[];
  // Writing a message means having read the thread up to it.
  await trx('message_reads').insert({ threadId: thread.id, userId: caller.userId, lastReadMessageId: Number(maxId), readAt: now })
    .onConflict(['thread_id', 'user_id']).merge(['last_read_message_id', 'read_at']);
  await trx('message_threads').where({ id: thread.id }).update({ lastMessageAt: now });
  await recordActivity(trx, caller, {
    accountId: thread.accountId, type: 'message', visibility: 'client',
    body: `${side(caller) === 'client' ? 'Message to the agency' : 'Agency reply'} (“${thread.subject}”) by ${caller.displayName}.`,
  }, now);
  let taskId: string | null = null;
  if (side(caller) === 'client') {
    await flagAccount(trx, thread.accountId, now);
    const open = (await trx('tasks').where({ sourceType: 'message_thread', sourceId: thread.publicId, status: 'open' }).first('public_id')) as { publicId: string } | undefined;
    taskId = open?.publicId ?? await openTask(trx, {
      clientId: thread.clientId, accountId: thread.accountId, kind: 'message', title: `Message on ${debtorName}: ${thread.subject}`,
      detail: body, sourceType: 'message_thread', sourceId: thread.publicId, createdByUserId: caller.userId,
    });
  }
  await writeAudit(trx, {
    actor: meta.actor, action: 'account.message_posted', target: { type: 'account', id: accountPublicId }, ip: meta.ip, requestId: meta.requestId,
    after: { threadId: thread.publicId, messageId: publicId, side: side(caller), taskId },
  });
  await appendEvent(trx, {
    type: 'account.message_posted', clientId: thread.clientId, accountId: thread.accountId, visibility: 'client', actor: meta.actor,
    payload: { accountId: accountPublicId, threadId: thread.publicId, messageId: publicId, side: side(caller), authorName: caller.displayName },
  });
  return { id: publicId, side: side(caller), authorName: caller.displayName, body, createdAt: now.toISOString() };
}

export async function startThread(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, input: { subject: string; body: string }, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, accountPublicId);
  const publicId = newId('thr');
  const [id] = (await trx('message_threads').insert({
    publicId, accountId: account.id, clientId: account.clientId, subject: input.subject, createdByUserId: caller.userId, createdAt: now, lastMessageAt: now,
  })) as number[];
  const thread = (await trx('message_threads').where({ id }).first()) as ThreadRow;
  await postToThread(trx, caller, meta, thread, account.publicId, account.debtorName, input.body, now);
  return getThread(trx, caller, account.publicId, publicId);
}

export async function replyToThread(trx: Trx, caller: Caller, meta: RequestMeta, accountPublicId: string, threadPublicId: string, body: string, now: Date = dbNow()) {
  const account = await lockAccount(trx, caller, accountPublicId);
  const thread = await findThread(trx, caller, accountPublicId, threadPublicId);
  return postToThread(trx, caller, meta, thread, account.publicId, account.debtorName, body, now);
}

export async function markThreadRead(trx: Trx, caller: Caller, accountPublicId: string, threadPublicId: string, now: Date = dbNow()) {
  const thread = await findThread(trx, caller, accountPublicId, threadPublicId);
  const [{ maxId }] = (await trx('messages').where({ threadId: thread.id }).max({ maxId: 'id' })) as { maxId: number | string | null }[];
  await trx('message_reads').insert({ threadId: thread.id, userId: caller.userId, lastReadMessageId: Number(maxId ?? 0), readAt: now })
    .onConflict(['thread_id', 'user_id']).merge(['last_read_message_id', 'read_at']);
  return getThread(trx, caller, accountPublicId, threadPublicId);
}

/** The caller's unread messages across every account they may see (for a badge). */
export async function unreadSummary(trx: Trx, caller: Caller) {
  const visible = visibleAccounts(trx, caller).select('accounts.id');
  const rows = (await threadSummaries(trx, caller.userId, (b) => b.whereIn('t.account_id', visible).orderBy('t.last_message_at', 'desc'))) as ThreadSummaryRow[];
  const threads = rows.filter((r) => Number(r.unreadCount) > 0).map((r) => ({ threadId: r.publicId, accountId: r.accountPublicId, subject: r.subject, unreadCount: Number(r.unreadCount) }));
  return { total: threads.reduce((s, t) => s + t.unreadCount, 0), threads: threads.slice(0, 100) };
}
