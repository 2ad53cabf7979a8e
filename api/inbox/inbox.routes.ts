import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { CloseBody, InboxList, InboxQuery, Task, TaskParams, TaskReplyBody, TaskReplyResult } from './inbox.schema.js';
import { claimTask, closeTask, listInbox, replyToTask } from './inbox.service.js';
import { now as clockNow } from '../platform/clock.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function inboxRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/agency/inbox', tag: 'agency inbox', auth: 'user', permission: 'agency.inbox',
      summary: 'Tasks for agency staff (client notes, messages, disputes …), newest first, with open / mine / unassigned counts.',
      query: InboxQuery, responses: { 200: InboxList, ...errors },
      handler: ({ caller, query }) => listInbox(db, caller, query),
    }),
    route({
      method: 'post', path: '/agency/inbox/:taskId/claim', tag: 'agency inbox', auth: 'user', permission: 'agency.inbox',
      summary: 'Take the task: it is assigned to the caller. 409 when someone else has it.',
      params: TaskParams, responses: { 200: Task, ...errors },
      handler: ({ caller, params, meta }) => db.transaction((trx) => claimTask(trx, caller, meta, params.taskId)),
    }),
    route({
      method: 'post', path: '/agency/inbox/:taskId/close', tag: 'agency inbox', auth: 'user', permission: 'agency.inbox',
      summary: 'Mark the task done; the account flag clears when nothing else is open on it.',
      params: TaskParams, body: CloseBody, responses: { 200: Task, ...errors },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => closeTask(trx, caller, meta, params.taskId, body.resolution, clockNow())),
    }),
    route({
      method: 'post', path: '/agency/inbox/:taskId/reply', tag: 'agency inbox', auth: 'user', permission: 'agency.inbox', idempotent: true,
      summary: 'Answer the client: in the message thread the task came from, else as a client-visible note on the account; optionally close the task.',
      params: TaskParams, body: TaskReplyBody, responses: { 200: TaskReplyResult, ...errors },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => replyToTask(trx, caller, meta, params.taskId, body, clockNow())),
    }),
  ];
}
