import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { isMysql } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { now as clockNow } from '../platform/clock.js';

const HealthResponse = z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'mysql']), time: z.string() });

export function healthRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/health', tag: 'operations', auth: 'public',
      summary: 'Liveness and database reachability, for load balancers.',
      responses: { 200: HealthResponse, 503: null },
      handler: async () => {
        try {
          await db.raw('select 1');
        } catch {
          throw new AppError(503, 'database_unavailable', 'The database is not reachable.');
        }
        return { status: 'ok' as const, database: isMysql(db) ? ('mysql' as const) : ('sqlite' as const), time: clockNow().toISOString() };
      },
    }),
  ];
}
