/**
 * Fuzzing every operation of the OpenAPI document with hostile values generated from its schema:
 * wrong types, huge strings, deep nesting, unicode edge cases (NUL, lone surrogates, RTL), malformed
 * JSON and media types, and path ids of another tenant's resources — as a client user, as an
 * integration key (integration routes) and unauthenticated. Whatever arrives, the API must answer
 * with no 5xx, and every error must be problem+json without a stack trace.
 *
 * Deterministic: a seeded PRNG picks every value (FUZZ_SEED replays another run). Bounded: cases go
 * round-robin over the operations, so when the time budget (FUZZ_BUDGET_MS, 60 s by default) runs out
 * every operation has had the same number of tries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { ALL_INTEGRATION_SCOPES } from '../../api/platform/auth/integration.js';
import { encodeSegment, hostileParam, hostileValue, mutate, prng, unicodeize, validish, type JsonSchema, type Rng } from './fuzz-values.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 60_000);
/** tries per operation and caller; FUZZ_AGENCY_CASES adds an agency administrator (deeper, slower: off by default) */
const CASES = { client: 10, integration: 10, anonymous: 2, agency: Number(process.env.FUZZ_AGENCY_CASES ?? 0) };
type Mode = keyof typeof CASES;

interface Operation {
  method: string; path: string; security?: unknown[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** Stack frames or source paths in a body: what an answer must never show. */
const LEAK = /\n\s+at [^\n]+:\d+:\d+|node_modules|\/work\/|\.ts:\d+|SQLITE_|ER_[A-Z_]{4,}/;

describe.each(DIALECTS)('API fuzz (%s)', (dialect) => {
  let api: TestApi;
  const tokens: Partial<Record<Mode, string>> = {};
  const USERNAMES = { client: 'demo.client', agency: 'demo.agency' } as const;
  let integrationKey: string;
  let ops: Operation[] = [];
  /** public ids of resources that are not the client user's (another tenant's), and a few of its own */
  let idPool: string[] = [];
  /** of those, the ones that belong to clients the client user is not linked to */
  const foreign = new Set<string>();

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 30 });
    for (const mode of ['client', 'agency'] as const) {
      tokens[mode] = await api.login(USERNAMES[mode]);
      userRows[mode] = await api.db('users').where({ username: USERNAMES[mode] }).first();
    }
    const agency = tokens.agency!;
    integrationKey = (await api.request('/agency/integration-keys', { token: agency, body: { name: 'Fuzz', scopes: ALL_INTEGRATION_SCOPES } })).body.key;
    // a little of everything to point path ids at: a webhook, a note, a collab folder …
    await api.request('/integration/webhooks', { token: integrationKey, body: { url: 'https://hooks.example.test/x', eventTypes: ['*'] } });

    const own = (await api.db('users as u').join('user_clients as uc', 'uc.user_id', 'u.id').where('u.username', 'demo.client').select('uc.client_id')) as { clientId: number }[];
    const ownClients = new Set(own.map((r) => Number(r.clientId)));
    const tables = dialect === 'sqlite'
      ? ((await api.db.raw("select name from sqlite_master where type = 'table'")) as { name: string }[]).map((r) => r.name)
      : (((await api.db.raw('select table_name as name from information_schema.tables where table_schema = database()')) as [{ name: string }[]])[0]).map((r) => r.name);
    const pool = new Set<string>();
    for (const table of tables) {
      const columns = await api.db(table).columnInfo();
      if (!('public_id' in columns) && !('publicId' in columns)) continue;
      const q = api.db(table).select('public_id').orderBy('public_id').limit(4);
      const hasClient = 'client_id' in columns || 'clientId' in columns;
      const rows = (await (hasClient ? q.clone().whereNotIn('client_id', [...ownClients]) : q)) as { publicId: string }[];
      for (const r of rows) {
        pool.add(String(r.publicId));
        if (hasClient) foreign.add(String(r.publicId));
      }
      if (hasClient) for (const r of (await q.clone().whereIn('client_id', [...ownClients]).limit(1)) as { publicId: string }[]) pool.add(String(r.publicId));
    }
    idPool = [...pool].sort();

    const doc = (await api.request('/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })))
      .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  }, 120_000);
  afterAll(() => api.close());

  /** The users as seeded: a fuzzed call may change their password, disable or lock them (their own rights). */
  const userRows: Partial<Record<Mode, Record<string, unknown>>> = {};
  async function signInAgain(mode: 'client' | 'agency'): Promise<string> {
    const { id, ...row } = userRows[mode]!;
    await api.db('users').where({ id }).update(row);
    await api.db('login_throttle').delete();
    return api.login(USERNAMES[mode]);
  }

  const pathIds = (url: string) => new URL(url).pathname.split('/').map((seg) => { try { return decodeURIComponent(seg); } catch { return seg; } });

  const isIntegration = (op: Operation) => JSON.stringify(op.security ?? []).includes('integrationKey');

  function buildRequest(rng: Rng, op: Operation): { url: string; init: RequestInit; shown: string } {
    let path = op.path;
    const query = new URLSearchParams();
    for (const p of op.parameters ?? []) {
      if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeSegment(hostileParam(rng, p.schema, idPool)));
      else if (p.in === 'query' && rng.chance(0.6)) {
        const v = rng.chance(0.4) ? String(validish(rng, p.schema ?? {}, p.schema ?? {}, idPool)) : hostileParam(rng, p.schema, idPool);
        query.append(p.name, v.replace(/[\ud800-\udfff]/g, '\ufffd'));
        if (rng.chance(0.1)) query.append(p.name, 'again'); // the same parameter twice: an array
      }
    }
    if (rng.chance(0.05)) query.append('unknown', 'x'.repeat(5000));
    const headers: Record<string, string> = {};
    let body: BodyInit | undefined;
    const content = op.requestBody?.content ?? {};
    const json = content['application/json']?.schema;
    const roll = rng.next();
    if (content['multipart/form-data'] && roll < 0.5) {
      const form = new FormData();
      const schema = content['multipart/form-data'].schema;
      for (const name of Object.keys(schema.properties ?? {})) {
        if (name === 'file') continue;
        const v = rng.chance(0.5) ? validish(rng, schema, schema.properties![name]!, idPool) : hostileValue(rng, idPool);
        form.append(name, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
      }
      const fileName = rng.pick(['../../etc/passwd', 'a\u0000b.pdf', '\u202egpj.exe', 'x'.repeat(600), '.pdf', 'résumé.csv', 'con.txt']);
      form.append('file', new Blob([rng.pick(['%PDF-1.4\n%%EOF', 'a,b\n1,2\n', '\u0000\u0001', ''])]), fileName);
      body = form;
    } else if (roll < 0.06) {
      headers['Content-Type'] = 'application/json';
      body = rng.pick(['{', '{"a":', '[1,2', 'nul', '\u0000', '{"a":1}{"b":2}', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`]);
    } else if (roll < 0.1) {
      headers['Content-Type'] = rng.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x']);
      body = 'a=1&b=2';
    } else if (json || op.method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      const near = json ? validish(rng, json, json, idPool) : undefined;
      const style = rng.next();
      const value = !json ? hostileValue(rng, idPool) : style < 0.5 ? mutate(rng, near, idPool) : style < 0.85 ? unicodeize(rng, near) : near;
      body = JSON.stringify(value);
    }
    if (op.method === 'GET' || op.method === 'HEAD') body = undefined;
    if (op.parameters?.some((p) => p.name === 'Idempotency-Key') && rng.chance(0.5)) headers['Idempotency-Key'] = rng.pick(['k', 'x'.repeat(300), ' ', 'é']).replace(/[^\x20-\x7e]/g, '?');
    const qs = query.toString();
    const url = `${api.url}${path}${qs ? `?${qs}` : ''}`;
    const shown = `${op.method} ${path.slice(0, 200)}${qs ? `?${qs.slice(0, 200)}` : ''} ${typeof body === 'string' ? body.slice(0, 300) : body ? '[form]' : ''}`;
    return { url, init: { method: op.method, headers, body }, shown };
  }

  it('no operation answers 5xx, and every error is problem+json without a stack trace', async () => {
    expect(ops.length).toBeGreaterThan(100);
    expect(idPool.some((id) => id.startsWith('acct_') && foreign.has(id))).toBe(true);
    const rng = prng(SEED);
    const failures: string[] = [];
    const started = performance.now();
    let sent = 0;
    const statuses: Record<number, number> = {};
    let planned = 0;
    const plan: { mode: Mode; op: Operation }[][] = [];
    for (let round = 0; round < Math.max(...Object.values(CASES)); round++) {
      const roundCases: { mode: Mode; op: Operation }[] = [];
      for (const op of ops) {
        const modes: Mode[] = isIntegration(op) ? ['integration', 'anonymous'] : ['client', 'anonymous', 'agency'];
        for (const mode of modes) if (round < CASES[mode]) roundCases.push({ mode, op });
      }
      plan.push(roundCases);
      planned += roundCases.length;
    }
    outer: for (const round of plan) {
      for (const { mode, op } of round) {
        if (performance.now() - started > BUDGET_MS) break outer;
        const { url, init, shown } = buildRequest(rng, op);
        const token = mode === 'integration' ? integrationKey : tokens[mode];
        if (token) (init.headers as Record<string, string>).Authorization = `Bearer ${token}`;
        sent++;
        let res: Response;
        try {
          res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
        } catch (err) {
          failures.push(`[${mode}] ${shown} → no answer (${(err as Error).name}: ${(err as Error).message})`);
          continue;
        }
        const type = res.headers.get('content-type') ?? '';
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (type.startsWith('text/event-stream')) {
          await res.body?.cancel();
          continue;
        }
        const text = type.startsWith('application/pdf') || type.includes('spreadsheet') ? '' : await res.text();
        const problem = (() => {
          if (res.status >= 500) return `status ${res.status}`;
          // another tenant's resource named in the path must be a 404 (or refused earlier), never served or changed
          if (mode === 'client' && res.status < 300 && pathIds(url).some((id) => foreign.has(id))) return 'another tenant\'s resource was served';
          if (LEAK.test(text)) return 'stack trace or internals in the body';
          if (res.status >= 400) {
            if (!type.startsWith('application/problem+json')) return `error as ${type || 'no content type'}`;
            const body = JSON.parse(text) as { status?: number; code?: string; requestId?: string };
            if (body.status !== res.status || !body.code || !body.requestId) return 'problem body without status/code/requestId';
          }
          return null;
        })();
        if (problem) failures.push(`[${mode}] ${shown} → ${res.status} ${problem}: ${text.slice(0, 300)}`);
        // a call that ended the user's session (logout, a password change): sign in again
        if ((mode === 'client' || mode === 'agency') && res.status === 401 && (await api.request('/me', { token: tokens[mode] })).status === 401) tokens[mode] = await signInAgain(mode);
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fuzz (${dialect}): ${sent} of ${planned} planned requests over ${ops.length} operations in ${seconds} s, seed ${SEED}, ${failures.length} failures; statuses ${JSON.stringify(statuses)}`);
    if (process.env.FUZZ_REPORT) writeFileSync(`${process.env.FUZZ_REPORT}.${dialect}`, failures.join('\n'));
    expect(failures.slice(0, 40)).toEqual([]);
    // enough of the plan ran to mean something even on a slow machine
    expect(sent).toBeGreaterThan(ops.length * 2);
  }, BUDGET_MS + 120_000);
});
