/** The API-key contract: what an agency admin sends to create a key and what lists show. */
import { z } from 'zod';
import { ALL_INTEGRATION_SCOPES } from '../platform/auth/integration.js';

export const IntegrationScopeEnum = z.enum(ALL_INTEGRATION_SCOPES);

export const CreateKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('What the key is for, e.g. "Core collection system (prod)".'),
  scopes: z.array(IntegrationScopeEnum).min(1).max(ALL_INTEGRATION_SCOPES.length)
    .transform((s) => [...new Set(s)])
    .describe('What the key may do; a route answers 403 insufficient_scope without it.'),
});

export const KeyIdParams = z.strictObject({ id: z.string().regex(/^ikey_[0-9a-z]{26}$/) });

export const IntegrationKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it; the key itself is never shown again.'),
  scopes: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const CreatedKey = IntegrationKey.extend({
  key: z.string().describe('The API key. Shown in this response only; store it in the integration\'s secret store.'),
});

export const KeyList = z.object({ data: z.array(IntegrationKey) });

export const WhoAmI = z.object({ id: z.string(), name: z.string(), scopes: z.array(z.string()) });
