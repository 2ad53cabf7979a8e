import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { ownAccount } from '../accounts/account-write.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { AdjustmentBody, PaymentBody, Transaction, TransactionList, TransactionListQuery } from './ledger.schema.js';
import { listTransactions, postAdjustment, reportPayment } from './ledger.service.js';
import { now as clockNow } from '../platform/clock.js';

export function ledgerRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/accounts/:id/payments', tag: 'ledger', auth: 'user', permission: 'payments.report', idempotent: true,
      summary: 'Report a payment the debtor made directly to the client. Reduces costs, fees, interest, then principal; never below zero. Honours Idempotency-Key.',
      params: AccountIdParams, checkAccess: ownAccount(db),
      body: PaymentBody,
      responses: { 201: Transaction, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => reportPayment(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'post', path: '/accounts/:id/adjustments', tag: 'ledger', auth: 'user', permission: 'payments.report', idempotent: true,
      summary: 'Post a credit, write-off or balance correction with a reason. Only a write-off clears a balance without payment. Honours Idempotency-Key.',
      params: AccountIdParams, checkAccess: ownAccount(db),
      body: AdjustmentBody,
      responses: { 201: Transaction, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => postAdjustment(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'get', path: '/accounts/:id/transactions', tag: 'ledger', auth: 'user', permission: 'accounts.read',
      summary: 'The account ledger, newest first: reported payments and adjustments with the balance after each.',
      params: AccountIdParams,
      query: TransactionListQuery,
      responses: { 200: TransactionList, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, query }) => listTransactions(db, caller, params.id, query),
    }),
  ];
}
