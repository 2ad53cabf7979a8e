/**
 * A printed PDF part, or the finished PDF, is never a file that nothing names (issue 21's exports):
 * the row names the file before its bytes are stored, so a node that dies while storing it leaves a
 * row to clean up by, and the retry (or the sweep) deletes the file with it. A worker that lost its lease and
 * finishes storing after the new owner dropped its row deletes its own file. Runs on SQLite and
 * MariaDB, and against the S3 backend in the S3 run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { fileStoreFor, type FileStore } from '../../api/platform/storage.js';
import { dropParts, keepPart, resumableParts, storedParts } from '../../api/reports/export-parts.js';
import { PDF_PART_ROWS } from '../../api/reports/export/pdf.js';
import { runExport } from '../../api/reports/exports.service.js';
import { closePdf } from '../../api/platform/pdf.js';

describe.each(DIALECTS)('export parts and their files (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 5 });
    agency = await api.login('demo.agency');
  });
  afterAll(async () => {
    await api?.close();
    await closePdf();
  });

  async function newExport(): Promise<number> {
    const res = await api.request('/reports/activity/exports', { token: agency, body: { format: 'pdf', parameters: { from: '2020-01-01', to: '2020-01-02' } } });
    expect(res.status).toBe(202);
    return Number(((await api.db('report_exports').where({ publicId: res.body.id }).first('id')) as { id: number }).id);
  }
  const part = (index: number) => ({ index, pdf: Buffer.from(`%PDF-1.7 part ${index}`), rows: PDF_PART_ROWS, pages: 3 });

  /** The store's put stores the bytes, then hangs for ever, as a node that died right after. */
  function dieAfterStoring(store: FileStore): { stored: Promise<string>; restore: () => void } {
    const real = store.put.bind(store);
    let storedKey: (key: string) => void = () => {};
    const stored = new Promise<string>((resolve) => (storedKey = resolve));
    store.put = async (source, key) => {
      const object = await real(source, key);
      storedKey(object.key);
      return new Promise(() => {});
    };
    return { stored, restore: () => void (store.put = real) };
  }

  it('a node that dies after storing a part file leaves a row naming it; the retry drops both', async () => {
    const exportId = await newExport();
    await keepPart({ config: api.config, db: api.db } as never, exportId, part(0));
    const store = fileStoreFor(api.config);
    const death = dieAfterStoring(store);
    void keepPart({ config: api.config, db: api.db } as never, exportId, part(1));
    const key = await death.stored;
    death.restore();
    expect(await store.stat(key)).not.toBeNull();
    // the dead node's part is named by its row, and no retry would join it (its counts never came)
    const parts = await storedParts({ config: api.config, db: api.db } as never, exportId);
    expect(parts.map((p) => p.fileKey)).toContain(key);
    expect(resumableParts(parts, PDF_PART_ROWS, true)).toEqual([]);
    // what the retry does with parts it cannot join: files and rows go
    await dropParts({ config: api.config, db: api.db } as never, exportId, parts);
    expect(await store.stat(key)).toBeNull();
    expect(await storedParts({ config: api.config, db: api.db } as never, exportId)).toEqual([]);
    expect((await api.storedFiles()).filter((f) => parts.some((p) => f.startsWith(p.fileKey)))).toEqual([]);
  });

  it('a worker whose part row was dropped while it stored the file deletes that file itself', async () => {
    const exportId = await newExport();
    const store = fileStoreFor(api.config);
    const real = store.put.bind(store);
    let keyStored = '';
    // the new owner drops the parts while the old worker is still storing its file
    store.put = async (source, key) => {
      await dropParts({ config: api.config, db: api.db } as never, exportId);
      const object = await real(source, key);
      keyStored = object.key;
      return object;
    };
    try {
      await keepPart({ config: api.config, db: api.db } as never, exportId, part(0));
    } finally {
      store.put = real;
    }
    expect(keyStored).not.toBe('');
    expect(await store.stat(keyStored)).toBeNull();
    expect(await storedParts({ config: api.config, db: api.db } as never, exportId)).toEqual([]);
  });

  it('a node that dies after storing the finished PDF leaves the export naming it; the retry deletes it and stores its own', async () => {
    const res = await api.request('/reports/activity/exports', { token: agency, body: { format: 'pdf', parameters: { from: '2020-01-01', to: '2030-01-01' } } });
    expect(res.status).toBe(202);
    const publicId = res.body.id as string;
    const exportRow = async () => (await api.db('report_exports').where({ publicId }).first('status', 'file_key')) as { status: string; fileKey: string | null };
    const store = fileStoreFor(api.config);
    const death = dieAfterStoring(store);
    void runExport({ config: api.config, db: api.db } as never, publicId, { attempt: 1 }).catch(() => undefined);
    const deadKey = await death.stored;
    death.restore();
    expect(await store.stat(deadKey)).not.toBeNull();
    expect(await exportRow()).toEqual({ status: 'running', fileKey: deadKey });
    // the job runner's retry, once the dead node's lease is up
    await runExport({ config: api.config, db: api.db } as never, publicId, { attempt: 2 });
    const done = await exportRow();
    expect(done.status).toBe('done');
    expect(done.fileKey).not.toBe(deadKey);
    expect(await store.stat(done.fileKey!)).not.toBeNull();
    expect(await store.stat(deadKey)).toBeNull();
    const download = await api.request(`/reports/exports/${publicId}/file`, { token: agency });
    expect(download.status).toBe(200);
  });
});
