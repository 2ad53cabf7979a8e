import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import {
  CreateEndpointBody, CreatedEndpoint, Delivery, DeliveryDetail, DeliveryPage, DeliveryParams, DeliveryQuery, Endpoint, EndpointList,
  EndpointParams, UpdateEndpointBody,
} from './webhooks.schema.js';
import { assertWebhookTarget, createEndpoint, deleteEndpoint, rotateSecret, getDelivery, getEndpoint, listDeliveries, listEndpoints, redeliver, updateEndpoint } from './webhooks.service.js';

export function webhookRoutes({ db, config }: AppDeps): AnyRoute[] {
  const common = { tag: 'integration', auth: 'integration', scope: 'webhooks:manage' } as const;
  return [
    route({
      ...common, method: 'post', path: '/integration/webhooks',
      summary: 'Register a webhook endpoint for the given event types. The signing secret is in this response only. A URL whose host resolves to a loopback, private, link-local or unique-local address is a 422 (unless the server sets WEBHOOK_ALLOW_PRIVATE=1).',
      body: CreateEndpointBody,
      responses: { 201: CreatedEndpoint, 400: Problem, 401: Problem, 403: Problem, 422: Problem },
      handler: async ({ body, integration, meta }) => {
        await assertWebhookTarget(config, body.url);
        return db.transaction((trx) => createEndpoint(trx, config, integration, body, meta));
      },
    }),
    route({
      ...common, method: 'get', path: '/integration/webhooks',
      summary: 'The agency\'s webhook endpoints, newest first.',
      responses: { 200: EndpointList, 401: Problem, 403: Problem },
      handler: () => listEndpoints(db),
    }),
    route({
      ...common, method: 'get', path: '/integration/webhooks/:id',
      summary: 'One webhook endpoint, with why it was disabled if it was.',
      params: EndpointParams,
      responses: { 200: Endpoint, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ params }) => getEndpoint(db, params.id),
    }),
    route({
      ...common, method: 'patch', path: '/integration/webhooks/:id',
      summary: 'Change an endpoint\'s URL, event types or description; disable it, or re-enable it after a failure.',
      params: EndpointParams,
      body: UpdateEndpointBody,
      responses: { 200: Endpoint, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      handler: async ({ params, body, meta }) => {
        if (body.url !== undefined) await assertWebhookTarget(config, body.url);
        return db.transaction((trx) => updateEndpoint(trx, params.id, body, meta));
      },
    }),
    route({
      ...common, method: 'post', path: '/integration/webhooks/:id/rotate-secret',
      summary: 'Replace the signing secret; the new one (in this response only) signs every delivery from now on.',
      params: EndpointParams,
      responses: { 200: CreatedEndpoint, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ params, meta }) => db.transaction((trx) => rotateSecret(trx, config, params.id, meta)),
    }),
    route({
      ...common, method: 'delete', path: '/integration/webhooks/:id',
      summary: 'Remove an endpoint and its delivery log.',
      params: EndpointParams,
      responses: { 204: null, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ params, meta }) => db.transaction((trx) => deleteEndpoint(trx, params.id, meta)),
    }),
    route({
      ...common, method: 'get', path: '/integration/webhooks/:id/deliveries',
      summary: 'The delivery log of an endpoint, newest first: status, attempts, last response code, next try.',
      params: EndpointParams,
      query: DeliveryQuery,
      responses: { 200: DeliveryPage, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ params, query }) => listDeliveries(db, params.id, query),
    }),
    route({
      ...common, method: 'get', path: '/integration/webhooks/:id/deliveries/:deliveryId',
      summary: 'One delivery with every attempt: time, response code or network error, the first bytes of a successful reply, duration.',
      params: DeliveryParams,
      responses: { 200: DeliveryDetail, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ params }) => getDelivery(db, params.id, params.deliveryId),
    }),
    route({
      ...common, method: 'post', path: '/integration/webhooks/:id/deliveries/:deliveryId/redeliver',
      summary: 'Send a delivery again now (one try, outside the retry schedule), e.g. after fixing the receiver.',
      params: DeliveryParams,
      responses: { 202: Delivery, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem },
      handler: ({ params, meta }) => db.transaction((trx) => redeliver(trx, params.id, params.deliveryId, meta)),
    }),
  ];
}
