import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { insertRawEvent } from './event-fixtures.js';
import { GAP_WAIT_MS, readFeed } from '../../api/integration/feed.service.js';

describe.each(DIALECTS)('integration event feed (%s)', (dialect) => {
  let api: TestApi;
  let feedKey: string;
  let writeKey: string;
  let account: { id: number; publicId: string; clientId: number };
  const feed = (query: string, token = feedKey) => api.request(`/integration/events${query}`, { token });

  const append = (type: string, n: number, visibility: 'client' | 'internal' = 'client') =>
    api.db.transaction((trx) => insertRawEvent(trx, { type, clientId: account.clientId, accountId: account.id, visibility, payload: { n }, actor: { type: 'user', id: 'usr_x' } }));

  /** Everything after `cursor`, page by page. */
  async function drain(cursor: string, limit: number, types = '') {
    const seen: { seq: string; type: string; data: { n?: number } }[] = [];
    for (;;) {
      const res = await feed(`?after=${cursor}&limit=${limit}${types}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (!res.body.hasMore) return { seen, cursor };
    }
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5 });
    const agency = await api.login('demo.agency');
    feedKey = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Feed', scopes: ['events:read'] } })).body.key;
    writeKey = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Writer', scopes: ['accounts:write'] } })).body.key;
    account = await api.db('accounts').orderBy('id').first('id', 'public_id', 'client_id');
  });
  afterAll(() => api.close());

  it('needs the events:read scope and a numeric cursor', async () => {
    const denied = await feed('', writeKey);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('insufficient_scope');
    expect((await feed('?after=abc')).status).toBe(400);
    expect((await feed('?limit=5000')).status).toBe(400);
  });

  it('serves every event in order, in pages, with public ids; client actions and internal events alike', async () => {
    const start = (await feed('?limit=1000')).body.nextCursor as string;
    for (let n = 1; n <= 7; n++) await append(n % 2 ? 'account.note_added' : 'account.payment_reported', n, n === 7 ? 'internal' : 'client');
    await api.request('/integration/statuses', { token: writeKey, body: { agencyAccountNumber: (await api.db('accounts').where({ id: account.id }).first()).agencyAccountNumber, status: 'recalled' } });
    const { seen, cursor } = await drain(start, 3);
    expect(seen.map((e) => e.data.n ?? e.type)).toEqual([1, 2, 3, 4, 5, 6, 7, 'account.status_changed']);
    const seqs = seen.map((e) => BigInt(e.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! > seqs[i - 1]!).toBe(true);
    expect(cursor).toBe(seen[seen.length - 1]!.seq);
    const first = (await feed(`?after=${start}&limit=1`)).body;
    expect(first.hasMore).toBe(true);
    expect(first.data[0]).toEqual({
      id: ID('evt'), seq: expect.stringMatching(/^\d+$/), type: 'account.note_added', occurredAt: ISO_DATETIME,
      clientId: ID('cli'), accountId: account.publicId, visibility: 'client', actor: { type: 'user', id: 'usr_x' }, data: { n: 1 },
    });
    expect(seen[6]).toMatchObject({ visibility: 'internal' });
    expect(seen[7]).toMatchObject({ actor: { type: 'integration', id: ID('ikey') }, data: { from: expect.any(String), to: 'recalled' } });
  });

  it('resumes after an outage from the stored cursor, missing nothing and repeating nothing', async () => {
    const before = (await drain('0', 500)).cursor;
    for (let n = 100; n < 105; n++) await append('account.hold_placed', n);
    // the consumer was down; it comes back with its cursor
    const resumed = await drain(before, 2);
    expect(resumed.seen.map((e) => e.data.n)).toEqual([100, 101, 102, 103, 104]);
    const idle = await feed(`?after=${resumed.cursor}`);
    expect(idle.body).toEqual({ data: [], nextCursor: resumed.cursor, hasMore: false });
  });

  it('filters by type while the cursor advances over the rest', async () => {
    const start = (await drain('0', 500)).cursor;
    await append('account.note_added', 200);
    await append('account.recalled', 201);
    await append('account.note_added', 202);
    const res = await feed(`?after=${start}&types=account.recalled,account.dispute_opened`);
    expect(res.body.data.map((e: { data: { n: number } }) => e.data.n)).toEqual([201]);
    const all = await feed(`?after=${start}`);
    expect(res.body.nextCursor).toBe(all.body.nextCursor);
  });

  it.runIf(dialect === 'mysql')('waits at a gap an open transaction holds; skips a rolled-back one at once, not after GAP_WAIT_MS', async () => {
    const start = Number((await drain('0', 500)).cursor);
    // A rolled-back write takes an id that never fills.
    await api.db.transaction(async (trx) => {
      await insertRawEvent(trx, { type: 't', clientId: null, accountId: null, visibility: 'internal', payload: { n: -1 }, actor: { type: 'system', id: null } });
      throw new Error('roll back');
    }).catch(() => undefined);
    await append('account.note_added', 300);
    // Half a second later the rolled-back gap is recognised (it used to hold every reader for 60 s).
    const soon = await readFeed(api.db, { after: String(start), limit: 10 }, new Date(Date.now() + 500));
    expect(soon.data.map((e) => (e.data as { n: number }).n)).toEqual([300]);
    // An open transaction's id is waited on, however the probe is timed…
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let inserted = false;
    const held = api.db.transaction(async (trx) => {
      await insertRawEvent(trx, { type: 'account.note_added', clientId: account.clientId, accountId: account.id, visibility: 'client', payload: { n: 301 }, actor: { type: 'system', id: null } });
      inserted = true;
      await released;
    });
    try {
      while (!inserted) await new Promise((r) => setTimeout(r, 10));
      await append('account.note_added', 302);
      const waiting = await readFeed(api.db, { after: soon.nextCursor, limit: 10 }, new Date(Date.now() + 500));
      expect(waiting.data).toEqual([]);
      expect(waiting.nextCursor).toBe(soon.nextCursor);
    } finally {
      release();
      await held;
    }
    // …and served in order once it commits.
    const done = await readFeed(api.db, { after: soon.nextCursor, limit: 10 }, new Date(Date.now() + 500));
    expect(done.data.map((e) => (e.data as { n: number }).n)).toEqual([301, 302]);
  });
});
