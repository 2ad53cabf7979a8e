import { z } from 'zod';
import { route, type AnyRoute } from '../platform/http/route.js';
import type { AppDeps } from '../platform/http/context.js';
import { limitAuthByIp } from './auth-rate-limit.js';
import { Problem, SessionResponse } from './auth.schema.js';
import { SSO_ALGORITHMS } from '../platform/auth/sso.js';
import { assertJwksTarget, exchangeEmbedToken, listSsoKeys, registerSsoKey, revokeSsoKey } from './embed.service.js';
import type { JWK } from 'jose';
import { now as clockNow } from '../platform/clock.js';

const EmbedBody = z.strictObject({ token: z.string().min(20).max(8192).describe('the JWT signed by the client\'s backend') });
const ClientParams = z.strictObject({ id: z.string().regex(/^cli_[0-9a-z]{26}$/) });
const KeyParams = z.strictObject({ id: z.string().regex(/^cli_[0-9a-z]{26}$/), keyId: z.string().regex(/^ssokey_[0-9a-z]{26}$/) });
/**
 * A public JWK: only the members a public EC or RSA key has are kept (others are dropped, so nothing
 * arbitrary — say an extra member nested 10,000 deep — is stored), each of bounded size. The private
 * and symmetric members are read only to refuse the key (publicJwkProblem), never stored.
 */
const member = (max: number) => z.string().min(1).max(max).optional();
const Jwk = z.object({
  kty: z.string().min(1).max(10),
  crv: member(20),
  x: member(200),
  y: member(200),
  // RSA modulus: 8,192 bits are 1,366 base64url characters
  n: member(2000),
  e: member(20),
  kid: member(100),
  alg: member(20),
  use: member(10),
  d: z.unknown().optional(), p: z.unknown().optional(), q: z.unknown().optional(), k: z.unknown().optional(),
}).transform((j) => Object.fromEntries(Object.entries(j).filter(([, v]) => v !== undefined)));
const RegisterKeyBody = z.strictObject({
  alg: z.enum(SSO_ALGORITHMS),
  kid: z.string().min(1).max(100).optional(),
  publicJwk: Jwk.optional(),
  jwksUrl: z.string().max(500).optional(),
});
const SsoKey = z.object({
  id: z.string(), alg: z.enum(SSO_ALGORITHMS), kid: z.string().nullable(), publicJwk: z.record(z.string(), z.unknown()).nullable(),
  jwksUrl: z.string().nullable(), createdAt: z.string(), revokedAt: z.string().nullable(),
});

export function embedRoutes(deps: AppDeps): AnyRoute[] {
  const { db, config } = deps;
  return [
    route({
      method: 'post', path: '/auth/embed', tag: 'auth', auth: 'public',
      summary: 'SSO for intranets: exchange a client-signed JWT (ES256/RS256; iss = client id, aud = the portal URL, sub = username, jti, exp ≤ 5 min) for a session.',
      body: EmbedBody,
      responses: { 200: SessionResponse, 400: Problem, 401: Problem, 429: Problem },
      handler: async ({ body, meta }) => (await limitAuthByIp(deps, meta), exchangeEmbedToken(db, config, body.token, meta, clockNow())),
    }),
    route({
      method: 'get', path: '/clients/:id/sso-keys', tag: 'auth', auth: 'user', permission: 'agency.settings',
      summary: 'The public keys (or JWKS URLs) a client\'s backend signs embed tokens with.',
      params: ClientParams, responses: { 200: z.object({ data: z.array(SsoKey) }), 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params }) => ({ data: await listSsoKeys(db, caller, params.id) }),
    }),
    route({
      method: 'post', path: '/clients/:id/sso-keys', tag: 'auth', auth: 'user', permission: 'agency.settings',
      summary: 'Register a client\'s public key (JWK) or JWKS URL for SSO embed tokens.',
      params: ClientParams, body: RegisterKeyBody, responses: { 201: SsoKey, 400: Problem, 401: Problem, 403: Problem, 404: Problem },
      handler: async ({ caller, params, body, meta }) => {
        await assertJwksTarget(config, body.jwksUrl);
        return db.transaction((trx) => registerSsoKey(trx, caller, params.id, { ...body, publicJwk: body.publicJwk as JWK | undefined }, meta));
      },
    }),
    route({
      method: 'delete', path: '/clients/:id/sso-keys/:keyId', tag: 'auth', auth: 'user', permission: 'agency.settings',
      summary: 'Revoke a key: tokens signed with it stop working at once.',
      params: KeyParams, responses: { 204: null, 401: Problem, 403: Problem, 404: Problem },
      handler: ({ caller, params, meta }) => db.transaction((trx) => revokeSsoKey(trx, caller, params.id, params.keyId, meta)),
    }),
  ];
}
