/**
 * A production copy, made the way docs/deploy.md says: the built API (`npm run build`, which `npm test`
 * runs first) with only production dependencies (`npm prune --omit=dev`), started on a fresh DATA_DIR
 * against MariaDB (SQLite when TEST_MYSQL_URL is not set). It must migrate, create the first admin
 * from the CLI, answer /health, let that admin through first login, and export a PDF.
 *
 * The copy's node_modules is this checkout's, pruned: the same versions `npm ci --omit=dev` installs
 * from the lockfile, without compiling better-sqlite3 again.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import knexFactory from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const mysqlUrl = process.env.TEST_MYSQL_URL;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe(`production copy on ${mysqlUrl ? 'MariaDB' : 'SQLite'}`, () => {
  const work = mkdtempSync(join(tmpdir(), 'ck-prod-'));
  const app = join(work, 'app');
  const dataDir = join(work, 'data');
  const database = `ck_prod_${randomBytes(3).toString('hex')}`;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;
  let base = '';
  let serverLog = '';

  const cli = (...args: string[]) => execFileSync(process.execPath, ['dist/api/main.js', ...args], { cwd: app, env, encoding: 'utf8', timeout: 180_000 });

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'dist/api/main.js')), 'npm run build has not been run').toBe(true);
    // the tracked files, the build output and the installed packages
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of tracked) {
      if (!existsSync(join(ROOT, file))) continue;
      mkdirSync(dirname(join(app, file)), { recursive: true });
      cpSync(join(ROOT, file), join(app, file));
    }
    cpSync(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    execFileSync('npm', ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'inherit', timeout: 300_000 });

    let databaseUrl = '';
    if (mysqlUrl) {
      const k = knexFactory({ client: 'mysql2', connection: mysqlUrl });
      await k.raw(`CREATE DATABASE \`${database}\``);
      await k.destroy();
      const url = new URL(mysqlUrl);
      url.pathname = `/${database}`;
      databaseUrl = url.toString();
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, PUBLIC_URL: base,
      CORS_ORIGINS: 'https://www.agency.example',
      JWT_SECRET: randomBytes(32).toString('base64url'), DATA_KEY: randomBytes(32).toString('base64'), LOOKUP_KEY: randomBytes(32).toString('base64'),
      SMTP_URL: 'smtp://127.0.0.1:9', // nothing is mailed in this test
    };
  }, 600_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    if (mysqlUrl) {
      const k = knexFactory({ client: 'mysql2', connection: mysqlUrl });
      await k.raw(`DROP DATABASE IF EXISTS \`${database}\``);
      await k.destroy();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('has no development dependencies: no TypeScript compiler, no test runner', () => {
    for (const dev of ['tsx', 'typescript', 'vitest', 'rollup', 'esbuild']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'node_modules/puppeteer-core'))).toBe(true);
  });

  it('migrates, creates the first admin, serves, signs in through first login and exports a PDF', async () => {
    expect(cli('migrate')).toContain('Migrations are up to date.');
    const created = cli('admin', 'create-user', '--username', 'ops.admin', '--email', 'ops@agency.example', '--first', 'Olu', '--last', 'Admin', '--role', 'agency_admin');
    const issued = /Issued password: (\S+)/.exec(created)?.[1];
    expect(issued).toBeTruthy();

    server = spawn(process.execPath, ['--max-old-space-size=512', 'dist/api/main.js', 'serve'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    const deadline = performance.now() + 60_000;
    let health: Response | undefined;
    while (performance.now() < deadline) {
      health = await fetch(`${base}/api/v1/health`).catch(() => undefined);
      if (health?.ok) break;
      if (server.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(health?.status, serverLog).toBe(200);
    expect((await health!.json()).database).toBe(mysqlUrl ? 'mysql' : 'sqlite');

    const call = async (path: string, init: { token?: string; body?: unknown } = {}) => {
      const res = await fetch(`${base}/api/v1${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: { ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}), ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return res;
    };
    const login = async (password: string) => {
      const res = await call('/auth/login', { body: { username: 'ops.admin', password } });
      expect(res.status, serverLog).toBe(200);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    // first login: confirm the profile, replace the issued password
    let token = await login(issued!);
    const confirm = await fetch(`${base}/api/v1/me`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ confirmProfile: true }) });
    expect(confirm.status).toBe(200);
    const newPassword = 'Prod-Smoke-Pass-2026!';
    expect((await call('/auth/password', { token, body: { currentPassword: issued, newPassword } })).status).toBe(204);
    token = await login(newPassword);
    const me = (await (await call('/me', { token })).json()) as { onboarding: { required: boolean } };
    expect(me.onboarding.required).toBe(false);

    const pdf = await call('/reports/inventory/run', { token, body: { format: 'pdf' } });
    expect(pdf.status, serverLog).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-', '-'], { input: bytes, encoding: 'utf8' });
    expect(text).toContain('Placement inventory');
  }, 240_000);
});
