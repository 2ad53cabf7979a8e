/**
 * Sign-ins arrive together (a shift starts, a test suite logs several users in): none may fail
 * because another is running. On MySQL this once deadlocked in the per-IP rate limiter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, demoPassword, startTestApi, type TestApi } from './harness.js';

describe.each(DIALECTS)('concurrent sign-ins on %s', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 10 });
  });
  afterAll(() => api?.close());

  it('five rounds of four simultaneous logins from one address all succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const users = ['demo.agency', 'demo.client', 'demo.group', 'demo.agency'];
      const results = await Promise.all(users.map((username) => api.request('/auth/login', { body: { username, password: demoPassword(username) } })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    }
    const limits = await api.db('rate_limits').select('hits');
    expect(limits.length).toBeGreaterThan(0);
    expect(Math.max(...limits.map((r: { hits: number }) => Number(r.hits)))).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
