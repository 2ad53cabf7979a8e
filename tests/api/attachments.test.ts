import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { download, EXE, GIF, JPEG, PDF, PNG, storedFiles, TEXT, upload, xlsx } from './upload-helpers.js';
import { createUser } from '../../api/users/users.service.js';
import { fileStoreFor } from '../../api/platform/storage.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MAX = 256 * 1024;

describe.each(DIALECTS)('account attachments (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let group: string;
  let viewer: string;
  let cascade: string;
  let brigid: string;
  const path = (acct: string) => `/accounts/${acct}/attachments`;

  beforeAll(async () => {
    api = await startTestApi(dialect, {
      accounts: 60,
      // small limit so the 413 is cheap; GIF switched off to prove the allow-list is configurable
      config: { uploads: { maxBytes: MAX, allowedTypes: ['pdf', 'png', 'jpeg', 'txt', 'csv', 'xlsx', 'docx'] } },
    });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    await api.db.transaction((trx) =>
      createUser(trx, { username: 'cpl.viewer', email: 'viewer@cascadepower.example', firstName: 'Vic', lastName: 'Viewer', roleKey: 'client_viewer', clientCodes: ['CPL'], password: 'Viewer-Pass-2026!', onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );
    viewer = await api.login('cpl.viewer', 'Viewer-Pass-2026!');
    const cpl = await api.db('clients').where({ code: 'CPL' }).first('id');
    const sbrh = await api.db('clients').where({ code: 'SBRH' }).first('id');
    cascade = (await api.db('accounts').where({ clientId: cpl.id, reviewStatus: 'accepted' }).first('public_id')).publicId;
    brigid = (await api.db('accounts').where({ clientId: sbrh.id, reviewStatus: 'accepted' }).first('public_id')).publicId;
  });
  afterAll(() => api.close());

  it('uploads a PDF: stored under a generated key with its hash, type from the bytes, audited, listed', async () => {
    // the client claims text/html; the content decides
    const res = await upload(api, path(cascade), client, { fields: { name: 'Signed contract' }, file: { bytes: PDF, filename: 'contract.pdf', type: 'text/html' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: ID('att'), displayName: 'Signed contract', fileName: 'contract.pdf', contentType: 'application/pdf', sizeBytes: PDF.length,
      sha256: sha(PDF), viewable: true, uploadedBy: { id: ID('usr'), name: 'Dana Whitfield' }, uploadedAt: ISO_DATETIME, canDelete: true,
    });
    const row = await api.db('attachments').where({ publicId: res.body.id }).first();
    expect(row.storageKey).toMatch(/^\d{4}\/\d\d\/\d\d\/[0-9a-f]{32}$/);
    expect(await storedFiles(api)).toContain(row.storageKey);
    const audit = await api.db('audit_log').where({ action: 'attachment.upload', targetId: res.body.id }).first();
    expect(JSON.parse(audit.afterJson)).toMatchObject({ account: cascade, sha256: sha(PDF), contentType: 'application/pdf' });
    expect(audit.actorId).toBe(res.body.uploadedBy.id);
    const event = await api.db('events').where({ type: 'attachment.added' }).orderBy('id', 'desc').first();
    expect(JSON.parse(event.payloadJson).attachmentId).toBe(res.body.id);

    const list = await api.request(path(cascade), { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.data.map((a: { id: string }) => a.id)).toContain(res.body.id);
    expect(list.body.data.find((a: { id: string }) => a.id === res.body.id).canDelete).toBe(false);
    expect(list.body.limits.maxBytes).toBe(MAX);
    expect(list.body.limits.types.map((t: { mime: string }) => t.mime)).not.toContain('image/gif');
  });

  it('views inline and downloads with the decided type, a safe Content-Disposition and nosniff; both audited', async () => {
    const up = await upload(api, path(cascade), client, { fields: { name: 'Photo of meter' }, file: { bytes: PNG, filename: 'Zähler “Nr. 1”.png' } });
    expect(up.status).toBe(201);
    const inline = await download(api, `${path(cascade)}/${up.body.id}/content?disposition=inline`, viewer);
    expect(inline.status).toBe(200);
    expect(inline.bytes.equals(PNG)).toBe(true);
    expect(inline.headers.get('content-type')).toBe('image/png');
    expect(inline.headers.get('x-content-type-options')).toBe('nosniff');
    expect(inline.headers.get('content-security-policy')).toContain('sandbox');
    expect(inline.headers.get('content-disposition')).toBe(`inline; filename="Zahler _Nr. 1_.png"; filename*=UTF-8''Z%C3%A4hler%20%E2%80%9CNr.%201%E2%80%9D.png`);
    const head = await fetch(`${api.url}/api/v1${path(cascade)}/${up.body.id}/content`, { method: 'HEAD', headers: { Authorization: `Bearer ${agency}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG.length));
    expect(head.headers.get('content-type')).toBe('image/png');
    const dl = await download(api, `${path(cascade)}/${up.body.id}/content`, agency);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    expect(dl.bytes.equals(PNG)).toBe(true);
    const actions = (await api.db('audit_log').where({ targetId: up.body.id }).orderBy('id').select('action', 'actor_type')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['attachment.upload', 'attachment.view', 'attachment.download', 'attachment.download']);
  });

  it('serves one byte range (206, Content-Range); a range past the end is a 416; each served range is audited', async () => {
    const up = await upload(api, path(cascade), client, { fields: { name: 'Letter' }, file: { bytes: TEXT, filename: 'letter.txt' } });
    const url = `${api.url}/api/v1${path(cascade)}/${up.body.id}/content`;
    const whole = await fetch(url, { headers: { Authorization: `Bearer ${client}` } });
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    await whole.arrayBuffer();
    const part = await fetch(url, { headers: { Authorization: `Bearer ${client}`, Range: 'bytes=9-14' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 9-14/${TEXT.length}`);
    expect(part.headers.get('content-length')).toBe('6');
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe(TEXT.subarray(9, 15).toString());
    const tail = await fetch(url, { headers: { Authorization: `Bearer ${client}`, Range: 'bytes=-5' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(TEXT.subarray(-5))).toBe(true);
    // If-Range names another version: the whole file
    const stale = await fetch(url, { headers: { Authorization: `Bearer ${client}`, Range: 'bytes=0-3', 'If-Range': '"not-this-one"' } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(TEXT)).toBe(true);
    const past = await fetch(url, { headers: { Authorization: `Bearer ${client}`, Range: `bytes=${TEXT.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${TEXT.length}`);
    expect(past.headers.get('content-type')).toContain('application/problem+json');
    expect((await past.json()).code).toBe('range_not_satisfiable');
    const audits = await api.db('audit_log').where({ targetId: up.body.id, action: 'attachment.download' }).orderBy('id');
    expect(audits.map((a: { afterJson: string }) => JSON.parse(a.afterJson).range ?? null)).toEqual([null, { start: 9, end: 14 }, { start: TEXT.length - 5, end: TEXT.length - 1 }, null]);
  });

  it('a file whose stored content is missing answers 404 content_missing and is not audited as viewed or downloaded', async () => {
    const up = await upload(api, path(cascade), client, { fields: { name: 'Gone' }, file: { bytes: PDF, filename: 'gone.pdf' } });
    const row = await api.db('attachments').where({ publicId: up.body.id }).first();
    // as on a node whose disk never had it, or a bucket that lost it
    await fileStoreFor(api.config).delete(row.storageKey);
    for (const q of ['', '?disposition=inline']) {
      const res = await download(api, `${path(cascade)}/${up.body.id}/content${q}`, client);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.bytes.toString()).code).toBe('content_missing');
    }
    const head = await fetch(`${api.url}/api/v1${path(cascade)}/${up.body.id}/content`, { method: 'HEAD', headers: { Authorization: `Bearer ${client}` } });
    expect(head.status).toBe(404);
    const actions = (await api.db('audit_log').where({ targetId: up.body.id }).select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['attachment.upload']);
  });

  it('never shows non-viewable types inline, and text is served as UTF-8 text', async () => {
    const book = await xlsx();
    const up = await upload(api, path(cascade), agency, { fields: { name: 'Ledger' }, file: { bytes: book, filename: 'ledger.xlsx' } });
    expect(up.status).toBe(201);
    expect(up.body.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(up.body.viewable).toBe(false);
    const dl = await download(api, `${path(cascade)}/${up.body.id}/content?disposition=inline`, agency);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(sha(dl.bytes)).toBe(sha(book));
    const txt = await upload(api, path(cascade), agency, { fields: { name: 'Call notes' }, file: { bytes: TEXT, filename: 'notes' } });
    expect(txt.status).toBe(201);
    expect(txt.body.contentType).toBe('text/plain');
    const shown = await download(api, `${path(cascade)}/${txt.body.id}/content?disposition=inline`, agency);
    expect(shown.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    // no extension: the download name gets the one of its real type
    expect(shown.headers.get('content-disposition')).toBe(`inline; filename="notes.txt"; filename*=UTF-8''notes.txt`);
  });

  it('accepts any file name for display (quotes, path-like, unicode) and stores under a generated key only', async () => {
    const before = await storedFiles(api);
    const res = await upload(api, path(cascade), client, { fields: { name: 'Letter 3/4 "final"' }, file: { bytes: JPEG, filename: '..\\..\\windows\\évil"; x=.jpg' } });
    expect(res.status).toBe(201);
    expect(res.body.displayName).toBe('Letter 3/4 "final"');
    expect(res.body.contentType).toBe('image/jpeg');
    const added = (await storedFiles(api)).filter((f) => !before.includes(f));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\d{4}\/\d\d\/\d\d\/[0-9a-f]{32}$/);
    const dl = await download(api, `${path(cascade)}/${res.body.id}/content`, client);
    const cd = dl.headers.get('content-disposition')!;
    // the ASCII fallback has no quote, backslash or slash that could end or redirect it
    expect(cd.match(/filename="([^"]*)"/)![1]).not.toMatch(/["\\/]/);
    expect(cd).toContain("filename*=UTF-8''");
  });

  describe('bad input: a clear problem, no row and no stored file', () => {
    let rowsBefore: number;
    let filesBefore: string[];
    beforeAll(async () => {
      rowsBefore = Number((await api.db('attachments').count({ n: '*' }))[0]!.n);
      filesBefore = await storedFiles(api);
    });
    afterAll(async () => {
      expect(Number((await api.db('attachments').count({ n: '*' }))[0]!.n)).toBe(rowsBefore);
      expect(await storedFiles(api)).toEqual(filesBefore);
    });

    const cases: [string, () => Promise<{ status: number; body: { code: string; type: string } }>, number, string][] = [
      ['missing display name', () => upload(api, path(cascade), client, { file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'name_required'],
      ['blank display name', () => upload(api, path(cascade), client, { fields: { name: '   ' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'name_required'],
      ['control character in the display name', () => upload(api, path(cascade), client, { fields: { name: 'bell\u0007' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['bidi override in the display name', () => upload(api, path(cascade), client, { fields: { name: 'invoice\u202efdp.exe' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['newline in the file name', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: PDF, filename: 'a\r\nSet-Cookie: x.pdf' } }), 400, 'invalid_name'],
      ['empty file', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: Buffer.alloc(0), filename: 'empty.pdf' } }), 400, 'empty_file'],
      ['no file', () => upload(api, path(cascade), client, { fields: { name: 'x' } }), 400, 'file_required'],
      ['two files', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: PDF, filename: 'a.pdf' }, extraFile: { bytes: PDF, filename: 'b.pdf' } }), 400, 'unexpected_file'],
      ['unknown form field', () => upload(api, path(cascade), client, { fields: { name: 'x', owner: 'me' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'validation_failed'],
      ['over the size limit', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: Buffer.concat([TEXT, Buffer.alloc(MAX, 0x61)]), filename: 'big.txt' } }), 413, 'file_too_large'],
      ['an executable', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: EXE, filename: 'setup.exe' } }), 415, 'type_not_allowed'],
      ['an executable named .pdf', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: EXE, filename: 'invoice.pdf' } }), 415, 'type_not_allowed'],
      ['a type switched off in config (GIF)', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: GIF, filename: 'a.gif' } }), 415, 'type_not_allowed'],
      ['PNG content named .pdf', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: PNG, filename: 'invoice.pdf' } }), 415, 'content_mismatch'],
      ['text named .pdf', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: TEXT, filename: 'invoice.pdf' } }), 415, 'content_mismatch'],
      ['HTML named .html', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: Buffer.from('<html><script>alert(1)</script></html>'), filename: 'page.html' } }), 415, 'type_not_allowed'],
      ['binary junk', () => upload(api, path(cascade), client, { fields: { name: 'x' }, file: { bytes: Buffer.from([1, 2, 3, 0, 255, 254, 7, 8]), filename: 'blob' } }), 415, 'type_not_recognized'],
      ['JSON instead of a form', () => api.request(path(cascade), { token: client, body: { name: 'x' } }), 415, 'multipart_required'],
    ];
    it.each(cases)('%s', async (_label, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
      expect(res.body.type).toContain('collectkit.dev/problems/');
    });

    it('a client that goes away mid-upload leaves no partial file', async () => {
      const boundary = 'ck-abort';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nHalf\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.txt"\r\n\r\n`;
      const req = request(`${api.url}/api/v1${path(cascade)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${client}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(MAX) },
      });
      req.on('error', () => {});
      req.write(head);
      req.write(Buffer.alloc(100 * 1024, 0x61)); // more than the 64 KiB sniff window: bytes reach the store
      if (api.storage === 'local') {
        await expect.poll(async () => (await storedFiles(api)).some((f) => f.endsWith('.partial')), { timeout: 5000 }).toBe(true);
      } else {
        // S3: the first part (8 MB) is gathered in memory before anything is sent to the bucket
        await new Promise((r) => setTimeout(r, 300));
      }
      req.destroy();
      // the server notices the closed connection and cleans up
      await expect.poll(async () => (await storedFiles(api)).filter((f) => f.endsWith('.partial')), { timeout: 5000 }).toEqual([]);
      expect(await storedFiles(api)).toEqual(filesBefore);
    });

    it('refuses a declared oversize body before reading it', async () => {
      const res = await fetch(`${api.url}/api/v1${path(cascade)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${client}`, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(MAX * 20) },
        body: new Uint8Array(MAX * 20),
      });
      expect(res.status).toBe(413);
      expect((await res.json()).code).toBe('file_too_large');
    });
  });

  it('tenancy: another client’s account and attachments are a 404 whatever the id', async () => {
    const theirs = await upload(api, path(brigid), group, { fields: { name: 'Hospital bill' }, file: { bytes: PDF, filename: 'bill.pdf' } });
    expect(theirs.status).toBe(201);
    const filesBefore = await storedFiles(api);
    expect((await api.request(path(brigid), { token: client })).status).toBe(404);
    expect((await upload(api, path(brigid), client, { fields: { name: 'x' }, file: { bytes: PDF, filename: 'a.pdf' } })).status).toBe(404);
    expect((await download(api, `${path(brigid)}/${theirs.body.id}/content`, client)).status).toBe(404);
    // their attachment id under my own account
    expect((await download(api, `${path(cascade)}/${theirs.body.id}/content`, client)).status).toBe(404);
    expect((await api.request(`${path(cascade)}/${theirs.body.id}`, { token: client, method: 'DELETE' })).status).toBe(404);
    expect((await api.request(`${path(brigid)}/${theirs.body.id}`, { token: client, method: 'DELETE' })).status).toBe(404);
    expect(await storedFiles(api)).toEqual(filesBefore);
    expect(await api.db('attachments').where({ publicId: theirs.body.id }).whereNull('deleted_at').first()).toBeTruthy();
  });

  it('permissions: a viewer can read but not upload or delete', async () => {
    const res = await upload(api, path(cascade), viewer, { fields: { name: 'x' }, file: { bytes: PDF, filename: 'a.pdf' } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('attachments.write');
  });

  it('delete rules: client users their own uploads, the agency any; the row stays, the bytes go', async () => {
    const mine = await upload(api, path(cascade), client, { fields: { name: 'Mine' }, file: { bytes: PDF, filename: 'mine.pdf' } });
    const agencys = await upload(api, path(cascade), agency, { fields: { name: 'Agency letter' }, file: { bytes: PDF, filename: 'letter.pdf' } });
    const notMine = await api.request(`${path(cascade)}/${agencys.body.id}`, { token: client, method: 'DELETE' });
    expect(notMine.status).toBe(403);
    expect(notMine.body.code).toBe('not_your_attachment');

    const key = (await api.db('attachments').where({ publicId: mine.body.id }).first()).storageKey;
    const del = await api.request(`${path(cascade)}/${mine.body.id}`, { token: client, method: 'DELETE' });
    expect(del.status).toBe(204);
    const row = await api.db('attachments').where({ publicId: mine.body.id }).first();
    expect(row.deletedAt).not.toBeNull();
    expect(await storedFiles(api)).not.toContain(key);
    expect(await api.db('audit_log').where({ action: 'attachment.delete', targetId: mine.body.id }).first()).toBeTruthy();
    const list = await api.request(path(cascade), { token: client });
    expect(list.body.data.map((a: { id: string }) => a.id)).not.toContain(mine.body.id);
    expect((await download(api, `${path(cascade)}/${mine.body.id}/content`, client)).status).toBe(404);
    expect((await api.request(`${path(cascade)}/${mine.body.id}`, { token: client, method: 'DELETE' })).status).toBe(404);

    expect((await api.request(`${path(cascade)}/${agencys.body.id}`, { token: agency, method: 'DELETE' })).status).toBe(204);
  });
});
