/**
 * API nodes as separate processes, as they run in production: `node --import tsx api/main.ts …` with
 * an environment of their own (node itself, not `npx tsx`: killing a wrapper would leave the server).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';

export interface NodeProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  url: string;
  dataDir: string;
  /** everything it printed so far (stdout and stderr) */
  output: () => string;
  /** resolves when it listens; rejects with its output when it exits first */
  ready: Promise<void>;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/** The settings every node of one deployment shares. */
export function sharedEnv(databaseUrl: string, publicUrl = 'http://portal.test'): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'nodes-test-jwt-secret-nodes-test-jwt',
    DATA_KEY: Buffer.alloc(32, 3).toString('base64'),
    LOOKUP_KEY: Buffer.alloc(32, 5).toString('base64'),
    PUBLIC_URL: publicUrl,
    SCRYPT_COST: '1024',
    RUN_WORKER: '0',
    HOST: '127.0.0.1',
  };
}

let nextPort = 31000 + Math.floor(Math.random() * 15000);

/** Starts `api/main.ts <args>` with `env` on top of a clean base (no inherited DATABASE_URL or keys). */
export function startNode(args: string[], env: Record<string, string | undefined>): NodeProcess {
  const port = nextPort++;
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(DATABASE_URL|JWT_SECRET|DATA_KEY|LOOKUP_KEY|PUBLIC_URL|DATA_DIR|PORT|TEST_MYSQL_URL)$/.test(k)) base[k] = v;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-node-'));
  const finalEnv: Record<string, string> = { ...base, DATA_DIR: dataDir, PORT: String(port) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) finalEnv[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', ...args], { env: finalEnv });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (out.includes('listening on')) resolve();
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`node exited ${code} before listening:\n${out}`)));
  });
  ready.catch(() => {});
  return {
    child, port, url: `http://127.0.0.1:${port}`, dataDir: env.DATA_DIR ?? dataDir, output: () => out, ready, exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A new, empty MariaDB database (no tables at all), dropped by the returned function. */
export async function emptyMysqlDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `ck_nodes_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: serverUrl });
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  return {
    url: Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString(),
    drop: async () => {
      const k = knexFactory({ client: 'mysql2', connection: serverUrl });
      await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await k.destroy();
    },
  };
}

export async function health(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/health`);
  return res.status;
}
