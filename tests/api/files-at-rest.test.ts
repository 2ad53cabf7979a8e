/**
 * Issue 17 item 14: files at rest. The database, stored files and uploaded spreadsheets (plaintext SSNs)
 * are owner-only (0600 files, 0700 folders) whatever the umask; the CLI runs with umask 077; uploads
 * never placed expire and their files are deleted by the worker; a client holds at most
 * UPLOAD_QUOTA_BYTES of spreadsheets waiting to be placed (413 beyond).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import { atInstant } from './test-clock.js';
import { nowMs } from '../../api/platform/clock.js';
import { fileStoreFor } from '../../api/platform/storage.js';
import { goodRow, toCsv } from './fixtures/placement-sheets.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const HOUR = 3_600_000;
const MAPPING = {
  clientAccountNumber: 'Acct #', firstName: 'First Name', lastName: 'Last Name', ssn: 'SSN', dob: 'DOB', address1: 'Address',
  city: 'City', state: 'State', zip: 'Zip Code', phone: 'Phone', principal: 'Balance', serviceDate: 'Service Date', comments: 'Notes',
};

/** Every file and folder below `dir` with its permission bits. */
function tree(dir: string): { path: string; mode: number; dir: boolean }[] {
  const out: { path: string; mode: number; dir: boolean }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const isDir = statSync(path).isDirectory();
    out.push({ path, mode: mode(path), dir: isDir });
    if (isDir) out.push(...tree(path));
  }
  return out;
}

describe('the CLI', () => {
  it('makes the data folder, secrets and SQLite file owner-only even when started with umask 022', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ck-rest-')), 'data');
    try {
      const res = spawnSync('sh', ['-c', `umask 022 && exec '${process.execPath}' --import tsx api/main.ts migrate`], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      expect(mode(dataDir)).toBe(0o700);
      const entries = tree(dataDir);
      expect(entries.map((e) => e.path)).toEqual(expect.arrayContaining([join(dataDir, 'secrets.json'), join(dataDir, 'collectkit.sqlite')]));
      for (const e of entries) expect({ path: e.path, mode: e.mode.toString(8) }).toEqual({ path: e.path, mode: e.dir ? '700' : '600' });
    } finally {
      rmSync(join(dataDir, '..'), { recursive: true, force: true });
    }
  }, 180_000);
});

describe.each(DIALECTS)('files at rest (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  const QUOTA = 60_000;

  const upload = async (body: string, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([body]), name);
    const res = await fetch(`${api.url}/api/v1/placements/batches`, { method: 'POST', headers: { Authorization: `Bearer ${client}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  // spreadsheets are in the file store (local disk here): DATA_DIR/files/<key>
  const storedPath = async (publicId: string) => join(api.config.dataDir, 'files', ...((await api.db('placement_batches').where({ publicId }).first('stored_name')).storedName as string).split('/'));
  const sheet = (prefix: string, rows: number) => toCsv(Array.from({ length: rows }, (_, i) => goodRow(i + 1, prefix)));

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5, config: { spreadsheetUploads: { expiryHours: 72, quotaBytesPerClient: QUOTA } } });
    client = await api.login('demo.client');
  });
  afterAll(() => api.close());

  it('stored files, uploaded spreadsheets and the SQLite file are 0600 in 0700 folders, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const up = await upload(sheet('MODE', 3), 'modes.csv');
      expect(up.status).toBe(201);
      const path = await storedPath(up.body.id);
      expect(mode(path)).toBe(0o600);
      expect(mode(join(api.config.dataDir, 'files'))).toBe(0o700);
      const stored = await fileStoreFor(api.config).put(Readable.from([Buffer.from('SSN 512-11-1001')]));
      const file = join(api.config.dataDir, 'files', ...stored.key.split('/'));
      expect(mode(file)).toBe(0o600);
      for (let dir = join(file, '..'); dir !== api.config.dataDir; dir = join(dir, '..')) expect({ dir, mode: mode(dir).toString(8) }).toEqual({ dir, mode: '700' });
      if (dialect === 'sqlite') expect(mode(join(api.config.dataDir, 'collectkit.sqlite'))).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('a client holds at most its quota of spreadsheets waiting to be placed: 413 naming UPLOAD_QUOTA_BYTES; expiry frees it', async () => {
    // the first test's upload (3 rows) still waits; this one fits the rest of the quota
    const first = await upload(sheet('QUOTA', 250), 'first.csv');
    expect(first.status).toBe(201);
    const held = Number(((await api.db('placement_batches').whereIn('status', ['uploaded']).sum({ n: 'file_size' }).first()) as { n: unknown }).n);
    const second = await upload(sheet('QUOTB', Math.ceil((QUOTA - held) / 100) + 10), 'second.csv');
    expect(second.status).toBe(413);
    expect(second.body).toMatchObject({ status: 413, code: 'upload_quota_exceeded' });
    expect(second.body.detail).toContain('UPLOAD_QUOTA_BYTES');
    // refused before reading when the declared size cannot fit: nothing reaches the disk
    const before = (await api.storedFiles()).length;
    const big = await upload(sheet('QUOTC', 1000), 'big.csv');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('upload_quota_exceeded');
    expect(await api.storedFiles()).toHaveLength(before);

    // left alone past the expiry, the waiting uploads are deleted and the quota is free again
    await atInstant(new Date(nowMs() + 73 * HOUR), () => runWorkerOnce({ db: api.db, config: api.config }));
    const again = await upload(sheet('QUOTB', Math.ceil((QUOTA - held) / 100) + 10), 'second.csv');
    expect(again.status).toBe(201);
  });

  it('uploads never placed expire after UPLOAD_EXPIRY_HOURS: file deleted by the worker, batch expired and audited, not startable', async () => {
    const waiting = await upload(sheet('EXPA', 2), 'waiting.csv');
    const checked = await upload(sheet('EXPB', 2), 'checked.csv');
    const placed = await upload(sheet('EXPC', 2), 'placed.csv');
    for (const [b, m] of [[checked, 'validate'], [placed, 'place']] as const) {
      expect((await api.request(`/placements/batches/${b.body.id}/start`, { token: client, body: { mapping: MAPPING, mode: m } })).status).toBe(202);
    }
    await runWorkerOnce({ db: api.db, config: api.config });
    const waitingFile = await storedPath(waiting.body.id);
    const checkedFile = await storedPath(checked.body.id);
    expect(existsSync(waitingFile) && existsSync(checkedFile)).toBe(true);

    // not yet: 71 hours later nothing happens
    await atInstant(new Date(nowMs() + 71 * HOUR), () => runWorkerOnce({ db: api.db, config: api.config }));
    expect((await api.request(`/placements/batches/${waiting.body.id}`, { token: client })).body.status).toBe('uploaded');

    await atInstant(new Date(nowMs() + 73 * HOUR), () => runWorkerOnce({ db: api.db, config: api.config }));
    for (const b of [waiting, checked]) {
      const now = (await api.request(`/placements/batches/${b.body.id}`, { token: client })).body;
      expect(now).toMatchObject({ status: 'expired', failure: expect.stringContaining('72 hours') });
      expect(await api.db('audit_log').where({ action: 'placement.batch.expired', targetId: b.body.id })).toHaveLength(1);
      const start = await api.request(`/placements/batches/${b.body.id}/start`, { token: client, body: { mapping: MAPPING, mode: 'place' } });
      expect(start.status).toBe(409);
      expect(start.body.code).toBe('batch_not_startable');
    }
    expect(existsSync(waitingFile)).toBe(false);
    expect(existsSync(checkedFile)).toBe(false);
    expect((await api.request(`/placements/batches/${placed.body.id}`, { token: client })).body.status).toBe('completed');
  });
});
