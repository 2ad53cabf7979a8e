/**
 * A MariaDB server of the test's own, to stop and start again (a database restart as the nodes see
 * it). The machine's shared MariaDB (TEST_MYSQL_URL) serves every other test run at the same time and
 * is never restarted. This one lives in a temporary datadir made by `mariadb-install-db` and listens
 * on a free loopback port as root without a password; `close()` stops it and removes the datadir.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './harness.js';

export const MARIADBD = '/usr/sbin/mariadbd';
/** the binaries are there (Debian's mariadb-server) */
export const HAS_MARIADBD = existsSync(MARIADBD) && existsSync('/usr/bin/mariadb-install-db');

export interface PrivateMariadb {
  /** `mysql://root@127.0.0.1:<port>/` — the server, no database */
  url: string;
  port: number;
  /** SIGTERM, then waits for the server to exit (a clean shutdown, as a restart does) */
  stop: () => Promise<void>;
  /** starts it again on the same port and datadir, and waits until it answers */
  start: () => Promise<void>;
  /** stops it and removes its datadir */
  close: () => Promise<void>;
  /** the server's output so far */
  log: () => string;
}

const servers = new Set<ChildProcess>();
process.once('exit', () => {
  for (const s of servers) s.kill('SIGKILL');
});

export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-mariadb-'));
  const port = await freePort();
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const small = ['--innodb-buffer-pool-size=64M', '--skip-log-bin', '--skip-name-resolve', '--max-connections=300'];
  await promisify(execFile)('mariadb-install-db', [
    '--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asRoot,
  ], { timeout: 120_000 });
  let server: ChildProcess | null = null;
  let output = '';
  const url = `mysql://root@127.0.0.1:${port}/`;

  const start = async () => {
    const child = spawn(MARIADBD, [
      '--no-defaults', `--datadir=${join(dir, 'data')}`, `--socket=${join(dir, 'mariadb.sock')}`, `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--port=${port}`, '--bind-address=127.0.0.1', ...small, ...asRoot,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    servers.add(child);
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', () => servers.delete(child));
    const deadline = performance.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mariadbd exited (${child.exitCode}):\n${output}`);
      try {
        const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch {
        if (performance.now() > deadline) throw new Error(`mariadbd did not answer within 60 s:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const stop = async () => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
    server = null;
  };

  await start();
  return {
    url, port, stop, start, log: () => output,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
