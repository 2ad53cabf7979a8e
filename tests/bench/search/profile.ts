/**
 * Where an API request's CPU goes (issue 21): starts the API as the search benchmark does, under
 * `node --cpu-prof`, drives one request at 20 connections for a few seconds, and prints the CPU the
 * API process spent per request and its self time by package / file (top functions too).
 *
 *   npx tsx tests/bench/search/profile.ts detail|name|number|status [seconds]   (BENCH_ACCOUNTS as the bench)
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { API_NODE_ARGS, startApiProcess, throughput } from '../lib.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1_000_000);
const SERVER = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');
const DATABASE_URL = Object.assign(new URL(SERVER), { pathname: `/ck_bench_${ACCOUNTS}` }).toString();
const [which = 'detail', secondsArg = '6'] = process.argv.slice(2);

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }

function summarise(file: string, requests: number, fromUs: number, toUs: number): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // Only the samples taken while the load ran (V8 and process.hrtime share the monotonic clock).
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i]!;
    if (t >= fromUs && t <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const group = (n: ProfileNode): string => {
    const { url, functionName } = n.callFrame;
    if (!url) return `(${functionName || 'native'})`;
    const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (nm) return nm[1]!;
    if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
    const own = /\/(api\/.*|tests\/.*)$/.exec(url);
    return own ? own[1]! : url;
  };
  const groups = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const g = group(n);
    if (g === '(idle)') continue;
    busy += us;
    groups.set(g, (groups.get(g) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${g}:${n.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + us);
  }
  const perReq = (us: number) => (us / 1000 / requests).toFixed(4);
  console.log(`busy ${perReq(busy)} ms per request (${requests} requests)`);
  for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${perReq(us)}  ${g}`);
  console.log('top functions:');
  for (const [f, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${perReq(us)}  ${f}`);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ck-prof-'));
  API_NODE_ARGS.splice(0, API_NODE_ARGS.length, '--max-old-space-size=512', '--cpu-prof', `--cpu-prof-dir=${dir}`);
  const api = await startApiProcess({ DATA_DIR: 'tests/bench/.data', DATABASE_URL, ...(process.env.PROFILE_ENV ? Object.fromEntries(new URLSearchParams(process.env.PROFILE_ENV)) : {}) });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const login = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo.group', password: 'Brigid-Group-2026!' }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = { authorization: `Bearer ${accessToken}` };
  const db = knexFactory({ client: 'mysql2', connection: DATABASE_URL });
  const sample = (await db('accounts').where({ client_id: 1, review_status: 'accepted' }).orderBy('id', 'desc').first('agency_account_number', 'public_id')) as { agency_account_number: string; public_id: string };
  const client = (await db('clients').where({ id: 1 }).first('public_id')) as { public_id: string };
  await db.destroy();
  const path = {
    detail: `/api/v1/accounts/${sample.public_id}`,
    name: '/api/v1/accounts?name=smith%20j',
    number: `/api/v1/accounts?agencyAccountNumber=${sample.agency_account_number}`,
    status: `/api/v1/accounts?status=hold&clientId=${client.public_id}`,
  }[which]!;
  let requests = 0;
  const get = () => new Promise<void>((resolve, reject) => {
    http.get(`${api.url}${path}`, { agent, headers }, (res) => {
      res.resume().on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(String(res.statusCode)))));
    }).on('error', reject);
  });
  for (let i = 0; i < 200; i++) await get();
  const cpuMs = () => {
    const f = readFileSync(`/proc/${api.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  const cpuBefore = cpuMs();
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const rps = await throughput(20, Number(secondsArg) * 1000, async () => { await get(); requests++; });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const cpuPerRequest = (cpuMs() - cpuBefore) / requests;
  agent.destroy();
  api.stop();
  await new Promise((r) => api.child.once('exit', r));
  console.log(`${which}: ${rps.toFixed(0)} req/s at 20 connections; API process CPU ${cpuPerRequest.toFixed(3)} ms per request (/proc, user+system)`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  summarise(join(dir, file), requests, fromUs, toUs);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
