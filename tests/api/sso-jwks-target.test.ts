/**
 * An SSO client's JWKS URL is fetched by the portal whenever a token names that client, so it gets
 * the webhook target check (api/integration/webhook-target.ts): no loopback, private or link-local
 * address unless WEBHOOK_ALLOW_PRIVATE=1 — when the key is registered, and again at every fetch
 * (a key stored earlier, or a name whose DNS answer changed, reaches nothing inside).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { newId } from '../../api/platform/ids.js';

describe.each(DIALECTS)('SSO JWKS URLs and the private network (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let jwks: Server;
  let hits = 0;
  let port: number;
  let rs: Awaited<ReturnType<typeof generateKeyPair>>;
  const clients: Record<string, { id: number; publicId: string }> = {};

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 10 }); // WEBHOOK_ALLOW_PRIVATE off, as in production
    agency = await api.login('demo.agency');
    for (const c of await api.db('clients').select('id', 'code', 'public_id')) clients[c.code] = { id: c.id, publicId: c.publicId };
    rs = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(rs.publicKey)), kid: 'inside', alg: 'RS256', use: 'sig' };
    // stands for an internal service (cloud metadata, an admin port) the portal's machine can reach
    jwks = createServer((_req, res) => {
      hits++;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    }).listen(0, '127.0.0.1');
    await new Promise((r) => jwks.once('listening', r));
    port = (jwks.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await api?.close();
    await new Promise((r) => jwks?.close(r));
  });

  it('refuses to register a JWKS URL on a loopback, private or link-local address', async () => {
    for (const url of [`http://127.0.0.1:${port}/jwks.json`, `http://localhost:${port}/jwks.json`, 'https://10.1.2.3/jwks.json', 'https://169.254.169.254/latest/meta-data/jwks', 'https://[::ffff:127.0.0.1]/jwks.json']) {
      const res = await api.request(`/clients/${clients.CPL!.publicId}/sso-keys`, { token: agency, body: { alg: 'RS256', jwksUrl: url } });
      expect(res.status, url).toBe(400);
      expect(res.body.code, url).toBe('invalid_key');
      expect(res.body.errors, url).toEqual([expect.objectContaining({ path: 'jwksUrl', code: 'target_forbidden' })]);
    }
    expect(await api.db('sso_keys').where('jwks_url', 'like', '%jwks%').where({ clientId: clients.CPL!.id })).toEqual([]);
    expect(hits).toBe(0);
  });

  it('a stored key whose JWKS URL is private is not fetched when a token names its client', async () => {
    // as a key registered before this check, or one whose name now resolves inside
    await api.db('sso_keys').insert({ publicId: newId('ssokey'), clientId: clients.SBRH!.id, alg: 'RS256', kid: 'inside', publicJwk: null, jwksUrl: `http://127.0.0.1:${port}/jwks.json`, createdAt: new Date() });
    const t = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'inside' })
      .setIssuer(clients.SBRH!.publicId).setAudience(api.config.publicUrl).setSubject('demo.group').setIssuedAt(t).setExpirationTime(t + 120)
      .sign(rs.privateKey);
    const res = await api.request('/auth/embed', { body: { token } });
    expect(res.status).toBe(401);
    expect(hits).toBe(0);
    const failure = await api.db('audit_log').where({ action: 'auth.embed_failed' }).orderBy('id', 'desc').first();
    expect(JSON.parse(failure.afterJson).reason).toBe('jwks_target_forbidden');
  });
});
