import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { ownAccount } from '../accounts/account-write.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { Message, NewThreadBody, ReplyBody, Thread, ThreadList, ThreadParams, UnreadSummary } from './messages.schema.js';
import { getThread, listThreads, markThreadRead, replyToThread, startThread, unreadSummary } from './messages.service.js';
import { now as clockNow } from '../platform/clock.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

export function messageRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/accounts/:id/messages', tag: 'messages', auth: 'user', permission: 'accounts.read',
      summary: 'The message threads of an account, most recent first, with the caller\'s unread count each.',
      params: AccountIdParams, responses: { 200: ThreadList, ...errors },
      handler: ({ caller, params }) => listThreads(db, caller, params.id),
    }),
    route({
      method: 'post', path: '/accounts/:id/messages', tag: 'messages', auth: 'user', permission: 'notes.write', idempotent: true,
      summary: 'Start a thread ("contact the agency"). From a client it opens a task in the agency inbox and flags the account.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: NewThreadBody, responses: { 201: Thread, ...errors, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => startThread(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'get', path: '/accounts/:id/messages/:threadId', tag: 'messages', auth: 'user', permission: 'accounts.read',
      summary: 'One thread with its messages, oldest first. Reading does not mark it read: POST …/read does.',
      params: ThreadParams, responses: { 200: Thread, ...errors },
      handler: ({ caller, params }) => getThread(db, caller, params.id, params.threadId),
    }),
    route({
      method: 'post', path: '/accounts/:id/messages/:threadId', tag: 'messages', auth: 'user', permission: 'notes.write', idempotent: true,
      summary: 'Reply in a thread.',
      params: ThreadParams, checkAccess: ownAccount(db), body: ReplyBody, responses: { 201: Message, ...errors, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => replyToThread(trx, caller, meta, params.id, params.threadId, body.body, clockNow())),
    }),
    route({
      method: 'post', path: '/accounts/:id/messages/:threadId/read', tag: 'messages', auth: 'user', permission: 'accounts.read',
      summary: 'Mark the thread read up to its latest message, for the caller.',
      params: ThreadParams, checkAccess: ownAccount(db), responses: { 200: Thread, ...errors },
      handler: ({ caller, params }) => db.transaction((trx) => markThreadRead(trx, caller, params.id, params.threadId, clockNow())),
    }),
    route({
      method: 'get', path: '/messages/unread', tag: 'messages', auth: 'user', permission: 'accounts.read',
      summary: 'The caller\'s unread messages across all their accounts: a total and the threads that have them.',
      responses: { 200: UnreadSummary, 401: Problem, 403: Problem },
      handler: ({ caller }) => unreadSummary(db, caller),
    }),
  ];
}
