import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';

describe.each(DIALECTS)('bad input is a clear problem+json, never a 500 (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
  });
  afterAll(() => api.close());

  const problem = (status: number, code: string) => ({ type: expect.stringContaining(code.replace(/_/g, '-')), title: expect.any(String), status, detail: expect.any(String), code, requestId: expect.stringMatching(/^req_/) });

  it('malformed JSON → 400 malformed_json', async () => {
    const res = await api.request('/auth/login', { method: 'POST', rawBody: '{"username": ', headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject(problem(400, 'malformed_json'));
  });

  it('a body nested thousands deep → 400 body_too_deep, also where an Idempotency-Key fingerprints it (was a 500: stack overflow)', async () => {
    const token = await api.login('demo.agency');
    const account = (await api.db('accounts').first('public_id')) as { publicId: string };
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const res = await api.request(`/accounts/${account.publicId}/notes`, {
      method: 'POST', token, rawBody: `{"body": "x", "visibility": "internal", "extra": ${deep}}`,
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'deep-body-1' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(problem(400, 'body_too_deep'));
    // 32 levels is still an ordinary body: refused by the route's own schema, not by depth
    const shallow = await api.request(`/accounts/${account.publicId}/notes`, {
      method: 'POST', token, rawBody: `{"body": "x", "extra": ${'['.repeat(31)}${']'.repeat(31)}}`, headers: { 'Content-Type': 'application/json' },
    });
    expect(shallow.status).toBe(400);
    expect(shallow.body.code).toBe('validation_failed');
  });

  it('unknown fields and wrong types → 400 with the field paths', async () => {
    const res = await api.request('/auth/login', { body: { username: 42, password: 'x', admin: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'username', code: 'invalid_type' }),
      expect.objectContaining({ path: 'admin', code: 'unknown_field' }),
    ]));
  });

  it('a body that is not an object → 400', async () => {
    const res = await api.request('/auth/login', { body: ['a'] });
    expect(res.status).toBe(400);
  });

  it('wrong content type → 415; oversized body → 413', async () => {
    const form = await api.request('/auth/login', { method: 'POST', rawBody: 'username=a', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const big = await api.request('/auth/login', { body: { username: 'a', password: 'x'.repeat(2_000_000) } });
    expect(big.status).toBe(413);
  });

  it('bad query values → 400 naming the parameter', async () => {
    const token = await api.login('demo.agency');
    for (const [q, path] of [['pageSize=1000', 'query.pageSize'], ['status=lost', 'query.status'], ['ssnLast4=12a4', 'query.ssnLast4'], ['placedFrom=yesterday', 'query.placedFrom'], ['sort=ssn', 'query.sort']]) {
      const res = await api.request(`/accounts?${q}`, { token });
      expect(res.status, q).toBe(400);
      expect(res.body.errors[0].path).toBe(path);
    }
  });

  it('unknown route → 404 problem; no token → 401 problem', async () => {
    expect((await api.request('/nope')).body).toMatchObject(problem(404, 'route_not_found'));
    expect((await api.request('/accounts')).body).toMatchObject(problem(401, 'unauthorized'));
  });

  it('every response carries a request id', async () => {
    const res = await api.request('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: dialect });
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
  });
});
