import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { appendEvent, readEvents } from '../../api/platform/events.js';
import { EVENT_TYPE_NAMES, EventContractError } from '../../api/platform/event-types.js';
import { insertRawEvent } from './event-fixtures.js';

describe.each(DIALECTS)('event log (%s)', (dialect) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 0 });
  });
  afterAll(() => api.close());

  it('appends in the caller\'s transaction and reads in order, scoped and filtered', async () => {
    const [a, b] = (await api.db('clients').orderBy('id').limit(2).select('id')) as { id: number }[];
    await api.db.transaction(async (trx) => {
      await insertRawEvent(trx, { type: 'account.note_added', clientId: a!.id, accountId: null, visibility: 'client', payload: { n: 1 }, actor: { type: 'system' } });
      await insertRawEvent(trx, { type: 'account.note_added', clientId: b!.id, accountId: null, visibility: 'client', payload: { n: 2 }, actor: { type: 'system' } });
      await insertRawEvent(trx, { type: 'account.internal_note', clientId: a!.id, accountId: null, visibility: 'internal', payload: { n: 3 }, actor: { type: 'system' } });
    });
    // a rolled-back change leaves no event
    await expect(api.db.transaction(async (trx) => {
      await insertRawEvent(trx, { type: 'x', clientId: a!.id, accountId: null, visibility: 'client', payload: { n: 4 }, actor: { type: 'system' } });
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

  it('appends only catalogued types, with payloads that match their schema (issue 22)', async () => {
    const [a] = (await api.db('clients').orderBy('id').limit(1).select('id')) as { id: number }[];
    const before = Number(((await api.db('events').count({ n: '*' })) as { n: number | string }[])[0]!.n);
    const base = { clientId: a!.id, accountId: null, visibility: 'internal' as const, actor: { type: 'system' as const, id: null } };
    // an unknown type (as a string from runtime data: the type system refuses it at compile time)
    const unknownType = 'account.teleported' as string as (typeof EVENT_TYPE_NAMES)[number];
    await expect(api.db.transaction((trx) => appendEvent(trx, { ...base, type: unknownType, payload: {} }))).rejects.toThrow(EventContractError);
    await expect(api.db.transaction((trx) => appendEvent(trx, { ...base, type: unknownType, payload: {} }))).rejects.toThrow('Unknown event type "account.teleported"');
    // a known type whose payload lacks what the catalogue promises
    await expect(api.db.transaction((trx) => appendEvent(trx, { ...base, type: 'task.opened', payload: { taskId: 'tsk_1' } }))).rejects.toThrow(/task.opened payload does not match its schema: kind/);
    expect(Number(((await api.db('events').count({ n: '*' })) as { n: number | string }[])[0]!.n)).toBe(before);
    // the same type with its documented payload is appended
    await api.db.transaction((trx) => appendEvent(trx, { ...base, type: 'task.opened', payload: { taskId: 'tsk_1', kind: 'review', title: 'Look' } }));
    expect(Number(((await api.db('events').count({ n: '*' })) as { n: number | string }[])[0]!.n)).toBe(before + 1);
  });

  it('the catalogue holds the types the issue found missing', () => {
    for (const t of ['account.payment_reported', 'account.adjusted', 'placement.accepted', 'placement.rejected', 'placement.batch.validated', 'placement.batch.completed', 'task.closed']) {
      expect(EVENT_TYPE_NAMES).toContain(t);
    }
  });
});
