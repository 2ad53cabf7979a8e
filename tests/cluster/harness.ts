/**
 * Cluster harness: CollectKit as it runs on several machines. Every node is a separate
 * `node --import tsx api/main.ts …` process with its own DATA_DIR, all sharing one MariaDB database
 * (TEST_MYSQL_URL's server, a database of its own per cluster), one S3-compatible bucket (s3rver, a
 * process of its own) and the same secrets and PUBLIC_URL through the environment — nothing else.
 *
 * Building blocks, for tests of their own (boot races, missing secrets, crashes …):
 * - `createClusterDatabase()`  an empty database (dropped by `drop()`), on TEST_MYSQL_URL's server or
 *                              a private one (private-mariadb.ts: a server a test may stop and start);
 * - `clusterEnv(…)`            the environment every node shares (secrets, database, storage);
 * - `runCli(args, env)`        a one-off command (`migrate`, `seed --accounts 40`), its exit code and output;
 * - `startNode(name, env, …)`  one `serve` process on a free loopback port; `ready()` waits for /health;
 * - `startCluster(…)`          all of it: a migrated and seeded database, N API nodes (RUN_WORKER=0)
 *                              and M worker nodes (RUN_WORKER=1), ready; `close()` ends everything.
 * - `nodeClient(node)`         HTTP helpers against one node (login, JSON requests, multipart upload).
 * Processes still running when the test process exits are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { startS3Peer, type S3Peer } from '../api/s3-peer.js';
import { DEMO_USERS } from '../../api/seed/seed.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? '';
/** the cluster tests need MariaDB/MySQL: `describe.skipIf(!HAS_MYSQL)` */
export const HAS_MYSQL = Boolean(MYSQL_URL);

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface ClusterDatabase {
  url: string;
  name: string;
  /** a knex connection to it, for checks from the test (closed by drop) */
  db: Knex;
  drop: () => Promise<void>;
}

/** An empty database on TEST_MYSQL_URL's server (or on `serverUrl`'s: a private server, private-mariadb.ts). */
export async function createClusterDatabase(serverUrl = MYSQL_URL): Promise<ClusterDatabase> {
  const name = `ck_cluster_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: serverUrl });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const db = knexFactory({ client: 'mysql2', connection: url, pool: { min: 0, max: 4 } });
  return {
    url, name, db,
    drop: async () => {
      await db.destroy();
      const k = knexFactory({ client: 'mysql2', connection: serverUrl });
      await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await k.destroy();
    },
  };
}

/** Secrets as an operator generates them once for all nodes. */
export function clusterSecrets(): Record<'JWT_SECRET' | 'DATA_KEY' | 'LOOKUP_KEY', string> {
  return {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    DATA_KEY: randomBytes(32).toString('base64'),
    LOOKUP_KEY: randomBytes(32).toString('base64'),
  };
}

/** The environment every node of one cluster shares; add PORT, DATA_DIR, RUN_WORKER per node. */
export function clusterEnv(opts: { databaseUrl: string; storage?: Record<string, string>; secrets?: Record<string, string>; extra?: Record<string, string> }): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    ...(opts.secrets ?? clusterSecrets()),
    ...(opts.storage ?? {}),
    PUBLIC_URL: 'http://portal.cluster.test',
    HOST: '127.0.0.1',
    SCRYPT_COST: '1024',
    SMTP_URL: 'smtp://127.0.0.1:1',
    AUTH_RATE_LIMIT_PER_IP: '100000',
    ...(opts.extra ?? {}),
  };
}

/** The environment of the test process, minus anything that would configure a node behind our back. */
function baseEnv(): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(DATABASE_URL|DATA_DIR|PORT|HOST|JWT_SECRET|DATA_KEY|LOOKUP_KEY|PUBLIC_URL|RUN_WORKER|STORAGE_URL|S3_.*|TEST_.*|VITEST.*)$/.test(k)) continue;
    keep[k] = v;
  }
  return keep;
}

export interface CliResult {
  code: number | null;
  output: string;
}

/** `node --import tsx api/main.ts <args>` to completion (a release step: `migrate`, `seed --accounts 40`). */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', ...args], { cwd: REPO, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output });
    });
  });
}

/** A free loopback port (asked of the OS, then released for the node to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export interface ClusterNode {
  name: string;
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** stdout and stderr so far */
  output: () => string;
  /** resolves with the exit code once the process has exited */
  exited: Promise<number | null>;
  /** waits until GET /api/v1/health answers 200; rejects (with the node's output) if it exits first */
  ready: (timeoutMs?: number) => Promise<void>;
  /** SIGTERM (a clean stop), SIGKILL after `graceMs`; resolves with the exit code */
  stop: (graceMs?: number) => Promise<number | null>;
  /** SIGKILL at once: a crashed machine */
  kill: () => Promise<number | null>;
}

/**
 * Starts `node --import tsx api/main.ts serve <args>` with `env` (plus its own PORT and DATA_DIR,
 * unless given). Does not wait: call `ready()`, or watch `exited` for a node expected to refuse.
 */
export async function startNode(name: string, env: Record<string, string>, opts: { args?: string[]; dataDir?: string } = {}): Promise<ClusterNode> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), `ck-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', 'serve', ...(opts.args ?? [])], {
    cwd: REPO, env: { ...baseEnv(), ...env, PORT: String(port), DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const url = `http://127.0.0.1:${port}`;
  const node: ClusterNode = {
    name, url, dataDir, process: child, output: () => output, exited,
    async ready(timeoutMs = 120_000) {
      const deadline = performance.now() + timeoutMs;
      let gone = false;
      void exited.then(() => (gone = true));
      while (performance.now() < deadline) {
        if (gone) throw new Error(`node ${name} exited (${child.exitCode}) before it was ready:\n${output}`);
        try {
          const res = await fetch(`${url}/api/v1/health`);
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`node ${name} was not ready within ${timeoutMs} ms:\n${output}`);
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
  return node;
}

export interface Cluster {
  database: ClusterDatabase;
  s3: S3Peer;
  /** the bucket prefix of this cluster's files */
  prefix: string;
  /** what every node shares (secrets, database, storage, PUBLIC_URL) */
  env: Record<string, string>;
  /** API nodes (RUN_WORKER=0) */
  nodes: ClusterNode[];
  /** worker nodes (RUN_WORKER=1) */
  workers: ClusterNode[];
  /** start one more node of this cluster (e.g. with a secret missing); stopped by close() */
  addNode: (name: string, env?: Record<string, string>, opts?: { args?: string[] }) => Promise<ClusterNode>;
  close: () => Promise<void>;
}

/**
 * A running cluster: the database migrated and seeded by one-off commands (as a release step
 * would), then `apiNodes` API nodes and `workers` worker nodes started together and ready.
 */
export async function startCluster(opts: { apiNodes?: number; workers?: number; accounts?: number; env?: Record<string, string>; mysqlServerUrl?: string } = {}): Promise<Cluster> {
  const database = await createClusterDatabase(opts.mysqlServerUrl);
  const s3 = await startS3Peer('ck-cluster');
  const prefix = `cluster-${randomBytes(4).toString('hex')}`;
  const env = clusterEnv({ databaseUrl: database.url, storage: s3.env(prefix), extra: opts.env });
  const all: ClusterNode[] = [];
  const dirs: string[] = [];
  const close = async () => {
    await Promise.all(all.map((n) => n.stop()));
    for (const n of all) rmSync(n.dataDir, { recursive: true, force: true });
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await s3.close();
    await database.drop();
  };
  try {
    const setupDir = mkdtempSync(join(tmpdir(), 'ck-release-'));
    dirs.push(setupDir);
    const seeded = await runCli(['seed', '--accounts', String(opts.accounts ?? 40)], { ...env, DATA_DIR: setupDir });
    if (seeded.code !== 0) throw new Error(`seed failed (${seeded.code}):\n${seeded.output}`);
    const addNode = async (name: string, extra: Record<string, string> = {}, o: { args?: string[] } = {}) => {
      const node = await startNode(name, { ...env, RUN_WORKER: '0', ...extra }, o);
      all.push(node);
      return node;
    };
    const nodes = await Promise.all(Array.from({ length: opts.apiNodes ?? 2 }, (_, i) => addNode(`api-${String.fromCharCode(97 + i)}`)));
    const workers = await Promise.all(Array.from({ length: opts.workers ?? 1 }, (_, i) => addNode(`worker-${i + 1}`, { RUN_WORKER: '1' })));
    await Promise.all([...nodes, ...workers].map((n) => n.ready()));
    return { database, s3, prefix, env, nodes, workers, addNode, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

export interface NodeClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: (path: string, init?: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; headers: Headers; body: any; text: string }>;
  login: (username: string, password?: string) => Promise<string>;
  /** multipart POST of one file (field `file`) and text fields */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  upload: (path: string, token: string, file: { bytes: Buffer; filename: string }, fields?: Record<string, string>) => Promise<{ status: number; body: any }>;
  download: (path: string, token: string) => Promise<{ status: number; headers: Headers; bytes: Buffer }>;
}

export const demoPassword = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;

export function nodeClient(node: Pick<ClusterNode, 'url'>): NodeClient {
  const api = `${node.url}/api/v1`;
  const request: NodeClient['request'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${api}${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
  return {
    request,
    async login(username, password = demoPassword(username)) {
      const res = await request('/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} on ${node.url} failed: ${res.status} ${res.text}`);
      return res.body.accessToken as string;
    },
    async upload(path, token, file, fields = {}) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('file', new Blob([new Uint8Array(file.bytes)]), file.filename);
      const res = await fetch(`${api}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async download(path, token) {
      const res = await fetch(`${api}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
    },
  };
}

/** Polls `fn` until it returns a truthy value (returned), or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T>, timeoutMs = 60_000, everyMs = 250): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  let last: T | undefined;
  while (performance.now() < deadline) {
    last = await fn();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}
