/**
 * Search benchmark (issue 2): authenticated `GET /api/v1/accounts` against the same SQL run directly
 * through knex, on MariaDB with 1,000,000 seeded accounts (BENCH_ACCOUNTS to change), in one run.
 * Reports the API/SQL latency ratio at p50 and p95, and requests per second at 20 concurrent
 * connections, for: name prefix, agency account number, status + client; beside each, the transport
 * floor (the same response from a bare node:http process) and the lowest ratio it leaves any HTTP API
 * on this machine. Also prints the widget
 * bundle's size min+gzip (scripts/bundle-size.ts: the entry, what issue 2's elements load, all
 * chunks); that part alone: `npx tsx scripts/bundle-size.ts`.
 *
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306 npx tsx tests/bench/search/search.bench.ts
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import knexFactory, { type Knex } from 'knex';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed } from '../../../api/seed/seed.js';
import { describeBundle } from '../../../scripts/bundle-size.js';
import { fmt, percentile, startApiProcess, throughput, timeEach } from '../lib.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const DB_NAME = `ck_bench_${ACCOUNTS}`;
const DATABASE_URL = Object.assign(new URL(SERVER), { pathname: `/${DB_NAME}` }).toString();
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

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

/** The SQL a request ran, captured from the API's own knex by a probe request, replayed raw. */
function rawRunner(raw: Knex, statements: { sql: string; bindings: unknown[] }[]) {
  return () => Promise.all(statements.map((s) => raw.raw(s.sql, s.bindings as Knex.RawBinding[])));
}

async function main() {
  const dataDir = 'tests/bench/.data';
  await prepareDatabase(dataDir);
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL });
  const api = await startApiProcess({ DATA_DIR: dataDir, DATABASE_URL });
  const floor = await startFloorServer();
  const raw = knexFactory({ client: 'mysql2', connection: DATABASE_URL, pool: { min: 0, max: 20 } });
  // A second knex with our db layer, only to learn the exact SQL of each search (by toSQL()).
  const ours = createDb(DATABASE_URL, dataDir);
  try {
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.group', password: 'Brigid-Group-2026!' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = (await (await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json()) as { clients: { id: string }[] };
    const sample = (await ours('accounts').where({ clientId: 1, reviewStatus: 'accepted' }).orderBy('id', 'desc').first('agency_account_number')) as { agencyAccountNumber: string };
    const cases = [
      { name: 'name prefix', query: 'name=smith%20j' },
      { name: 'agency account number', query: `agencyAccountNumber=${sample.agencyAccountNumber}` },
      { name: 'status + client', query: `status=hold&clientId=${me.clients[0]!.id}` },
    ];
    const { searchAccounts } = await import('../../../api/accounts/accounts.service.js');
    const { AccountSearchQuery } = await import('../../../api/accounts/accounts.schema.js');
    const { loadCaller } = await import('../../../api/platform/auth/caller.js');
    const caller = (await loadCaller({ db: ours, config }, `Bearer ${accessToken}`))!;

    console.log(`\nsearch benchmark — MariaDB, ${ACCOUNTS.toLocaleString()} accounts, user demo.group (2 clients), ${SAMPLES} sequential samples, ${SECONDS}s at 20 connections`);
    console.log('case                     | API p50 | SQL p50 | ratio | API p95 | SQL p95 | ratio | API req/s @20 | SQL q/s @20 | total rows | floor p50 | best ratio');
    for (const c of cases) {
      // Capture the statements searchAccounts issues for this query, with their bindings.
      const statements: { sql: string; bindings: unknown[] }[] = [];
      const onQuery = (q: { sql: string; bindings: unknown[] }) => statements.push({ sql: q.sql, bindings: q.bindings });
      ours.on('query', onQuery);
      const filters = AccountSearchQuery.parse(Object.fromEntries(new URLSearchParams(c.query)));
      const result = await searchAccounts(ours, caller, filters);
      ours.off('query', onQuery);
      const sqlOnly = statements.filter((s) => /from `accounts`/i.test(s.sql));
      const url = `${api.url}/api/v1/accounts?${c.query}`;
      const headers = { authorization: `Bearer ${accessToken}` };
      const callApi = () => getOk(url, headers);
      const callSql = rawRunner(raw, sqlOnly);
      await floor.setBody(await callApi());
      const callFloor = () => getOk(floor.url, headers);
      for (let i = 0; i < 20; i++) { await callApi(); await callSql(); await callFloor(); } // warm up
      const apiMs = await timeEach(SAMPLES, callApi);
      const sqlMs = await timeEach(SAMPLES, callSql);
      const floorMs = await timeEach(SAMPLES, callFloor);
      const apiRps = await throughput(20, SECONDS * 1000, callApi);
      const sqlRps = await throughput(20, SECONDS * 1000, callSql);
      const [a50, s50, a95, s95, f50] = [percentile(apiMs, 50), percentile(sqlMs, 50), percentile(apiMs, 95), percentile(sqlMs, 95), percentile(floorMs, 50)];
      console.log(`${c.name.padEnd(24)} | ${fmt(a50).padStart(7)} | ${fmt(s50).padStart(7)} | ${fmt(a50 / s50).padStart(5)} | ${fmt(a95).padStart(7)} | ${fmt(s95).padStart(7)} | ${fmt(a95 / s95).padStart(5)} | ${fmt(apiRps, 0).padStart(13)} | ${fmt(sqlRps, 0).padStart(11)} | ${String(result.total).padStart(10)} | ${fmt(f50).padStart(9)} | ${fmt(1 + f50 / s50).padStart(10)}`);
    }
    console.log('(ms; ratio = API / the same SQL through knex; targets: p50 ratio ≤ 1.3, name-prefix API p95 < 50 ms;');
    console.log(' floor = the same response from a bare node:http process, no Koa/auth/DB; best ratio = 1 + floor p50 / SQL p50, the lowest any HTTP API reaches here)');
  } finally {
    api.stop();
    floor.stop();
    agent.destroy();
    await raw.destroy();
    await ours.destroy();
  }
  console.log(`\n${bundleReport()}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
