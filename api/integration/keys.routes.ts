import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { Problem } from '../auth/auth.schema.js';
import { CreateKeyBody, CreatedKey, IntegrationKey, KeyIdParams, KeyList, WhoAmI } from './keys.schema.js';
import { createKey, listKeys, revokeKey } from './keys.service.js';

export function integrationKeyRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    route({
      method: 'post', path: '/agency/integration-keys', tag: 'integration', auth: 'user', permission: 'integration.manage',
      summary: 'Create an integration API key with the given scopes. The key is in this response only.',
      body: CreateKeyBody,
      responses: { 201: CreatedKey, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, body, meta }) => db.transaction((trx) => createKey(trx, caller, body, meta)),
    }),
    route({
      method: 'get', path: '/agency/integration-keys', tag: 'integration', auth: 'user', permission: 'integration.manage',
      summary: 'The agency\'s integration API keys (never the secrets), newest first, with last-used times.',
      responses: { 200: KeyList, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller }) => listKeys(db, caller),
    }),
    route({
      method: 'delete', path: '/agency/integration-keys/:id', tag: 'integration', auth: 'user', permission: 'integration.manage',
      summary: 'Revoke an API key: its next request is refused with 401.',
      params: KeyIdParams,
      responses: { 200: IntegrationKey, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, meta }) => db.transaction((trx) => revokeKey(trx, caller, params.id, meta)),
    }),
    route({
      method: 'get', path: '/integration/me', tag: 'integration', auth: 'integration',
      summary: 'The API key making the call: its name and scopes (a cheap way to check a key works).',
      responses: { 200: WhoAmI, 401: Problem },
      handler: async ({ integration }) => ({ id: integration.publicId, name: integration.name, scopes: [...integration.scopes] }),
    }),
  ];
}
