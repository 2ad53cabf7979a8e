import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe.each(DIALECTS)('SSO embed token exchange (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let jwksServer: Server;
  let jwksUrl: string;
  let es: KeyPair;
  let rs: KeyPair;
  let other: KeyPair;
  const clients: Record<string, string> = {};
  let esKeyId: string;

  beforeAll(async () => {
    // the client's JWKS server below is on loopback: allowed as an on-premise address would be
    api = await startTestApi(dialect, { accounts: 10, config: { webhookAllowPrivate: true } });
    agency = await api.login('demo.agency');
    for (const c of await api.db('clients').select('code', 'public_id')) clients[c.code] = c.publicId;
    es = await generateKeyPair('ES256', { extractable: true });
    rs = await generateKeyPair('RS256', { extractable: true });
    other = await generateKeyPair('ES256', { extractable: true });
    const rsJwk = { ...(await exportJWK(rs.publicKey)), kid: 'sbrh-2026', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [rsJwk] }));
    }).listen(0, '127.0.0.1');
    await new Promise((r) => jwksServer.once('listening', r));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;

    const esReg = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', publicJwk: await exportJWK(es.publicKey) } });
    expect(esReg.status).toBe(201);
    esKeyId = esReg.body.id;
    const rsReg = await api.request(`/clients/${clients.SBRH}/sso-keys`, { token: agency, body: { alg: 'RS256', jwksUrl } });
    expect(rsReg.status).toBe(201);
  });
  afterAll(async () => {
    await api.close();
    await new Promise((r) => jwksServer.close(r));
  });

  interface Claims { iss?: string; aud?: string; sub?: string; jti?: string | null; iat?: number; exp?: number }
  async function sign(key: KeyPair, alg: 'ES256' | 'RS256', claims: Claims = {}, kid?: string) {
    const t = Math.floor(Date.now() / 1000);
    const body = { iss: clients.CPL, aud: api.config.publicUrl, sub: 'demo.client', jti: randomUUID(), iat: t, exp: t + 120, ...claims };
    const jwt = new SignJWT(body.jti === null ? {} : { jti: body.jti }).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
      .setIssuer(body.iss).setAudience(body.aud).setSubject(body.sub).setIssuedAt(body.iat).setExpirationTime(body.exp);
    return jwt.sign(key.privateKey);
  }
  const exchange = (token: string) => api.request('/auth/embed', { body: { token } });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const lastFailure = async () => JSON.parse((await api.db('audit_log').where({ action: 'auth.embed_failed' }).orderBy('id', 'desc').first()).afterJson).reason;

  it('exchanges a valid ES256 token for a session of the named user, once', async () => {
    const token = await sign(es, 'ES256');
    const res = await exchange(token);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('demo.client');
    expect((await api.request('/accounts', { token: res.body.accessToken })).status).toBe(200);
    const audit = await api.db('audit_log').where({ action: 'auth.login' }).orderBy('id', 'desc').first();
    expect(JSON.parse(audit.afterJson)).toEqual({ via: 'embed', client: clients.CPL });
    // replay
    const replay = await exchange(token);
    expect(replay.status).toBe(401);
    expect(await lastFailure()).toBe('replayed');
  });

  it('accepts an RS256 token verified through the client\'s JWKS URL', async () => {
    const res = await exchange(await sign(rs, 'RS256', { iss: clients.SBRH, sub: 'demo.group' }, 'sbrh-2026'));
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('demo.group');
  });

  it('refuses every attack with the same 401', async () => {
    const t = Math.floor(Date.now() / 1000);
    const pem = await exportSPKI(es.publicKey);
    const jwk = JSON.stringify(await exportJWK(es.publicKey));
    const hs = (secret: string) => {
      const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: clients.CPL, aud: api.config.publicUrl, sub: 'demo.client', jti: randomUUID(), iat: t, exp: t + 60 })}`;
      return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
    };
    const cases: [string, string, string][] = [
      ['wrong key', await sign(other, 'ES256'), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
      ['wrong audience', await sign(es, 'ES256', { aud: 'https://evil.example' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
      ['expired', await sign(es, 'ES256', { iat: t - 400, exp: t - 100 }), 'ERR_JWT_EXPIRED'],
      ['too long-lived', await sign(es, 'ES256', { exp: t + 3600 }), 'lifetime_too_long'],
      ['no jti', await sign(es, 'ES256', { jti: null }), 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
      ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: clients.CPL, aud: api.config.publicUrl, sub: 'demo.client', jti: randomUUID(), iat: t, exp: t + 60 })}.`, 'algorithm_none'],
      ['HS256 with the public key PEM as secret', hs(pem), 'algorithm_HS256'],
      ['HS256 with the public JWK as secret', hs(jwk), 'algorithm_HS256'],
      ['RS256 key on an ES256-only client', await sign(rs, 'RS256'), 'no_matching_key'],
      ['another client\'s user', await sign(es, 'ES256', { sub: 'demo.group' }), 'unknown_user'],
      ['an agency user', await sign(es, 'ES256', { sub: 'demo.agency' }), 'unknown_user'],
      ['unknown issuer', await sign(es, 'ES256', { iss: 'cli_00000000000000000000000000' }), 'unknown_issuer'],
      ['issuer of another client', await sign(es, 'ES256', { iss: clients.SBRH, sub: 'demo.group' }), 'no_matching_key'],
      ['garbage', 'not.a.jwt-at-all-really', 'malformed'],
    ];
    const bodies: unknown[] = [];
    for (const [name, token, reason] of cases) {
      const res = await exchange(token);
      expect(res.status, name).toBe(401);
      expect(res.body.code, name).toBe('embed_token_invalid');
      expect(await lastFailure(), name).toBe(reason);
      bodies.push({ ...res.body, requestId: undefined });
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it('a revoked key stops working at once', async () => {
    const extra = await generateKeyPair('ES256', { extractable: true });
    const reg = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', kid: 'rotating', publicJwk: await exportJWK(extra.publicKey) } });
    expect((await exchange(await sign(extra, 'ES256', {}, 'rotating'))).status).toBe(200);
    expect((await api.request(`/clients/${clients.CPL}/sso-keys/${reg.body.id}`, { method: 'DELETE', token: agency })).status).toBe(204);
    expect((await exchange(await sign(extra, 'ES256', {}, 'rotating'))).status).toBe(401);
    // the other key of the client still works
    expect((await exchange(await sign(es, 'ES256'))).status).toBe(200);
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency })).body.data.map((k: { id: string }) => k.id)).toContain(esKeyId);
  });

  it('only agency settings administrators register keys, and only public ones', async () => {
    const client = await api.login('demo.client');
    const pub = await exportJWK(other.publicKey);
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: client, body: { alg: 'ES256', publicJwk: pub } })).status).toBe(403);
    const priv: JWK = await exportJWK(other.privateKey);
    const res = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', publicJwk: priv } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_key');
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', publicJwk: { kty: 'oct', k: 'c2VjcmV0' } } })).status).toBe(400);
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'RS256', jwksUrl: 'http://intranet.example/jwks' } })).status).toBe(400);
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'RS256', publicJwk: pub } })).status).toBe(400);
  });

  it('keeps only the known JWK members, each of bounded size (no deep extra members stored, no 500)', async () => {
    const pub = await exportJWK(other.publicKey);
    const jwk = JSON.stringify({ ...pub, ext: true, key_ops: ['verify'] }).slice(0, -1);
    const keysBefore = (await api.db('sso_keys').count({ n: '*' }))[0]!.n;
    // A body nested thousands deep is refused whole, before any route sees it (body.ts: at most 32 levels).
    // Written as text: JSON.stringify itself overflows the stack on 10,000 levels.
    const deep = `${'{"a":'.repeat(10_000)}"bottom"${'}'.repeat(10_000)}`;
    const deepArray = `${'['.repeat(1000)}1${']'.repeat(1000)}`;
    for (const extra of [deep, deepArray]) {
      const rawBody = `{"alg":"ES256","publicJwk":${jwk},"extra":${extra}}}`;
      const res = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, rawBody, headers: { 'Content-Type': 'application/json' }, method: 'POST' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('body_too_deep');
    }
    expect((await api.db('sso_keys').count({ n: '*' }))[0]!.n).toEqual(keysBefore);
    // Extra members of an ordinary depth are dropped: only the key's own members are kept.
    const rawBody = `{"alg":"ES256","publicJwk":${jwk},"extra":{"a":{"b":[1,{"c":2}]}}}}`;
    const res = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, rawBody, headers: { 'Content-Type': 'application/json' }, method: 'POST' });
    expect(res.status).toBe(201);
    expect(res.body.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y });
    const stored = await api.db('sso_keys').where({ publicId: res.body.id }).first('public_jwk');
    expect(JSON.parse(stored.publicJwk)).toEqual({ kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y });
    expect((await api.request(`/clients/${clients.CPL}/sso-keys/${res.body.id}`, { method: 'DELETE', token: agency })).status).toBe(204);
    const huge = await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', publicJwk: { ...pub, x: 'A'.repeat(100_000) } } });
    expect(huge.status).toBe(400);
    expect(huge.headers.get('content-type')).toBe('application/problem+json');
    expect(huge.body.errors[0].path).toBe('publicJwk.x');
    expect((await api.request(`/clients/${clients.CPL}/sso-keys`, { token: agency, body: { alg: 'ES256', publicJwk: { ...pub, x: { nested: true } } } })).status).toBe(400);
  });
});
