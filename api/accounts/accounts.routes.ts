import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { AccountDetail, AccountIdParams, AccountSearchQuery, AccountSearchResponse, ActivityListResponse, ActivityQuery } from './accounts.schema.js';
import { getAccount, listActivity, searchAccounts } from './accounts.service.js';

export function accountRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/accounts', tag: 'accounts', auth: 'user', permission: 'accounts.read',
      summary: 'Search accounts of the clients the caller is linked to; pages of 10 by default, sortable, with the total.',
      query: AccountSearchQuery,
      responses: { 200: AccountSearchResponse, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => searchAccounts(db, caller, query),
    }),
    route({
      method: 'get', path: '/accounts/:id', tag: 'accounts', auth: 'user', permission: 'accounts.read',
      summary: 'One account: header, parties, balance detail and recent client-visible activity.',
      params: AccountIdParams,
      responses: { 200: AccountDetail, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params }) => getAccount(db, caller, params.id),
    }),
    route({
      method: 'get', path: '/accounts/:id/activity', tag: 'accounts', auth: 'user', permission: 'accounts.read',
      summary: 'The activity timeline of an account, newest first. Agency-internal entries are never shown to clients.',
      params: AccountIdParams,
      query: ActivityQuery,
      responses: { 200: ActivityListResponse, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, query }) => listActivity(db, caller, params.id, query.page, query.pageSize),
    }),
  ];
}
