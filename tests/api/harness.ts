/**
 * Test harness: a real API on a real, freshly migrated and seeded database, listening on an
 * ephemeral loopback port. SQLite always; MariaDB/MySQL too when TEST_MYSQL_URL is set (CI sets it),
 * each test file in a database of its own (a copy of a migrated template, see mysql-template.ts)
 * that is dropped afterwards.
 *
 * Stored files go to DATA_DIR/files, or — with TEST_STORAGE=s3 (`npm run test:s3`) — to a bucket on a
 * real S3-protocol server (s3rver, one process per test file, see s3-peer.ts), each app under a
 * prefix of its own. `api.storedFiles()` lists what is stored either way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import { expect } from 'vitest';
import { testConfig, type Config } from '../../api/config.js';
import { createDb, migrateLatest, type Db } from '../../api/platform/db.js';
import { createApp } from '../../api/app.js';
import { callerCacheFor } from '../../api/platform/auth/caller-cache.js';
import { DEMO_USERS, seed } from '../../api/seed/seed.js';
import { createMigratedMysqlDatabase } from './mysql-template.js';
import { startS3Peer, type S3Peer } from './s3-peer.js';

export type Dialect = 'sqlite' | 'mysql';
export const DIALECTS: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
/** where the apps of this run store files: TEST_STORAGE=s3 puts them in an S3-compatible bucket */
export const TEST_STORAGE: 'local' | 's3' = process.env.TEST_STORAGE === 's3' ? 's3' : 'local';

let s3Peer: Promise<S3Peer> | undefined;
/** The one s3rver process of this test file (started on first use, ended with the process). */
export function sharedS3Peer(): Promise<S3Peer> {
  return (s3Peer ??= startS3Peer());
}

export interface TestApi {
  url: string;
  db: Db;
  config: Config;
  dialect: Dialect;
  request: (path: string, init?: RequestOptions) => Promise<TestResponse>;
  login: (username: string, password?: string) => Promise<string>;
  /** 'local' or 's3': the backend this app stores files in */
  storage: 'local' | 's3';
  /** every stored object's key, and `<key>.partial` for each write still in progress (a partial file, an open multipart upload) */
  storedFiles: () => Promise<string[]>;
  close: () => Promise<void>;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

async function createMysqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_MYSQL_URL!;
  const name = `ck_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  await createMigratedMysqlDatabase(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const k = knexFactory({ client: 'mysql2', connection: serverUrl });
      await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await k.destroy();
    },
  };
}

export const demoPassword = (username: string) => DEMO_USERS.find((u) => u.username === username)!.password;

export async function startTestApi(dialect: Dialect, options: { accounts?: number; config?: Partial<Config> } = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-test-'));
  const mysql = dialect === 'mysql' ? await createMysqlDatabase() : null;
  let storedFiles = async () => filesUnder(join(dataDir, 'files'));
  let storage: TestApi['storage'] = 'local';
  let storageConfig = options.config?.storage;
  if (!storageConfig && TEST_STORAGE === 's3') {
    const peer = await sharedS3Peer();
    const prefix = `t-${randomBytes(6).toString('hex')}`;
    storageConfig = peer.storage(prefix);
    storage = 's3';
    storedFiles = async () => [...(await peer.keys(prefix)), ...peer.pendingUploads(prefix).map((k) => `${k}.partial`)].sort();
  }
  const config = testConfig({ dataDir, databaseUrl: mysql?.url ?? '', ...options.config, ...(storageConfig ? { storage: storageConfig } : {}) });
  const db = createDb(config.databaseUrl, dataDir);
  await migrateLatest(db);
  await seed(db, config, { accounts: options.accounts ?? 400 });
  const server: Server = createApp({ config, db }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const request = async (path: string, init: RequestOptions = {}): Promise<TestResponse> => {
    // Tests change users, roles and sessions straight through `db`, as another process would; the
    // API hears such changes from the trigger-written change log within 250 ms. Asking it to read
    // the log before every request lets the triggers, not timing, decide: a change no trigger logs
    // would still be served from the caller cache and fail the test that made it.
    callerCacheFor(db).markStale();
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.Authorization = `Bearer ${init.token}`;
    let body: string | undefined = init.rawBody;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(`${url}/api/v1${path}`, { method: init.method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };

  const login = async (username: string, password: string = demoPassword(username)) => {
    const res = await request('/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
    return res.body.accessToken as string;
  };

  return {
    url, db, config, dialect, request, login, storage, storedFiles,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
      await mysql?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every file below `root` (relative paths), sorted. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Matchers for snapshot-like shape checks. */
export const ID = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}_[0-9a-z]{26}$`));
export const ISO_DATETIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
export const ISO_DATE = expect.stringMatching(/^\d{4}-\d\d-\d\d$/);
