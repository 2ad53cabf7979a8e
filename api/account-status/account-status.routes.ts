import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { ownAccount } from '../accounts/account-write.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountIdParams } from '../accounts/accounts.schema.js';
import { HoldBody, RecallBody, ReleaseBody, StatusBody, StatusChange } from './account-status.schema.js';
import { holdAccount, markAccount, recallAccount, releaseAccount } from './account-status.service.js';
import { now as clockNow } from '../platform/clock.js';

const responses = { 200: StatusChange, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export function accountStatusRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/accounts/:id/hold', tag: 'account status', auth: 'user', permission: 'accounts.status', idempotent: true,
      summary: 'Pause collection with a reason and an optional until-date (released automatically when it comes). Only active or disputed accounts.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: HoldBody, responses,
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => holdAccount(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'post', path: '/accounts/:id/release', tag: 'account status', auth: 'user', permission: 'accounts.status', idempotent: true,
      summary: 'End a hold; the account returns to the status the hold interrupted.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: ReleaseBody, responses,
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => releaseAccount(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'post', path: '/accounts/:id/recall', tag: 'account status', auth: 'user', permission: 'accounts.status', idempotent: true,
      summary: 'Recall the account: permanent; it leaves active collection and accepts no further status action.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: RecallBody, responses,
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => recallAccount(trx, caller, meta, params.id, body, clockNow())),
    }),
    route({
      method: 'post', path: '/accounts/:id/status', tag: 'account status', auth: 'user', permission: 'accounts.status', idempotent: true,
      summary: 'Mark an account in collection paid (balance must be zero), settled, bankrupt, deceased, business closed or disputed, with a reason.',
      params: AccountIdParams, checkAccess: ownAccount(db), body: StatusBody, responses,
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => markAccount(trx, caller, meta, params.id, body, clockNow())),
    }),
  ];
}
