/**
 * The same webhook endpoints and delivery log as /integration/webhooks, for agency administrators
 * signed in to the console (permission `integration.manage`) instead of an API key. Webhooks act
 * for the whole agency: to a client user they do not exist (404).
 */
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps, Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { Problem } from '../auth/auth.schema.js';
import {
  CreateEndpointBody, CreatedEndpoint, Delivery, DeliveryDetail, DeliveryPage, DeliveryParams, DeliveryQuery, Endpoint, EndpointList,
  EndpointParams, UpdateEndpointBody,
} from './webhooks.schema.js';
import { assertWebhookTarget, createEndpoint, deleteEndpoint, getDelivery, listDeliveries, listEndpoints, redeliver, updateEndpoint } from './webhooks.service.js';

const agencyOnly = async ({ caller }: { caller: Caller }) => {
  if (caller.kind !== 'agency') throw notFound('Webhook endpoint');
};

export function agencyWebhookRoutes({ db, config }: AppDeps): AnyRoute[] {
  const common = { tag: 'integration', auth: 'user', permission: 'integration.manage', checkAccess: agencyOnly } as const;
  const P = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
  return [
    route({
      ...common, method: 'post', path: '/agency/webhooks',
      summary: 'Register a webhook endpoint from the console. The signing secret is in this response only; the same rules as POST /integration/webhooks.',
      body: CreateEndpointBody,
      responses: { 201: CreatedEndpoint, ...P, 422: Problem },
      handler: async ({ body, meta }) => {
        await assertWebhookTarget(config, body.url);
        return db.transaction((trx) => createEndpoint(trx, config, null, body, meta));
      },
    }),
    route({
      ...common, method: 'get', path: '/agency/webhooks',
      summary: 'The agency\'s webhook endpoints, newest first (whoever registered them).',
      responses: { 200: EndpointList, ...P },
      handler: () => listEndpoints(db),
    }),
    route({
      ...common, method: 'patch', path: '/agency/webhooks/:id',
      summary: 'Change an endpoint\'s URL, event types or description; disable it or enable it again.',
      params: EndpointParams, body: UpdateEndpointBody,
      responses: { 200: Endpoint, ...P, 422: Problem },
      handler: async ({ params, body, meta }) => {
        if (body.url !== undefined) await assertWebhookTarget(config, body.url);
        return db.transaction((trx) => updateEndpoint(trx, params.id, body, meta));
      },
    }),
    route({
      ...common, method: 'delete', path: '/agency/webhooks/:id',
      summary: 'Remove an endpoint and its delivery log.',
      params: EndpointParams,
      responses: { 204: null, ...P },
      handler: ({ params, meta }) => db.transaction((trx) => deleteEndpoint(trx, params.id, meta)),
    }),
    route({
      ...common, method: 'get', path: '/agency/webhooks/:id/deliveries',
      summary: 'The delivery log of an endpoint, newest first: status, attempts, last response code, next try.',
      params: EndpointParams, query: DeliveryQuery,
      responses: { 200: DeliveryPage, ...P },
      handler: ({ params, query }) => listDeliveries(db, params.id, query),
    }),
    route({
      ...common, method: 'get', path: '/agency/webhooks/:id/deliveries/:deliveryId',
      summary: 'One delivery with every attempt (time, response code or error, duration).',
      params: DeliveryParams,
      responses: { 200: DeliveryDetail, ...P },
      handler: ({ params }) => getDelivery(db, params.id, params.deliveryId),
    }),
    route({
      ...common, method: 'post', path: '/agency/webhooks/:id/deliveries/:deliveryId/redeliver',
      summary: 'Send a delivery again now (one try, outside the retry schedule).',
      params: DeliveryParams,
      responses: { 202: Delivery, ...P, 409: Problem },
      handler: ({ params, meta }) => db.transaction((trx) => redeliver(trx, params.id, params.deliveryId, meta)),
    }),
  ];
}
