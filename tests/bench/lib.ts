/** Small helpers shared by the benchmarks: percentiles, timing, a child-process API server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../api/config.js';

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

export async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** Runs `fn` from `concurrency` loops for `ms` milliseconds; returns completed calls per second. */
export async function throughput(concurrency: number, ms: number, fn: () => Promise<unknown>): Promise<number> {
  const until = Date.now() + ms;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await fn();
        done++;
      }
    }),
  );
  return done / ((Date.now() - started) / 1000);
}

/**
 * The node flags the API runs with, as in `npm start` (package.json) and the README's production
 * command. The V8 heap cap: the API's live heap stays ~60 MB even placing 1M rows, but on a large
 * machine V8 lets the heap grow to 4× that before collecting; the cap keeps RSS flat and low.
 */
export const API_NODE_ARGS = (process.env.BENCH_API_NODE_ARGS ?? '--max-old-space-size=512').split(' ').filter(Boolean);

/**
 * A node on a shared database must be given JWT_SECRET, DATA_KEY, LOOKUP_KEY and PUBLIC_URL (it refuses
 * to generate its own). The benches keep theirs where their set-up generated them, in the bench's
 * stable DATA_DIR (secrets.json), so every run's node matches the fingerprint its database stored.
 */
/**
 * One PUBLIC_URL for every run: the database stores the first node's and refuses a node with another,
 * so a URL that followed the random port made every run after the first fail to start.
 */
const BENCH_PUBLIC_URL = 'http://bench.test';

export function sharedSettings(env: Record<string, string>, _port?: string): Record<string, string> {
  if (!env.DATABASE_URL || env.JWT_SECRET) return {};
  const file = join(env.DATA_DIR ?? './data', 'secrets.json');
  const secrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { jwtSecret: string; dataKey: string; lookupKey: string }) : loadConfig({ ...process.env, ...env }).secrets;
  return { JWT_SECRET: secrets.jwtSecret, DATA_KEY: secrets.dataKey, LOOKUP_KEY: secrets.lookupKey, PUBLIC_URL: env.PUBLIC_URL ?? BENCH_PUBLIC_URL };
}

/** Starts `tsx api/main.ts serve` in its own process (so client and server do not share a core). */
export async function startApiProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => void }> {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  // node itself (tsx as a loader), not `npx tsx`: killing an npx wrapper leaves the server running.
  const child = spawn(process.execPath, [...API_NODE_ARGS, '--import', 'tsx', 'api/main.ts', 'serve'], { env: { ...process.env, ...env, ...sharedSettings(env, port), PORT: port, HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`API exited early (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => child.kill('SIGTERM') };
}

export const fmt = (n: number, digits = 2) => n.toFixed(digits);
