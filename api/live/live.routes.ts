import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { badRequest } from '../platform/errors.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';
import { openEventStream } from './event-stream.js';

const EventsQuery = z.strictObject({
  accountId: z.string().min(5).max(40).optional().describe('only this account\'s events'),
  types: z.string().max(500).optional().describe('comma-separated event types, e.g. account.note_added,task.opened'),
  after: z.coerce.number().int().min(0).optional().describe('resume after this sequence number (Last-Event-ID does the same)'),
});

export function liveRoutes(deps: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/events', tag: 'live', auth: 'user', permission: 'accounts.read', produces: 'text/event-stream',
      summary: 'Server-sent events: account changes (notes, payments, status, messages, contact) and, for agency staff, inbox tasks — scoped to the caller\'s clients; internal events reach agency staff only. Each event\'s id is its sequence number; send Last-Event-ID to resume. Without a cursor the stream starts at now.',
      query: EventsQuery,
      responses: { 200: z.string().describe('text/event-stream: `id: <seq>` + `data: {id, seq, type, accountId, payload, occurredAt}`'), 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, query, ctx }) => {
        const lastEventId = ctx.get('Last-Event-ID');
        if (lastEventId && !/^\d{1,18}$/.test(lastEventId)) throw badRequest('invalid_last_event_id', 'Last-Event-ID must be a sequence number.');
        const accountId = query.accountId ? await resolveAccountId(deps.db, caller, query.accountId) : null;
        const after = lastEventId ? Number(lastEventId) : (query.after ?? null);
        const types = query.types ? query.types.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
        const { stream, close } = openEventStream(deps, caller, { after, accountId, types, authorization: ctx.get('Authorization') });
        ctx.req.socket.setTimeout(0);
        ctx.req.socket.setNoDelay(true);
        ctx.req.on('close', close);
        // Written by hand rather than as ctx.body: a browser going away is the normal end of a
        // stream, not an error for Koa to log.
        ctx.respond = false;
        ctx.res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
        ctx.res.on('close', close);
        stream.pipe(ctx.res);
        return undefined;
      },
    }),
  ];
}
