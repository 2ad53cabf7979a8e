/**
 * Bulk placement benchmark (issue 5), on MariaDB, in one run:
 *
 * 1. A 100,000-row CSV placed through the API (`POST placements/batches` upload → start → the
 *    background run) in an API process of its own; rows/s from the first byte of the upload to the
 *    batch reading "completed" (the upload, the job pick-up and the run all count).
 * 2. The same rows written raw — already normalised, through mysql2 multi-row INSERTs into the same
 *    tables (accounts, parties, phones, balances, placements) of a fresh database: the baseline.
 *    Reports both rows/s and the ratio (target: the API at least 0.5× the raw insert).
 * 3. The RSS of the API process for 100k and for 1M rows (target: flat, under 300 MB): sampled
 *    every 100 ms from the upload to "completed" (the placement's peak), and the process's VmHWM
 *    (its lifetime peak: also start-up and the login, whose scrypt takes 128 MB for a moment).
 *
 *   BENCH_MYSQL_URL=mysql://root@127.0.0.1:3306 npx tsx tests/bench/placement/placement.bench.ts
 *   BENCH_ROWS=100000,1000000 (default) — the first size is also the one compared with the raw insert.
 *   BENCH_API_NODE_ARGS="--max-old-space-size=512 --cpu-prof --cpu-prof-dir=/tmp/prof" — the API's node flags
 *   (default: those of `npm start`, see API_NODE_ARGS in ../lib.ts).
 *   BENCH_SKIP_RAW=1 — the API side only (while profiling).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, openAsBlob, readdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import knexFactory from 'knex';
import { loadConfig } from '../../../api/config.js';
import { createDb, migrateLatest } from '../../../api/platform/db.js';
import { seed } from '../../../api/seed/seed.js';
import { API_NODE_ARGS, fmt, sharedSettings } from '../lib.js';
import { newId } from '../../../api/platform/ids.js';

const SIZES = (process.env.BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const HEADERS = 'Account Number,First Name,Last Name,SSN,DOB,Address,City,State,ZIP,Phone,Balance,Service Date';

const dbUrl = (name: string) => Object.assign(new URL(SERVER), { pathname: `/${name}` }).toString();

async function freshDatabase(name: string, dataDir: string): Promise<string> {
  const admin = knexFactory({ client: 'mysql2', connection: SERVER.toString() });
  await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const url = dbUrl(name);
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, DATABASE_URL: url });
  const db = createDb(url, dataDir);
  await migrateLatest(db);
  await seed(db, config, { accounts: 0 });
  await db.destroy();
  return url;
}

const row = (i: number) => {
  const n = String(i).padStart(7, '0');
  return `BENCH-${n},Jane,Doe${i % 13 === 0 ? ' Jr.' : ''},512-${String(10 + (i % 89))}-${String(1000 + (i % 8999))},1980-04-05,${i} Oak St${i % 5 === 0 ? ' Apt 4' : ''},Portland,OR,97205,(503) 555-${String(i % 10000).padStart(4, '0')},$${100 + (i % 5000)}.25,2026-01-15`;
};

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${HEADERS}\n`);
  for (let i = 1; i <= rows; i++) if (!out.write(`${row(i)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** `node --import tsx api/main.ts serve` directly (no npx wrapper), so its pid is the API's. */
async function startApi(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawn(process.execPath, [...API_NODE_ARGS, '--import', 'tsx', 'api/main.ts', 'serve'], {
    env: { ...process.env, ...env, ...sharedSettings(env, port), PORT: port, HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`API exited early (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

const statusMb = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Samples the process's RSS every 100 ms until stopped; the peak and the last sample. */
function sampleRss(pid: number) {
  let peak = statusMb(pid, 'VmRSS');
  const timer = setInterval(() => (peak = Math.max(peak, statusMb(pid, 'VmRSS'))), 100);
  return { stop: () => (clearInterval(timer), Math.max(peak, statusMb(pid, 'VmRSS'))) };
}

/** CPU seconds (user + system) a process has used so far; 0 when it is not there. */
function cpuSeconds(pid: number | null): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** The local database server's pid, to count its CPU too (the machine is shared: wall time alone is noisy). */
function databasePid(): number | null {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (['mariadbd', 'mysqld'].includes(readFileSync(`/proc/${d}/comm`, 'utf8').trim())) return Number(d);
    } catch { /* gone */ }
  }
  return null;
}
const DB_PID = databasePid();

interface ApiRun { seconds: number; idleMb: number; peakMb: number; hwmMb: number; apiCpu: number; dbCpu: number }

async function placeThroughApi(rows: number, csv: string, dataDir: string): Promise<ApiRun> {
  const url = await freshDatabase(`ck_bench_place_${rows}`, dataDir);
  const api = await startApi({ DATA_DIR: dataDir, DATABASE_URL: url });
  try {
    const call = async (path: string, init: RequestInit = {}, token?: string) => {
      const res = await fetch(`${api.url}/api/v1${path}`, { ...init, headers: { ...(init.headers as object), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
      const body = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const { accessToken } = (await call('/auth/login', json({ username: 'demo.client', password: 'Cascade-Demo-2026!' }))) as { accessToken: string };
    const idleMb = statusMb(api.child.pid!, 'VmRSS');
    const rss = sampleRss(api.child.pid!);
    const [apiCpu0, dbCpu0] = [cpuSeconds(api.child.pid!), cpuSeconds(DB_PID)];
    const started = Date.now();
    const form = new FormData();
    form.append('file', await openAsBlob(csv), 'bench.csv');
    const batch = (await call('/placements/batches', { method: 'POST', body: form }, accessToken)) as { id: string; suggestedMapping: unknown };
    await call(`/placements/batches/${batch.id}/start`, json({ mapping: batch.suggestedMapping }), accessToken);
    let printed = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const b = (await call(`/placements/batches/${batch.id}`, {}, accessToken)) as { status: string; rowsDone: number; rowsPlaced: number; rowsInvalid: number };
      if (Date.now() - printed > 10_000) {
        printed = Date.now();
        console.log(`  ${b.status} ${b.rowsDone.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} rows, RSS ${fmt(statusMb(api.child.pid!, 'VmRSS'), 0)} MB`);
      }
      if (b.status === 'completed') {
        if (b.rowsPlaced !== rows) throw new Error(`placed ${b.rowsPlaced} of ${rows} (${b.rowsInvalid} invalid)`);
        break;
      }
      if (!['queued', 'running'].includes(b.status)) throw new Error(`batch ${b.status}`);
    }
    const seconds = (Date.now() - started) / 1000;
    return {
      seconds, idleMb, peakMb: rss.stop(), hwmMb: statusMb(api.child.pid!, 'VmHWM'),
      apiCpu: cpuSeconds(api.child.pid!) - apiCpu0, dbCpu: cpuSeconds(DB_PID) - dbCpu0,
    };
  } finally {
    api.child.kill('SIGTERM');
    await once(api.child, 'exit');
  }
}

/**
 * The baseline: the same rows, normalised already, as multi-row INSERTs through mysql2 — with the
 * same kind of values (random public ids, ciphertext-sized SSN columns), generated before the clock
 * starts, so the index work is the same and only the API's own work is left out.
 */
async function rawInsert(rows: number, dataDir: string): Promise<{ seconds: number; clientCpu: number; dbCpu: number }> {
  const url = await freshDatabase('ck_bench_place_raw', dataDir);
  const k = knexFactory({ client: 'mysql2', connection: url });
  const conn = (await k.client.acquireConnection()) as { promise(): { query(sql: string, values: unknown[]): Promise<unknown> } };
  const q = conn.promise();
  const client = ((await k('clients').where({ code: 'CPL' }).first('id')) as { id: number }).id;
  const now = new Date();
  const accountIds = Array.from({ length: rows + 1 }, () => newId('acct'));
  const placementIds = Array.from({ length: rows + 1 }, () => newId('plc'));
  const hashes = Array.from({ length: rows + 1 }, () => randomBytes(32).toString('hex'));
  const [clientCpu0, dbCpu0] = [cpuSeconds(process.pid), cpuSeconds(DB_PID)];
  const started = Date.now();
  const chunk = 1000;
  for (let start = 1; start <= rows; start += chunk) {
    const ids = Array.from({ length: Math.min(chunk, rows - start + 1) }, (_, j) => start + j);
    await q.query('START TRANSACTION', []);
    await q.query('INSERT INTO accounts (id, public_id, client_id, agency_account_number, client_account_number, debtor_name, debtor_name_key, account_type, status, review_status, placed_on, service_date, balance_cents, paid_to_date_cents, currency, ssn_last4, last_activity_at, created_at, updated_at) VALUES ?', [
      ids.map((i) => [i, accountIds[i], client, `NR${1_000_000 + i}`, `BENCH-${String(i).padStart(7, '0')}`, 'DOE, JANE', 'DOE JANE', 'utility', 'active', 'pending_review', '2026-11-24', '2026-01-15', (100 + (i % 5000)) * 100 + 25, 0, 'USD', '1234', now, now, now]),
    ]);
    await q.query('INSERT INTO account_parties (account_id, role, first_name, last_name, dob, ssn_last4, ssn_encrypted, ssn_hash, address1, city, state, zip, phones, emails) VALUES ?', [
      ids.map((i) => [i, 'responsible', 'JANE', 'DOE', '1980-04-05', '1234', `${'x'.repeat(16)}.${'y'.repeat(24)}.${String(i).padStart(12, '0')}`, hashes[i], `${i} OAK ST`, 'PORTLAND', 'OR', '97205', '[{"type":"home","number":"5035550000"}]', '[]']),
    ]);
    await q.query('INSERT INTO account_phones (account_id, phone) VALUES ?', [ids.map((i) => [i, `503555${String(i % 10000).padStart(4, '0')}`])]);
    await q.query('INSERT INTO account_balances (account_id, component, original_cents, current_cents) VALUES ?', [
      ids.flatMap((i) => ['principal', 'interest', 'fees', 'costs'].map((c) => [i, c, c === 'principal' ? 10025 : 0, c === 'principal' ? 10025 : 0])),
    ]);
    await q.query('INSERT INTO placements (public_id, client_id, account_id, `row_number`, status, client_account_number, dedupe_key, created_at) VALUES ?', [
      ids.map((i) => [placementIds[i], client, i, i + 1, 'pending_review', `BENCH-${String(i).padStart(7, '0')}`, `${client}:BENCH-${String(i).padStart(7, '0')}`, now]),
    ]);
    await q.query('COMMIT', []);
  }
  const seconds = (Date.now() - started) / 1000;
  const [clientCpu, dbCpu] = [cpuSeconds(process.pid) - clientCpu0, cpuSeconds(DB_PID) - dbCpu0];
  await k.client.releaseConnection(conn);
  await k.destroy();
  return { seconds, clientCpu, dbCpu };
}

async function main() {
  const dataDir = 'tests/bench/.data'; // gitignored; secrets + the uploads of the run
  mkdirSync(dataDir, { recursive: true });
  const work = join(tmpdir(), `ck-bench-place-${process.pid}`);
  mkdirSync(work, { recursive: true });
  try {
    const results: ({ rows: number } & ApiRun)[] = [];
    for (const rows of SIZES) {
      const csv = join(work, `rows-${rows}.csv`);
      await writeCsv(csv, rows);
      console.log(`placing ${rows.toLocaleString('en-US')} rows through the API…`);
      results.push({ rows, ...(await placeThroughApi(rows, csv, dataDir)) });
      const r = results[results.length - 1]!;
      console.log(`  ${fmt(r.seconds, 1)} s, ${fmt(rows / r.seconds, 0)} rows/s, CPU: API ${fmt(r.apiCpu, 1)} s + database ${fmt(r.dbCpu, 1)} s; RSS idle ${fmt(r.idleMb, 0)} MB → peak ${fmt(r.peakMb, 0)} MB while placing, VmHWM ${fmt(r.hwmMb, 0)} MB`);
      rmSync(csv, { force: true });
    }
    const base = results[0]!;
    if (process.env.BENCH_SKIP_RAW) return;
    console.log(`raw multi-row INSERT of ${base.rows.toLocaleString('en-US')} rows…`);
    const raw = await rawInsert(base.rows, dataDir);
    const rawSeconds = raw.seconds;
    const apiRate = base.rows / base.seconds;
    const rawRate = base.rows / rawSeconds;
    console.log('\nbulk placement on MariaDB');
    console.log(`  API (upload → placed, validated + normalised + encrypted): ${fmt(apiRate, 0)} rows/s (${fmt(base.seconds, 1)} s for ${base.rows.toLocaleString('en-US')})`);
    console.log(`  raw multi-row INSERT through mysql2:                        ${fmt(rawRate, 0)} rows/s (${fmt(rawSeconds, 1)} s)`);
    console.log(`  CPU seconds: API process ${fmt(base.apiCpu, 1)} + database ${fmt(base.dbCpu, 1)}; raw client ${fmt(raw.clientCpu, 1)} + database ${fmt(raw.dbCpu, 1)} (2 shared cores: wall time is noisy)`);
    console.log(`  ratio API / raw: ${fmt(apiRate / rawRate)}× (target ≥ 0.5×)`);
    for (const r of results) {
      console.log(`  API process RSS, ${r.rows.toLocaleString('en-US')} rows: peak ${fmt(r.peakMb, 0)} MB while placing (sampled every 100 ms from the upload on; idle before: ${fmt(r.idleMb, 0)} MB), lifetime VmHWM ${fmt(r.hwmMb, 0)} MB (start-up + login + placing) — target < 300 MB, flat`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
