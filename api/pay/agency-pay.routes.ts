/** The agency console's routes for offers and plans across accounts (making offers and cancelling plans: pay.routes.ts). */
import type { AppDeps } from '../platform/http/context.js';
import { route, type AnyRoute } from '../platform/http/route.js';
import { Problem } from '../auth/auth.schema.js';
import { now as clockNow } from '../platform/clock.js';
import { AgencyOffer, OfferEditBody, OfferEditParams, OfferListQuery, OfferPage, PlanListQuery, PlanPage } from './agency-pay.schema.js';
import { editOffer, listOffers, listPlans } from './agency-pay.service.js';
import { pausePlan, resumePlan } from './plan-pause.service.js';
import { CancelPlanBody, PlanOut, PlanParams } from './pay.schema.js';
import { resolveAccountId } from '../accounts/accounts.scope.js';

export function agencyPayRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'get', path: '/agency/offers', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Settlement and plan offers of the caller\'s clients, newest first, filtered by account, client and status.',
      query: OfferListQuery,
      responses: { 200: OfferPage, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listOffers(db, caller, query),
    }),
    route({
      method: 'patch', path: '/agency/offers/:id', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Change the terms of an open offer (percentage, pay-by and expiry dates, instalments, frequency) or withdraw it.',
      params: OfferEditParams, body: OfferEditBody,
      responses: { 200: AgencyOffer, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction((trx) => editOffer(trx, caller, params.id, body, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/agency/plans', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Payment plans of the caller\'s clients with every instalment (Paid / Pending / Declined with the retry date / Cancelled), filtered by account, client and status.',
      query: PlanListQuery,
      responses: { 200: PlanPage, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, query }) => listPlans(db, caller, query),
    }),
    route({
      method: 'post', path: '/agency/accounts/:id/plans/:planId/pause', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Pause an active payment plan: no instalment is charged until it is resumed.',
      params: PlanParams, body: CancelPlanBody,
      responses: { 200: PlanOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, body, meta }) => db.transaction(async (trx) => pausePlan(trx, await resolveAccountId(trx, caller, params.id), params.planId, body.reason, meta, clockNow())),
    }),
    route({
      method: 'post', path: '/agency/accounts/:id/plans/:planId/resume', tag: 'pay', auth: 'user', permission: 'payments.offers',
      summary: 'Resume a paused plan: the remaining instalments move later by the days the plan was paused.',
      params: PlanParams,
      responses: { 200: PlanOut, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ caller, params, meta }) => db.transaction(async (trx) => resumePlan(trx, await resolveAccountId(trx, caller, params.id), params.planId, meta, clockNow())),
    }),
  ];
}
