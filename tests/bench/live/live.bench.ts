/**
 * Live-stream benchmark (issue 20, item 5): ordinary `GET /api/v1/accounts/:id` p50 with no live
 * stream open, then with 1,000 open `GET /api/v1/events` streams on the same API node (MariaDB), and
 * the ratio between them (target: within 1.2). Also the node's database queries per second while
 * the streams are open and nothing else happens (counted at a proxy between the node and MariaDB;
 * the node's one poller should cost ≤ 2/s).
 *
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306 npm run bench -- live    (BENCH_STREAMS, BENCH_SAMPLES)
 */
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed, DEMO_USERS } from '../../../api/seed/seed.js';
import { fmt, percentile, startApiProcess, timeEach } from '../lib.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const DB_NAME = 'ck_bench_live';
const DATABASE_URL = Object.assign(new URL(SERVER), { pathname: `/${DB_NAME}` }).toString();
const SECRETS = {
  JWT_SECRET: 'bench-live-jwt-secret-bench-live-jwt', DATA_KEY: Buffer.alloc(32, 1).toString('base64'), LOOKUP_KEY: Buffer.alloc(32, 2).toString('base64'),
};

async function prepare(dataDir: string): Promise<string> {
  const admin = knexFactory({ client: 'mysql2', connection: SERVER.toString() });
  await admin.raw(`CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const config = loadConfig({ ...process.env, ...SECRETS, DATA_DIR: dataDir, DATABASE_URL });
  const db = createDb(DATABASE_URL, dataDir);
  await migrateLatest(db);
  if (!(await db('clients').first('id'))) await seed(db, config, { accounts: 2000 });
  const row = (await db('accounts').where({ reviewStatus: 'accepted' }).orderBy('id').first('public_id')) as { publicId: string };
  await db.destroy();
  return row.publicId;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function getOk(url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

/** An open SSE stream whose bytes are read and dropped; resolves once its headers arrived. */
function openStream(url: string, token: string): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/api/v1/events`, { agent: false, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
      res.on('data', () => {});
      resolve(req);
    });
    req.on('error', reject);
  });
}

/**
 * The API node reaches MariaDB through this proxy, which counts the queries it sends (MySQL protocol
 * packets from client to server whose command byte is COM_QUERY or COM_STMT_EXECUTE): this node's
 * queries only, whoever else uses the same server.
 */
async function countingProxy(target: URL): Promise<{ port: number; queries: () => number }> {
  let queries = 0;
  const server = net.createServer((client) => {
    const upstream = net.createConnection(Number(target.port || 3306), target.hostname);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const len = pending.readUIntLE(0, 3);
        if (pending.length < 4 + len) break;
        if (pending[3] === 0 && (pending[4] === 0x03 || pending[4] === 0x17)) queries++;
        pending = pending.subarray(4 + len);
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const drop = () => { client.destroy(); upstream.destroy(); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { port: (server.address() as net.AddressInfo).port, queries: () => queries };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-live-'));
  const accountId = await prepare(dataDir);
  const proxy = await countingProxy(SERVER);
  const viaProxy = Object.assign(new URL(DATABASE_URL), { hostname: '127.0.0.1', port: String(proxy.port) }).toString();
  const api = await startApiProcess({ ...SECRETS, DATA_DIR: dataDir, DATABASE_URL: viaProxy, PUBLIC_URL: 'http://bench.test', RUN_WORKER: '0' });
  try {
    const agency = DEMO_USERS.find((u) => u.username === 'demo.agency')!;
    const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: agency.username, password: agency.password }) });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const target = `${api.url}/api/v1/accounts/${accountId}`;
    await timeEach(50, () => getOk(target, token)); // warm up
    const none = await timeEach(SAMPLES, () => getOk(target, token));

    const streams: http.ClientRequest[] = [];
    for (let i = 0; i < STREAMS; i += 50) streams.push(...(await Promise.all(Array.from({ length: Math.min(50, STREAMS - i) }, () => openStream(api.url, token)))));
    await new Promise((r) => setTimeout(r, 2000));
    const q0 = proxy.queries();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10_000));
    const qps = (proxy.queries() - q0) / ((performance.now() - t0) / 1000);
    const many = await timeEach(SAMPLES, () => getOk(target, token));
    for (const s of streams) s.destroy();

    const p50a = percentile(none, 50);
    const p50b = percentile(many, 50);
    console.log(`GET /accounts/:id p50 with 0 streams:      ${fmt(p50a)} ms (p95 ${fmt(percentile(none, 95))} ms)`);
    console.log(`GET /accounts/:id p50 with ${STREAMS} streams:  ${fmt(p50b)} ms (p95 ${fmt(percentile(many, 95))} ms)`);
    console.log(`ratio p50 (${STREAMS} streams / none): ${fmt(p50b / p50a)}  (target ≤ 1.20)`);
    console.log(`MariaDB queries/s with ${STREAMS} idle streams open: ${fmt(qps, 1)}  (target ≤ 2; counted at a proxy between this node and MariaDB)`);
  } finally {
    api.stop();
  }
  process.exit(0);
}

void main();
