/**
 * Issue 17, item 7: two tabs of one session refresh with the same token at the same moment. Before,
 * one won and the other counted as a replay, which ended the session — the winner's new tokens too.
 * Now, for 30 s after a rotation the replaced token answers with the same new pair; after that a
 * replay still ends the session. The requests here are truly concurrent, on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { SettableClock, useClock } from '../../api/platform/clock.js';
import { REFRESH_GRACE_MS } from '../../api/auth/auth.service.js';

const clock = new SettableClock(new Date());
useClock(clock);

describe.each(DIALECTS)('refresh race (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5 });
  });
  afterAll(() => api.close());

  const signIn = async () => (await api.request('/auth/login', { body: { username: 'demo.client', password: 'Cascade-Demo-2026!' } })).body as { accessToken: string; refreshToken: string };
  const refresh = (refreshToken: string) => api.request('/auth/refresh', { body: { refreshToken } });

  it('simultaneous refreshes with one token all get the same new pair; the session lives on', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await signIn();
      const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(first.refreshToken)));
      expect(answers.map((a) => a.status), answers.map((a) => a.text).join('\n')).toEqual([200, 200, 200, 200]);
      const tokens = new Set(answers.map((a) => a.body.refreshToken as string));
      expect(tokens.size).toBe(1);
      expect([...tokens][0]).not.toBe(first.refreshToken);
      for (const a of answers) expect((await api.request('/me', { token: a.body.accessToken })).status).toBe(200);
      // the new token rotates on as usual, and nothing was counted as a replay
      const next = await refresh(answers[0]!.body.refreshToken);
      expect(next.status).toBe(200);
      expect((await api.request('/me', { token: next.body.accessToken })).status).toBe(200);
    }
    expect(await api.db('audit_log').where({ action: 'auth.refresh_replayed' })).toEqual([]);
  });

  it('after the grace window, the replaced token is a replay: the session ends', async () => {
    const first = await signIn();
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    clock.advance(REFRESH_GRACE_MS + 1_000);
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect((await api.request('/me', { token: second.body.accessToken })).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    expect(await api.db('audit_log').where({ action: 'auth.refresh_replayed' })).toHaveLength(1);
  });

  it('within the window, a token replaced twice over is refused, and a logged-out session gives nothing', async () => {
    const first = await signIn();
    const second = (await refresh(first.refreshToken)).body;
    const third = await refresh(second.refreshToken);
    expect(third.status).toBe(200);
    // `first` is two rotations old: not the same rotation asked again
    expect((await refresh(first.refreshToken)).status).toBe(401);
    const again = await signIn();
    const rotated = (await refresh(again.refreshToken)).body;
    expect((await api.request('/auth/logout', { method: 'POST', token: rotated.accessToken })).status).toBe(204);
    expect((await refresh(again.refreshToken)).status).toBe(401);
  });
});
