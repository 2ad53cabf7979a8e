import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { accountPicker, type PickedAccount } from './account-fixtures.js';
import { insertRawEvent } from './event-fixtures.js';

interface Received { seq: number; type: string; accountId: string | null; payload: Record<string, unknown> }

/** A live SSE connection read with fetch, collecting parsed events. */
async function listen(api: TestApi, token: string, query = '', headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(`${api.url}/api/v1/events${query}`, { headers: { Authorization: `Bearer ${token}`, ...headers }, signal: controller.signal });
  const events: Received[] = [];
  let raw = '';
  const done = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        raw += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, i);
          raw = raw.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data && block.split('\n').some((l) => l.startsWith('id: '))) events.push(JSON.parse(data.slice(6)) as Received);
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    res, events,
    waitFor: async (pred: (e: Received) => boolean, ms = 5000) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const hit = events.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching event; got ${JSON.stringify(events.map((e) => e.type))}`);
    },
    close: async () => { controller.abort(); await done; },
  };
}

describe.each(DIALECTS)('live events over SSE (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let agency: string;
  let group: string;
  let cpl: PickedAccount;
  let sbrh: PickedAccount;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 60 });
    client = await api.login('demo.client');
    agency = await api.login('demo.agency');
    group = await api.login('demo.group');
    cpl = await accountPicker(api, 'CPL')();
    sbrh = await accountPicker(api, 'SBRH')();
  });
  afterAll(() => api.close());

  it('pushes changes to each caller\'s own clients only; internal events reach agency staff only', async () => {
    const clientStream = await listen(api, client);
    const agencyStream = await listen(api, agency);
    expect(clientStream.res.status).toBe(200);
    expect(clientStream.res.headers.get('content-type')).toContain('text/event-stream');
    await new Promise((r) => setTimeout(r, 200));
    const internal = await api.request(`/accounts/${cpl.publicId}/notes`, { token: agency, body: { body: 'internal only' } });
    const otherClient = await api.request(`/accounts/${sbrh.publicId}/notes`, { token: group, body: { body: 'St Brigid note' } });
    const mine = await api.request(`/accounts/${cpl.publicId}/notes`, { token: client, body: { body: 'Debtor moved to Salem' } });
    const got = await clientStream.waitFor((e) => e.payload.noteId === mine.body.id);
    expect(got).toMatchObject({ type: 'account.note_added', accountId: cpl.publicId, payload: { visibility: 'client', authorName: 'Dana Whitfield' } });
    // the agency sees all three notes and the inbox tasks they opened
    await agencyStream.waitFor((e) => e.payload.noteId === mine.body.id);
    await agencyStream.waitFor((e) => e.payload.noteId === internal.body.id);
    await agencyStream.waitFor((e) => e.payload.noteId === otherClient.body.id);
    await agencyStream.waitFor((e) => e.type === 'task.opened' && e.accountId === cpl.publicId);
    await new Promise((r) => setTimeout(r, 700));
    expect(clientStream.events.some((e) => e.payload.noteId === internal.body.id)).toBe(false);
    expect(clientStream.events.some((e) => e.accountId === sbrh.publicId)).toBe(false);
    expect(clientStream.events.some((e) => e.type.startsWith('task.'))).toBe(false);
    const seqs = agencyStream.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await clientStream.close();
    await agencyStream.close();
  });

  it('filters by account and resumes after Last-Event-ID without losing events', async () => {
    const top = (await api.db('events').max({ m: 'id' })) as { m: number | string }[];
    const before = Number(top[0]!.m);
    await api.request(`/accounts/${cpl.publicId}/notes`, { token: client, body: { body: 'written while offline' } });
    const resumed = await listen(api, client, `?accountId=${cpl.publicId}`, { 'Last-Event-ID': String(before) });
    const e = await resumed.waitFor((x) => x.type === 'account.note_added');
    expect(e!.seq).toBeGreaterThan(before);
    await api.request(`/accounts/${cpl.publicId}/hold`, { token: client, body: { reason: 'Pause please' } });
    await resumed.waitFor((x) => x.type === 'account.status_changed' && x.payload.status === 'hold');
    expect(resumed.events.every((x) => x.accountId === cpl.publicId)).toBe(true);
    await resumed.close();
  });

  it.runIf(dialect === 'mysql')('delivers an event whose transaction commits after a later one (the settled read)', async () => {
    const stream = await listen(api, agency);
    await new Promise((r) => setTimeout(r, 300));
    // A transaction takes the next id and stays open while a later event commits (on another
    // account: the held insert's foreign-key lock would make the note wait for it).
    let commit!: () => void;
    const released = new Promise<void>((r) => (commit = r));
    let heldSeq = 0;
    const held = api.db.transaction(async (trx) => {
      await insertRawEvent(trx, { type: 'account.note_added', clientId: sbrh.clientId, accountId: sbrh.id, visibility: 'client', payload: { held: true }, actor: { type: 'system', id: null } });
      heldSeq = Number(((await trx.raw('SELECT LAST_INSERT_ID() AS id'))[0] as { id: number }[])[0]!.id);
      await released;
    });
    while (!heldSeq) await new Promise((r) => setTimeout(r, 20));
    let later: Awaited<ReturnType<TestApi['request']>>;
    try {
      later = await api.request(`/accounts/${cpl.publicId}/notes`, { token: agency, body: { body: 'committed first' } });
      expect(later.status).toBe(201);
      // The later event is not served while the earlier id is still held (the stream would move past it).
      await new Promise((r) => setTimeout(r, 1500));
      expect(stream.events.some((e) => e.payload.noteId === later.body.id)).toBe(false);
    } finally {
      commit();
      await held;
    }
    const got = await stream.waitFor((e) => e.payload.held === true);
    expect(got.seq).toBe(heldSeq);
    await stream.waitFor((e) => e.payload.noteId === later.body.id);
    const seqs = stream.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    await stream.close();
  });

  it('costs the database one poller per node, not one per stream (≤ 2 queries/s for 40 streams)', async () => {
    const streams = await Promise.all(Array.from({ length: 40 }, (_, i) => listen(api, i % 2 ? client : agency)));
    await new Promise((r) => setTimeout(r, 1000)); // connected, catch-up done
    let queries = 0;
    const count = () => void queries++;
    api.db.on('query', count);
    await new Promise((r) => setTimeout(r, 3000));
    api.db.off('query', count);
    expect(queries).toBeLessThanOrEqual(6);
    // and they still all receive what they may see
    const note = await api.request(`/accounts/${cpl.publicId}/notes`, { token: client, body: { body: 'to forty streams' } });
    for (const s of streams) await s.waitFor((e) => e.payload.noteId === note.body.id);
    await Promise.all(streams.map((s) => s.close()));
  });

  it('needs a session; another client\'s account is a 404; a bad cursor is a 400', async () => {
    expect((await api.request('/events')).status).toBe(401);
    expect((await api.request(`/events?accountId=${sbrh.publicId}`, { token: client })).status).toBe(404);
    expect((await api.request('/events', { token: client, headers: { 'Last-Event-ID': 'abc' } })).status).toBe(400);
  });
});
