import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { up as grantIntegrationManage } from '../../migrations/20261124600500_grant_integration_manage.js';

describe.each(DIALECTS)('integration API keys (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 0 });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
  });
  afterAll(() => api.close());

  it('an agency admin creates a key that is shown once and stored hashed, with an audit row', async () => {
    const res = await api.request('/agency/integration-keys', { token: agency, body: { name: 'Core system', scopes: ['events:read', 'events:read'] } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('ikey'), name: 'Core system', prefix: res.body.key.slice(0, 13), scopes: ['events:read'],
      createdAt: ISO_DATETIME, createdBy: ID('usr'), lastUsedAt: null, revokedAt: null, key: expect.stringMatching(/^ck_int_[A-Za-z0-9_-]{43}$/),
    });
    const row = await api.db('integration_keys').where({ publicId: res.body.id }).first();
    expect(row.secretHash).toBe(createHash('sha256').update(res.body.key).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(res.body.key.slice(13));
    const list = await api.request('/agency/integration-keys', { token: agency });
    expect(list.status).toBe(200);
    expect(list.body.data[0].id).toBe(res.body.id);
    expect(list.body.data[0].key).toBeUndefined();
    expect(list.text).not.toContain(res.body.key);
    const audit = await api.db('audit_log').where({ action: 'integration_key.create', targetId: res.body.id }).first();
    expect(audit.actorType).toBe('user');
    expect(audit.afterJson).not.toContain(res.body.key);
  });

  it('rejects bad input, client users and agency users without the permission', async () => {
    expect((await api.request('/agency/integration-keys', { token: agency, body: { name: 'x', scopes: ['root'] } })).status).toBe(400);
    expect((await api.request('/agency/integration-keys', { token: agency, body: { name: 'x', scopes: [] } })).status).toBe(400);
    expect((await api.request('/agency/integration-keys', { token: client, body: { name: 'x', scopes: ['events:read'] } })).status).toBe(403);
    expect((await api.request('/agency/integration-keys', { body: { name: 'x', scopes: ['events:read'] } })).status).toBe(401);
  });

  it('a key authenticates integration routes only, within its scopes, and records last use', async () => {
    const created = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Feed only', scopes: ['events:read'] } })).body;
    const me = await api.request('/integration/me', { token: created.key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: created.id, name: 'Feed only', scopes: ['events:read'] });
    const row = await api.db('integration_keys').where({ publicId: created.id }).first();
    expect(row.lastUsedAt).not.toBeNull();
    // A key is not a user session, and a user token is not a key.
    expect((await api.request('/me', { token: created.key })).status).toBe(401);
    expect((await api.request('/accounts', { token: created.key })).status).toBe(401);
    const asUser = await api.request('/integration/me', { token: agency });
    expect(asUser.status).toBe(401);
    expect(asUser.body.code).toBe('invalid_api_key');
    // A tampered key is unknown.
    expect((await api.request('/integration/me', { token: `${created.key.slice(0, -1)}A` === created.key ? `${created.key.slice(0, -1)}B` : `${created.key.slice(0, -1)}A` })).status).toBe(401);
  });

  it('revocation takes effect on the next request; revoking again is harmless; another agency user is audited', async () => {
    const created = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Temp', scopes: ['events:read'] } })).body;
    expect((await api.request('/integration/me', { token: created.key })).status).toBe(200);
    const revoked = await api.request(`/agency/integration-keys/${created.id}`, { method: 'DELETE', token: agency });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(ISO_DATETIME);
    expect((await api.request('/integration/me', { token: created.key })).status).toBe(401);
    const again = await api.request(`/agency/integration-keys/${created.id}`, { method: 'DELETE', token: agency });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect(await api.db('audit_log').where({ action: 'integration_key.revoke', targetId: created.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect((await api.request('/agency/integration-keys/ikey_00000000000000000000000000', { method: 'DELETE', token: agency })).status).toBe(404);
    expect((await api.request(`/agency/integration-keys/${created.id}`, { method: 'DELETE', token: client })).status).toBe(403);
  });
});

describe('integration routes in the OpenAPI document', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('sqlite', { accounts: 0 });
  });
  afterAll(() => api.close());

  it('a database seeded before keys existed gets integration.manage for agency admins', async () => {
    const perms = async () => JSON.parse((await api.db('roles').where({ key: 'agency_admin' }).first()).permissions) as string[];
    await api.db('roles').where({ key: 'agency_admin' }).update({ permissions: JSON.stringify((await perms()).filter((p) => p !== 'integration.manage')) });
    await grantIntegrationManage(api.db);
    await grantIntegrationManage(api.db);
    expect((await perms()).filter((p) => p === 'integration.manage')).toHaveLength(1);
    expect(JSON.parse((await api.db('roles').where({ key: 'client_manager' }).first()).permissions)).not.toContain('integration.manage');
  });

  it('documents the key scheme, scopes and the bulk body forms', async () => {
    const doc = (await api.request('/openapi.json')).body;
    expect(doc.components.securitySchemes.integrationKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const integration = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown; 'x-scope'?: string; tags: string[] }>>)
      .filter(([p]) => p.startsWith('/api/v1/integration/') && p !== '/api/v1/integration/me');
    expect(integration.length).toBeGreaterThanOrEqual(10);
    for (const [, ops] of integration) {
      for (const op of Object.values(ops)) {
        expect(op.security).toEqual([{ integrationKey: [] }]);
        expect(op['x-scope']).toEqual(expect.stringMatching(/^[a-z]+:[a-z]+$/));
      }
    }
    const accounts = doc.paths['/api/v1/integration/accounts'].post;
    expect(Object.keys(accounts.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(accounts.requestBody.content['application/x-ndjson'].schema.properties.agencyAccountNumber).toBeDefined();
    expect(accounts.requestBody.content['application/json'].schema.oneOf[1]).toMatchObject({ type: 'array', maxItems: 10000 });
    expect(doc.paths['/api/v1/integration/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['after', 'limit', 'types']);
    expect(doc.paths['/api/v1/agency/integration-keys'].post['x-permission']).toBe('integration.manage');
  });
});
