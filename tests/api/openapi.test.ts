import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Router from '@koa/router';
import { startTestApi, type TestApi } from './harness.js';
import { allRoutes } from '../../api/app.js';
import { mountRoutes } from '../../api/platform/http/route.js';

describe('OpenAPI document', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('sqlite', { accounts: 0 });
  });
  afterAll(() => api.close());

  it('is served at /api/v1/openapi.json and describes every mounted route', async () => {
    const res = await api.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const router = new Router({ prefix: '/api/v1' });
    mountRoutes(router, { db: api.db, config: api.config }, allRoutes({ db: api.db, config: api.config }));
    const mounted = router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`));
    expect(mounted.length).toBeGreaterThan(8);
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(documented.sort()).toEqual([...new Set(mounted)].sort());
  });

  it('documents request schemas, parameters and problem responses', async () => {
    const doc = (await api.request('/openapi.json')).body;
    const search = doc.paths['/api/v1/accounts'].get;
    expect(search.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['name', 'ssnLast4', 'page', 'pageSize', 'sort']));
    expect(search['x-permission']).toBe('accounts.read');
    const login = doc.paths['/api/v1/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    expect(login.responses['401'].content['application/problem+json']).toBeDefined();
  });
});
