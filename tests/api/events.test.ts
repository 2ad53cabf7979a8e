import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { appendEvent, readEvents } from '../../api/platform/events.js';

describe.each(DIALECTS)('event log (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 0 });
  });
  afterAll(() => api.close());

  it('appends in the caller\'s transaction and reads in order, scoped and filtered', async () => {
    const [a, b] = (await api.db('clients').orderBy('id').limit(2).select('id')) as { id: number }[];
    await api.db.transaction(async (trx) => {
      await appendEvent(trx, { type: 'account.note_added', clientId: a!.id, accountId: null, visibility: 'client', payload: { n: 1 }, actor: { type: 'system' } });
      await appendEvent(trx, { type: 'account.note_added', clientId: b!.id, accountId: null, visibility: 'client', payload: { n: 2 }, actor: { type: 'system' } });
      await appendEvent(trx, { type: 'account.internal_note', clientId: a!.id, accountId: null, visibility: 'internal', payload: { n: 3 }, actor: { type: 'system' } });
    });
    // a rolled-back change leaves no event
    await expect(api.db.transaction(async (trx) => {
      await appendEvent(trx, { type: 'x', clientId: a!.id, accountId: null, visibility: 'client', payload: { n: 4 }, actor: { type: 'system' } });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    const all = await readEvents(api.db, { after: 0, limit: 10, clientIds: 'all', clientVisibleOnly: false });
    expect(all.map((e) => e.payload.n)).toEqual([1, 2, 3]);
    expect(all[1]!.seq).toBeGreaterThan(all[0]!.seq);
    const clientA = await readEvents(api.db, { after: 0, limit: 10, clientIds: [a!.id], clientVisibleOnly: true });
    expect(clientA.map((e) => e.payload.n)).toEqual([1]);
    const resumed = await readEvents(api.db, { after: all[0]!.seq, limit: 10, clientIds: 'all', clientVisibleOnly: false });
    expect(resumed.map((e) => e.payload.n)).toEqual([2, 3]);
  });
});
