/**
 * Search benchmark (issues 2 and 21): authenticated `GET /api/v1/accounts` against the same SQL run
 * straight through mysql2, on MariaDB with 1,000,000 seeded accounts (BENCH_ACCOUNTS=100000 for a
 * quicker database while iterating; each size is seeded once into ck_bench_<N> and reused), in one run.
 * For name prefix, agency account number and status + client it prints p50/p95 of the API, of its SQL
 * and of the transport floor (the same response from a bare node:http process), the added cost
 * (API − SQL − floor at p50, issue 21's budget: ≤ 0.5 ms) and requests per second at 20 connections.
 * Then `GET accounts/{id}` at 20 connections against a bare Koa route answering the same body from
 * memory, started the same way (issue 21: ≥ 0.5× its requests/s).
 *
 * Two more baselines say what this machine allows any server, so that a target no server can reach
 * here is seen as such: the same bare Koa process running the request's own SQL through a plain
 * mysql2 pool before it answers (per search case: its added cost, and the API's time over it), and,
 * for the pane, running `select 1` or the pane's own statements (requests/s against bare Koa).
 * Everything is measured after BENCH_WARM_UP (300) requests of each kind: steady state, not V8's
 * first few hundred unoptimised requests. Samples of the calls compared are
 * taken in turn so that a busy spell on a shared machine hits them alike. Also prints the widget
 * bundle's size min+gzip (scripts/bundle-size.ts); that part alone: `npx tsx scripts/bundle-size.ts`.
 *
 *   flock /work/bench.lock npm run bench -- search
 *   BENCH_ACCOUNTS=100000 BENCH_SECONDS=4 npx tsx tests/bench/search/search.bench.ts
 *   BENCH_PREPARE_ONLY=1 npx tsx tests/bench/search/search.bench.ts   (seed the database, measure nothing)
 *   BENCH_API_NODE_ARGS='--max-old-space-size=512 --cpu-prof --cpu-prof-dir=/tmp/prof' …   (profile the API)
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import knexFactory from 'knex';
import { createPool, type Pool } from 'mysql2/promise';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed } from '../../../api/seed/seed.js';
import { describeBundle } from '../../../scripts/bundle-size.js';
import { API_NODE_ARGS, fmt, percentile, startApiProcess, throughput } from '../lib.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const DB_NAME = `ck_bench_${ACCOUNTS}`;
const DATABASE_URL = Object.assign(new URL(SERVER), { pathname: `/${DB_NAME}` }).toString();
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** requests of each kind sent to the API before anything is measured */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 300);

/** The widget bundle's sizes, from the last `npm run build`. */
function bundleReport(): string {
  if (!existsSync('dist/bundle-graph.json')) return 'widget bundle: dist/bundle-graph.json missing — run `npm run build` first';
  return describeBundle('dist');
}

async function prepareDatabase(dataDir: string): Promise<void> {
  const admin = knexFactory({ client: 'mysql2', connection: SERVER.toString() });
  await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL });
  const db = createDb(DATABASE_URL, dataDir);
  await migrateLatest(db);
  const have = Number(((await db('accounts').count({ n: '*' })) as { n: number }[])[0]!.n);
  if (have !== ACCOUNTS) {
    if (have > 0) throw new Error(`${DB_NAME} has ${have} accounts, expected ${ACCOUNTS}: drop it and run again`);
    const t = Date.now();
    console.log(`seeding ${ACCOUNTS} accounts into ${DB_NAME} (one-time)…`);
    await seed(db, config, { accounts: ACCOUNTS, log: (l) => console.log(`  ${l}`) });
    console.log(`seeded in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  await db.destroy();
}

/**
 * The load generator: node:http with keep-alive sockets (as knex keeps its pool's connections), the
 * leanest client Node has, so that client-side cost (fetch/undici adds ~0.2 ms a call here) is not
 * counted as the API's. Reads the whole body and insists on a 200.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
function getOk(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode === 200) resolve(body);
        else reject(new Error(`${res.statusCode} ${body}`));
      });
    }).on('error', reject);
  });
}

/**
 * The transport floor: a bare node:http server in its own process that answers every request with a
 * fixed body (the API's real response for the case), no Koa, no auth, no database. Any HTTP API on
 * this machine pays at least this round trip on top of its SQL, so `1 + floor p50 / SQL p50` is the
 * lowest p50 ratio an API can reach for that query here.
 */
async function startFloorServer(): Promise<{ url: string; setBody: (body: string) => Promise<void>; stop: () => void }> {
  const code = `
    let body = '';
    const server = require('node:http').createServer((req, res) => {
      if (req.method === 'PUT') { let b = ''; req.on('data', (c) => (b += c)); req.on('end', () => { body = b; res.end(); }); return; }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    server.keepAliveTimeout = 60000;
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const url = `http://127.0.0.1:${port}/`;
  const setBody = (body: string) => new Promise<void>((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', agent }, (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end(body);
  });
  return { url, setBody, stop: () => child.kill() };
}

/**
 * The SQL a request ran, captured from the API's own knex by a probe request, replayed straight
 * through mysql2 (no knex) as the API sends a search: as text, the values escaped by mysql2 (a
 * prepared search plans worse on MariaDB, see api/platform/hot-query.ts). Statements a request runs
 * together are replayed together: the database's share of a request, at its cheapest.
 */
function rawRunner(pool: Pool, statements: { sql: string; bindings: unknown[] }[]) {
  return () => Promise.all(statements.map((s) => pool.query(s.sql, s.bindings as never[])));
}

/** Timings of several calls, one sample of each in turn, so that a busy spell hits them alike. */
async function timeInTurn(n: number, fns: (() => Promise<unknown>)[]): Promise<number[][]> {
  const out = fns.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < fns.length; f++) {
      const t = process.hrtime.bigint();
      await fns[f]!();
      out[f]!.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return out.map((ms) => ms.sort((a, b) => a - b));
}

/** CPU time (user + system) a process has used so far, in ms (from /proc: 10 ms ticks on Linux). */
function cpuMsOf(pid: number | undefined): number {
  if (!pid || !existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Requests per second at 20 connections of each call, in alternating halves (same reason), and the
 * CPU time the serving process (`pids[i]`, when given) spent per request: unlike requests/s, that
 * hardly moves with what else the machine is doing.
 */
async function throughputInTurn(fns: (() => Promise<unknown>)[], pids: (number | undefined)[] = []): Promise<{ rps: number[]; cpuMs: number[] }> {
  const sums = fns.map(() => 0);
  const cpu = fns.map(() => 0);
  const calls = fns.map(() => 0);
  for (let round = 0; round < 2; round++) {
    for (let f = 0; f < fns.length; f++) {
      const before = cpuMsOf(pids[f]);
      const count = () => { calls[f]!++; return fns[f]!(); };
      sums[f]! += await throughput(20, (SECONDS * 1000) / 2, count);
      cpu[f]! += cpuMsOf(pids[f]) - before;
    }
  }
  return { rps: sums.map((s) => s / 2), cpuMs: cpu.map((c, f) => c / calls[f]!) };
}

/** The bare-Koa baseline (bare-koa.ts), started as the API is: same node flags, its own process. */
async function startBareKoa(): Promise<{ url: string; setBody: (body: string) => Promise<void>; setStatements: (statements: { sql: string; bindings: unknown[]; prepared?: boolean }[]) => Promise<void>; stop: () => void; pid: number | undefined }> {
  const child = spawn(process.execPath, [...API_NODE_ARGS, '--import', 'tsx', 'tests/bench/search/bare-koa.ts'], { env: { ...process.env, BARE_KOA_MYSQL_URL: DATABASE_URL }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const url = `http://127.0.0.1:${port}`;
  const put = (path: string, body: string) => new Promise<void>((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: 'PUT', agent }, (res) => res.resume().on('end', resolve));
    req.on('error', reject);
    req.end(body);
  });
  return {
    url,
    setBody: (body: string) => put('/', body),
    setStatements: (statements: { sql: string; bindings: unknown[]; prepared?: boolean }[]) => put('/statements', JSON.stringify(statements)),
    stop: () => child.kill(),
    pid: child.pid,
  };
}

async function main() {
  const dataDir = 'tests/bench/.data';
  await prepareDatabase(dataDir);
  if (process.env.BENCH_PREPARE_ONLY) return;
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL });
  const api = await startApiProcess({ DATA_DIR: dataDir, DATABASE_URL });
  const floor = await startFloorServer();
  const koa = await startBareKoa();
  const pool = createPool({ uri: DATABASE_URL, connectionLimit: 20, timezone: 'Z', supportBigNumbers: true, charset: 'utf8mb4' });
  // A second knex with our db layer, only to learn the exact SQL of each search (by its query events).
  const ours = createDb(DATABASE_URL, dataDir);
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.group', password: 'Brigid-Group-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = (await (await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { clients: { id: string }[] };
    const sample = (await ours('accounts').where({ clientId: 1, reviewStatus: 'accepted' }).orderBy('id', 'desc').first('agency_account_number', 'public_id')) as { agencyAccountNumber: string; publicId: string };
    const cases = [
      { name: 'name prefix', query: 'name=smith%20j' },
      { name: 'agency account number', query: `agencyAccountNumber=${sample.agencyAccountNumber}` },
      { name: 'status + client', query: `status=hold&clientId=${me.clients[0]!.id}` },
    ];
    const { searchAccounts } = await import('../../../api/accounts/accounts.service.js');
    const { AccountSearchQuery } = await import('../../../api/accounts/accounts.schema.js');
    const { loadCaller } = await import('../../../api/platform/auth/caller.js');
    const caller = (await loadCaller({ db: ours, config }, `Bearer ${accessToken}`))!;
    const headers = { authorization: `Bearer ${accessToken}` };
    // Steady state, not start-up: a fresh API process runs its first few hundred requests before V8
    // has optimised its code, so whichever case came first paid for that (the name prefix had
    // ~0.7 ms more than bare Koa with the same SQL; measured after this warm-up, that was gone).
    const warmUpUrls = [...cases.map((c) => `${api.url}/api/v1/accounts?${c.query}`), `${api.url}/api/v1/accounts/${sample.publicId}`];
    for (let i = 0; i < WARM_UP; i++) for (const url of warmUpUrls) await getOk(url, headers);

    console.log(`\nsearch benchmark — MariaDB, ${ACCOUNTS.toLocaleString()} accounts, user demo.group (2 clients), ${SAMPLES} samples of each in turn, ${SECONDS}s at 20 connections (alternating halves)`);
    console.log('case                     | API p50 | SQL p50 | floor p50 | added p50 | API p95 | SQL p95 | API req/s @20 | SQL q/s @20 | API CPU/req | statements | total rows');
    const added: number[] = [];
    const koaSqlAdded: number[] = [];
    const overKoaSql: number[] = [];
    let namePrefixP95 = NaN;
    for (const c of cases) {
      // Capture the statements searchAccounts issues for this query, with their bindings.
      const statements: { sql: string; bindings: unknown[] }[] = [];
      const onQuery = (q: { sql: string; bindings: unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings });
      ours.on('query', onQuery);
      const filters = AccountSearchQuery.parse(Object.fromEntries(new URLSearchParams(c.query)));
      const result = await searchAccounts(ours, caller, filters);
      ours.off('query', onQuery);
      const sqlOnly = statements.filter((s) => /\bfrom `?accounts`?\b/i.test(s.sql));
      const url = `${api.url}/api/v1/accounts?${c.query}`;
      const callApi = () => getOk(url, headers);
      const callSql = rawRunner(pool, sqlOnly);
      const body = await callApi();
      await floor.setBody(body);
      const callFloor = () => getOk(floor.url, headers);
      // Bare Koa running this request's own SQL through a plain mysql2 pool, then answering the same body.
      await koa.setBody(body);
      await koa.setStatements(sqlOnly);
      const callKoaSql = () => getOk(`${koa.url}/?sql=same`, headers);
      for (let i = 0; i < 20; i++) { await callApi(); await callSql(); await callFloor(); await callKoaSql(); } // warm up
      const [apiMs, sqlMs, floorMs, koaSqlMs] = await timeInTurn(SAMPLES, [callApi, callSql, callFloor, callKoaSql]);
      const { rps: [apiRps, sqlRps], cpuMs: [apiCpu] } = await throughputInTurn([callApi, callSql], [api.child.pid]);
      const [a50, s50, a95, s95, f50, k50] = [percentile(apiMs!, 50), percentile(sqlMs!, 50), percentile(apiMs!, 95), percentile(sqlMs!, 95), percentile(floorMs!, 50), percentile(koaSqlMs!, 50)];
      added.push(a50 - s50 - f50);
      koaSqlAdded.push(k50 - s50 - f50);
      overKoaSql.push(a50 - k50);
      if (c.name === 'name prefix') namePrefixP95 = a95;
      console.log(`${c.name.padEnd(24)} | ${fmt(a50).padStart(7)} | ${fmt(s50).padStart(7)} | ${fmt(f50).padStart(9)} | ${fmt(a50 - s50 - f50).padStart(9)} | ${fmt(a95).padStart(7)} | ${fmt(s95).padStart(7)} | ${fmt(apiRps!, 0).padStart(13)} | ${fmt(sqlRps!, 0).padStart(11)} | ${fmt(apiCpu!, 3).padStart(11)} | ${String(sqlOnly.length).padStart(10)} | ${String(result.total).padStart(10)}`);
    }
    console.log('(ms; SQL = the statements the API ran for the request, straight through mysql2 as the API sends them, those of one');
    console.log(' request together; floor = the same response from a bare node:http process, no Koa/auth/DB; added = API − SQL − floor;');
    console.log(' API CPU/req = CPU ms the API process spent per request at 20 connections)');
    console.log('the same SQL behind bare Koa (a plain mysql2 pool, no router/auth/knex; same body), p50 in the same turns:');
    cases.forEach((c, i) => console.log(`  ${c.name.padEnd(22)} | bare Koa + SQL added (− SQL − floor) ${fmt(koaSqlAdded[i]!)} ms | API − bare Koa + SQL ${fmt(overKoaSql[i]!)} ms`));

    // GET accounts/{id} against a bare Koa route answering the same body from memory, same run.
    const detailUrl = `${api.url}/api/v1/accounts/${sample.publicId}`;
    const callDetail = () => getOk(detailUrl, headers);
    const detailBody = await callDetail();
    await koa.setBody(detailBody);
    const koaUrl = `${koa.url}/api/v1/accounts/${sample.publicId}`;
    const callKoa = () => getOk(koaUrl, headers);
    if ((await callKoa()) !== detailBody) throw new Error('the bare Koa route does not answer the same body');
    // The detail's own statements straight through mysql2 (no HTTP, no Koa): what the database alone
    // answers at 20 connections bounds what any API that runs them per request can serve.
    const { getAccount } = await import('../../../api/accounts/accounts.service.js');
    const detailStatements: { sql: string; bindings: unknown[] }[] = [];
    const onDetailQuery = (q: { sql: string; bindings: unknown[] }) => detailStatements.push({ sql: q.sql, bindings: q.bindings });
    ours.on('query', onDetailQuery);
    await getAccount(ours, caller, sample.publicId);
    ours.off('query', onDetailQuery);
    const callDetailSql = rawRunner(pool, detailStatements);
    // The same bare Koa route asking the database `select 1` before it answers: what any route that
    // runs even one statement per request can serve on this machine (Koa, mysql2 and MariaDB share its cores).
    const callKoaSelect1 = () => getOk(`${koaUrl}?sql=1`, headers);
    // …and running the pane's own statements (prepared, as the API runs them) before it answers.
    await koa.setStatements(detailStatements.map((st) => ({ ...st, prepared: true })));
    const callKoaSame = () => getOk(`${koaUrl}?sql=same`, headers);
    for (let i = 0; i < 50; i++) { await callDetail(); await callKoa(); await callDetailSql(); await callKoaSelect1(); await callKoaSame(); } // warm up
    const [detailMs, koaMs] = await timeInTurn(SAMPLES, [callDetail, callKoa]);
    const { rps: [detailRps, koaRps, detailSqlRps, koaSelect1Rps, koaSameRps], cpuMs: [detailCpu, koaCpu] } = await throughputInTurn([callDetail, callKoa, callDetailSql, callKoaSelect1, callKoaSame], [api.child.pid, koa.pid]);
    console.log(`\naccount detail GET accounts/{id} (${detailBody.length} bytes) | API p50 ${fmt(percentile(detailMs!, 50))} ms, bare Koa p50 ${fmt(percentile(koaMs!, 50))} ms | API ${fmt(detailRps!, 0)} req/s @20, bare Koa ${fmt(koaRps!, 0)} req/s @20 | ratio ${fmt(detailRps! / koaRps!)}× | CPU per request: API ${fmt(detailCpu!, 3)} ms, bare Koa ${fmt(koaCpu!, 3)} ms`);
    console.log(`  its ${detailStatements.length} statements alone through mysql2: ${fmt(detailSqlRps!, 0)} sets/s @20 — the ceiling for any API that runs them per request: ${fmt(detailSqlRps! / koaRps!)}× bare Koa; API / that ceiling: ${fmt(detailRps! / detailSqlRps!)}×`);
    console.log(`  bare Koa that first runs \`select 1\` through a mysql2 pool: ${fmt(koaSelect1Rps!, 0)} req/s @20 = ${fmt(koaSelect1Rps! / koaRps!)}× bare Koa — the most any route that asks the database once per request serves here`);
    console.log(`  bare Koa that first runs the pane's own ${detailStatements.length} statements: ${fmt(koaSameRps!, 0)} req/s @20 = ${fmt(koaSameRps! / koaRps!)}× bare Koa; the API serves ${fmt(detailRps! / koaSameRps!)}× of that`);

    const ok = (b: boolean) => (b ? 'met' : 'NOT met');
    console.log('\ntargets (issue 21):');
    console.log(`  added p50 ≤ 0.5 ms per case: ${added.map((a) => fmt(a)).join(' / ')} ms — ${ok(added.every((a) => a <= 0.5))}`);
    console.log(`  GET accounts/{id} ≥ 0.5× bare Koa req/s @20: ${fmt(detailRps! / koaRps!)}× — ${ok(detailRps! / koaRps! >= 0.5)}`);
    console.log(`  name-prefix API p95 < 50 ms: ${fmt(namePrefixP95)} ms — ${ok(namePrefixP95 < 50)}`);
  } finally {
    api.stop();
    floor.stop();
    koa.stop();
    agent.destroy();
    await pool.end();
    await ours.destroy();
  }
  console.log(`\n${bundleReport()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
