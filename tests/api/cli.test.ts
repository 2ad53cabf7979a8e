/** The command line as a newcomer uses it: migrate, seed, admin create-user, serve --demo. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'ck-cli-'));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SCRYPT_COST: '1024' };
const cli = (...args: string[]) => spawnSync('npx', ['tsx', 'api/main.ts', ...args], { env, encoding: 'utf8' });

// Each call starts a fresh tsx process that loads the whole application: allow for a busy machine.
const CLI_TIMEOUT = 180_000;

describe('CLI', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('seeds an empty database and refuses to seed twice', () => {
    const first = cli('seed', '--accounts', '50');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Seeded 50 accounts');
    const again = cli('seed', '--accounts', '50');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has data');
  }, CLI_TIMEOUT);

  it('admin ledger-verify passes on the seeded demo (balances only through the ledger, issue 22)', () => {
    const r = cli('admin', 'ledger-verify');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Ledger verified: 50 accounts, [1-9]\d* ledger rows/);
  }, CLI_TIMEOUT);

  it('creates a user with an issued password who must change it', () => {
    const r = cli('admin', 'create-user', '--username', 'pat.lee', '--email', 'pat@cascadepower.example', '--first', 'Pat', '--last', 'Lee', '--role', 'client_manager', '--clients', 'CPL');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Issued password: \S{16}/);
    const bad = cli('admin', 'create-user', '--username', 'x.y', '--email', 'x@y.example', '--first', 'X', '--last', 'Y', '--role', 'client_manager', '--clients', 'NOPE');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('No client NOPE');
  }, CLI_TIMEOUT);

  it('serve --demo starts, prints the URL and the demo logins, and answers', async () => {
    const port = String(30000 + Math.floor(Math.random() * 20000));
    // node itself with tsx as a loader: killing an `npx tsx` wrapper would leave the server running.
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', 'serve', '--demo'], { env: { ...env, PORT: port, HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` } });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('demo.agency')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toContain(`http://127.0.0.1:${port}/api/v1`);
    for (const login of ['demo.client', 'demo.group', 'demo.agency']) expect(out).toContain(login);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<ck-client-portal');
    // the demo may keep the development default CORS_ORIGINS=* without a warning
    expect(err).not.toContain('CORS_ORIGINS');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }, CLI_TIMEOUT);

  it('serve without --demo warns at start while CORS_ORIGINS is `*`, and not once it is set', async () => {
    const start = async (base: NodeJS.ProcessEnv) => {
      const port = String(30000 + Math.floor(Math.random() * 20000));
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', 'serve'], { env: { ...base, PORT: port, HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, RUN_WORKER: '0' } });
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening on')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out} ${err}`)));
      });
      // the warning is printed right after the listening line; give the stream a moment
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return err;
    };
    const withoutOrigins: NodeJS.ProcessEnv = { ...env };
    delete withoutOrigins.CORS_ORIGINS;
    expect(await start(withoutOrigins)).toContain('WARNING: CORS_ORIGINS is `*`');
    expect(await start({ ...env, CORS_ORIGINS: 'https://www.agency.example' })).not.toContain('CORS_ORIGINS');
  }, CLI_TIMEOUT);
});
