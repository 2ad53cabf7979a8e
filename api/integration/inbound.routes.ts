/**
 * Inbound: the agency's collection system pushes clients, accounts, parties, balances, status
 * changes and activity. Each route takes one record, a JSON array or NDJSON of up to 10,000 and
 * answers with a result per record. Upserts by natural key: sending the same payload twice
 * changes nothing the second time (every result `unchanged`).
 */
import type { ZodType } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import type { IntegrationScope } from '../platform/auth/integration.js';
import { Problem } from '../auth/auth.schema.js';
import { runBatch, type ApplyContext, type Outcome } from './inbound.batch.js';
import { AccountRecord, ActivityRecord, BalanceRecord, BatchResponse, ClientRecord, PartyRecord, StatusRecord } from './inbound.schema.js';
import { upsertAccount, upsertActivity, upsertBalance, upsertClient, upsertParty, upsertStatus } from './inbound.service.js';
import type { Trx } from '../platform/db.js';
import { now as clockNow } from '../platform/clock.js';

interface Kind<T> {
  path: string;
  scope: IntegrationScope;
  summary: string;
  schema: ZodType<T>;
  key: (raw: Record<string, unknown>) => unknown;
  apply: (trx: Trx, record: T, ctx: ApplyContext) => Promise<Outcome>;
}

const kind = <T>(k: Kind<T>) => k;

const byAccountAnd = (field: string) => (r: Record<string, unknown>) =>
  typeof r.agencyAccountNumber === 'string' && typeof r[field] === 'string' ? `${r.agencyAccountNumber}/${r[field] as string}` : null;

const KINDS = [
  kind({ path: '/integration/clients', scope: 'clients:write', schema: ClientRecord, key: (r) => r.code, apply: upsertClient,
    summary: 'Upsert clients by client code.' }),
  kind({ path: '/integration/accounts', scope: 'accounts:write', schema: AccountRecord, key: (r) => r.agencyAccountNumber, apply: upsertAccount,
    summary: 'Upsert accounts by agency account number, optionally with their parties and balance components.' }),
  kind({ path: '/integration/parties', scope: 'accounts:write', schema: PartyRecord, key: byAccountAnd('role'), apply: upsertParty,
    summary: 'Upsert account parties (responsible, spouse, …) by account number and role.' }),
  kind({ path: '/integration/balances', scope: 'accounts:write', schema: BalanceRecord, key: byAccountAnd('component'), apply: upsertBalance,
    summary: 'Upsert balance components by account number and component; the account balance is their sum.' }),
  kind({ path: '/integration/statuses', scope: 'accounts:write', schema: StatusRecord, key: (r) => r.agencyAccountNumber, apply: upsertStatus,
    summary: 'Set account statuses; a status equal to the current one changes nothing.' }),
  kind({ path: '/integration/activity', scope: 'activity:write', schema: ActivityRecord, key: (r) => r.externalId, apply: upsertActivity,
    summary: 'Upsert activity (collector notes, call attempts, letters, promises to pay) by the agency system\'s external id.' }),
];

export function inboundRoutes({ db, config }: AppDeps): AnyRoute[] {
  return KINDS.map((k) =>
    route({
      method: 'post', path: k.path, tag: 'integration', auth: 'integration', scope: k.scope, idempotent: true,
      summary: `${k.summary} One record, a JSON array or NDJSON (application/x-ndjson) of up to 10,000; a result per record.`,
      records: k.schema as ZodType,
      responses: { 200: BatchResponse, 400: Problem, 401: Problem, 403: Problem, 413: Problem, 415: Problem },
      handler: ({ body, integration, meta }) =>
        runBatch(db, body, k.schema as ZodType<unknown>, k.key, k.apply as Kind<unknown>['apply'], { integration, meta, config, now: clockNow() }),
    }),
  );
}
