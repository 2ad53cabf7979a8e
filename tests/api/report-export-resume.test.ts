/**
 * A background PDF export whose node dies part-way resumes where it stopped, on SQLite and MariaDB:
 * the worker that takes the job over (one lease later) joins the parts the dead node kept in the file
 * store and prints only the rest; the progress goes on from where it was; the file holds every row,
 * once, in order; the kept parts are deleted once the export is done. The dying node is a worker
 * process of its own (fixtures/run-worker.ts), killed with SIGKILL after its second part.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import '../../api/jobs-registry.js';
import { startWorker } from '../../api/platform/jobs.js';
import { closePdf } from '../../api/platform/pdf.js';
import { PDF_PART_ROWS } from '../../api/reports/export/pdf.js';
import { expireExports } from '../../api/reports/exports.service.js';
import { fileStoreFor } from '../../api/platform/storage.js';
import { now as clockNow } from '../../api/platform/clock.js';
import { Readable } from 'node:stream';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'ck-resume-'));

describe.each(DIALECTS)('a retried PDF export resumes (%s)', (dialect) => {
  const LEASE_MS = 1500;
  /** 5 parts of 1,000 rows (the last one of 500) */
  const ROWS = 4_500;
  const DAY = '2020-03-02';
  let api: TestApi;
  let agency: string;
  let exportId = '';

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
    agency = await api.login('demo.agency');
    // the report's rows: entries on one day, numbered in the order the report lists them (by id)
    const account = (await api.db('accounts').orderBy('id').first('id')) as { id: number };
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      publicId: `act_resume${String(i).padStart(17, '0')}`, accountId: account.id, type: 'note', visibility: 'internal',
      body: `resume-${String(i + 1).padStart(5, '0')}`, actorName: 'Test', occurredAt: new Date(`${DAY}T09:00:00Z`),
    }));
    for (let i = 0; i < rows.length; i += 250) await api.db('activity').insert(rows.slice(i, i + 250));
  }, 300_000);
  afterAll(async () => {
    await api?.close();
    await closePdf();
  });

  it('the node printing it is killed after two parts: the retry prints only the missing parts, and the file is whole and in order', async () => {
    const parameters = { from: DAY, to: DAY };
    expect((await api.request('/reports/activity/run', { token: agency, body: { parameters, pageSize: 1 } })).body.total).toBe(ROWS);
    const res = await api.request('/reports/activity/exports', { token: agency, body: { format: 'pdf', parameters } });
    expect(res.status).toBe(202);
    const id = res.body.id as string;
    exportId = id;
    const exportRow = async () => (await api.db('report_exports').where({ publicId: id }).first()) as { id: number; status: string; rowsDone: number; fileKey: string | null };
    const parts = async () => (await api.db('report_export_parts').where({ exportId: (await exportRow()).id }).orderBy('partNo').select('partNo', 'fileKey')) as { partNo: number; fileKey: string }[];

    // node-1 prints the export until it is killed after its second part
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/run-worker.ts', import.meta.url).pathname], {
      env: {
        ...process.env, CK_DATABASE_URL: api.config.databaseUrl, CK_DATA_DIR: api.config.dataDir, CK_STORAGE: JSON.stringify(api.config.storage ?? null),
        CK_LEASE_MS: String(LEASE_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      const deadline = performance.now() + 240_000;
      while (Number((await exportRow()).rowsDone) < 2 * PDF_PART_ROWS) {
        if (performance.now() > deadline || child.exitCode !== null) throw new Error(`node-1 printed no two parts: ${output}`);
        await sleep(30);
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const keptAtKill = await parts();
    const printedBefore = keptAtKill.length;
    const partsInAll = Math.ceil(ROWS / PDF_PART_ROWS);
    expect(printedBefore).toBeGreaterThanOrEqual(2);
    expect(printedBefore).toBeLessThan(partsInAll); // the test is about a half-printed export
    expect(keptAtKill.map((p) => p.partNo)).toEqual([...Array(printedBefore).keys()]);
    for (const p of keptAtKill) expect(await api.storedFiles()).toContain(p.fileKey);
    const progressAtKill = Number((await exportRow()).rowsDone);
    expect(progressAtKill).toBe(printedBefore * PDF_PART_ROWS);

    // node-2 takes the job over once node-1's lease has run out. Its own lease is longer: it runs in
    // this process, whose event loop joining the parts (pdf-lib) on a busy machine can block for more
    // than 1.5 s — node-2 would then lose the job to itself and a third attempt (seen once).
    const worker = startWorker({ db: api.db, config: { ...api.config, jobs: { leaseMs: 10_000 } } }, { workerId: 'node-2', intervalMs: 100 });
    const seen: number[] = [];
    let done: Record<string, unknown>;
    try {
      for (const until = performance.now() + 240_000; ; await sleep(100)) {
        const view = (await api.request(`/reports/exports/${id}`, { token: agency })).body;
        seen.push(view.rowsDone);
        if (!['queued', 'running'].includes(view.status)) {
          done = view;
          break;
        }
        if (performance.now() > until) throw new Error(`export still ${view.status}`);
      }
    } finally {
      await worker.stop();
    }
    expect(done).toMatchObject({ status: 'done', rowsDone: ROWS, rowsTotal: ROWS, failure: null });
    // the progress went on from the parts node-1 printed: never back to 0, never down
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(progressAtKill);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    // node-2 printed only the missing parts
    const completed = (await api.db('audit_log').where({ targetId: id, action: 'report_export.completed' }).first('afterJson')) as { afterJson: string };
    expect(JSON.parse(completed.afterJson)).toMatchObject({ rows: ROWS, partsResumed: printedBefore, partsPrinted: partsInAll - printedBefore });
    const job = (await api.db('jobs').where({ type: 'reports.export' }).where('payloadJson', 'like', `%${id}%`).first()) as { status: string; attempts: number };
    expect(job).toMatchObject({ status: 'done', attempts: 2 });

    // the file: every row once, in order, numbered as one document
    const file = await fetch(`${api.url}/api/v1/reports/exports/${id}/file`, { headers: { Authorization: `Bearer ${agency}` } });
    expect(file.status).toBe(200);
    const path = join(dir, `${dialect}.pdf`);
    writeFileSync(path, Buffer.from(await file.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const numbers = [...text.matchAll(/resume-(\d{5})/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(text).toContain(`${ROWS} rows`); // the title block, printed by node-1
    expect(text).toContain(`${ROWS} entries`); // the totals, printed by node-2
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
    expect(pages).toBe(done.pagesDone);
    expect(text).toMatch(new RegExp(`Page ${pages} of ${pages}\\b`));

    // the kept parts are gone, rows and files
    expect(await parts()).toEqual([]);
    const stored = await api.storedFiles();
    for (const p of keptAtKill) expect(stored).not.toContain(p.fileKey);
    expect(stored).toContain((await exportRow()).fileKey);
  }, 600_000);

  it('parts an ended export still has (its node died before deleting them) are deleted by the expiry ticker', async () => {
    // as a node that died between marking the export done and deleting its parts leaves them
    const row = (await api.db('report_exports').where({ publicId: exportId }).first('id', 'status')) as { id: number; status: string };
    expect(row.status).toBe('done');
    const file = await fileStoreFor(api.config).put(Readable.from([Buffer.from('%PDF-1.7 a part')]));
    await api.db('report_export_parts').insert({ exportId: row.id, partNo: 7, fileKey: file.key, rows: PDF_PART_ROWS, pages: 20, createdAt: clockNow() });
    expect(await api.storedFiles()).toContain(file.key);
    await expireExports({ db: api.db, config: api.config }, clockNow());
    expect(await api.db('report_export_parts').where({ exportId: row.id })).toEqual([]);
    expect(await api.storedFiles()).not.toContain(file.key);
    // the export itself is not due to expire yet
    expect((await api.db('report_exports').where({ id: row.id }).first('status')).status).toBe('done');
  });
});
