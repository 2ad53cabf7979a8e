import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { FeedPage, FeedQuery } from './feed.schema.js';
import { readFeed } from './feed.service.js';
import { now as clockNow } from '../platform/clock.js';

export function feedRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/integration/events', tag: 'integration', auth: 'integration', scope: 'events:read',
      summary: 'The ordered event feed (placements, notes, payments, holds, recalls, status marks, contact updates, messages, disputes, debtor payments, …) after a cursor, oldest first.',
      query: FeedQuery,
      responses: { 200: FeedPage, 400: Problem, 401: Problem, 403: Problem },
      handler: ({ query }) => readFeed(db, query, clockNow()),
    }),
  ];
}
