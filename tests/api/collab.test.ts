import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, ISO_DATETIME, startTestApi, type TestApi } from './harness.js';
import { download, PDF, PNG, storedFiles, TEXT, upload } from './upload-helpers.js';
import { createUser } from '../../api/users/users.service.js';
import { fileStoreFor } from '../../api/platform/storage.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MAX = 128 * 1024;
const PDF2 = Buffer.concat([PDF, Buffer.from('% second version\n')]);

describe.each(DIALECTS)('Collaboration Center (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let group: string;
  let viewer: string;
  let cpl: string;
  let sbrh: string;
  let contracts: string; // the test's top-level folder
  let fileId: string;

  const count = async (table: string) => Number((await api.db(table).count({ n: '*' }))[0]!.n);

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20, config: { uploads: { maxBytes: MAX } } });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    group = await api.login('demo.group');
    await api.db.transaction((trx) =>
      createUser(trx, { username: 'cpl.viewer', email: 'viewer@cascadepower.example', firstName: 'Vic', lastName: 'Viewer', roleKey: 'client_viewer', clientCodes: ['CPL'], password: 'Viewer-Pass-2026!', onboarded: true }, api.config.scryptCost, { type: 'system' }),
    );
    viewer = await api.login('cpl.viewer', 'Viewer-Pass-2026!');
    cpl = (await api.db('clients').where({ code: 'CPL' }).first('public_id')).publicId;
    sbrh = (await api.db('clients').where({ code: 'SBRH' }).first('public_id')).publicId;
  });
  afterAll(() => api.close());

  it('folders: create a tree; sibling names unique ignoring case; clear 400s for bad names', async () => {
    const seeded = (await api.request('/collab/folders', { token: client })).body.folders.length;
    const top = await api.request('/collab/folders', { token: client, body: { name: 'Agreements' } });
    expect(top.status).toBe(201);
    expect(top.body).toEqual({ id: ID('fld'), name: 'Agreements', parentId: null, createdAt: ISO_DATETIME });
    contracts = top.body.id;
    const sub = await api.request('/collab/folders', { token: client, body: { name: '2026', parentId: contracts } });
    expect(sub.status).toBe(201);
    expect(sub.body.parentId).toBe(contracts);
    // same name elsewhere in the tree is fine
    expect((await api.request('/collab/folders', { token: client, body: { name: '2026' } })).status).toBe(201);
    const dup = await api.request('/collab/folders', { token: client, body: { name: 'AGREEMENTS' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('folder_name_taken');
    for (const name of ['..', 'a/b', 'a\\b', 'tab\there', '   ']) {
      const bad = await api.request('/collab/folders', { token: client, body: { name } });
      expect(bad.status, name).toBe(400);
      expect(['invalid_name', 'name_required']).toContain(bad.body.code);
    }
    const tree = await api.request('/collab/folders', { token: client });
    expect(tree.body.client).toEqual({ id: cpl, name: expect.any(String) });
    expect(tree.body.folders).toHaveLength(seeded + 3);
    expect(tree.body.folders.find((f: { id: string }) => f.id === sub.body.id).parentId).toBe(contracts);
    expect(await api.db('audit_log').where({ action: 'collab.folder.create', targetId: contracts }).first()).toBeTruthy();

    // the agency sees every center but must say which
    const noClient = await api.request('/collab/folders', { token: agency });
    expect(noClient.status).toBe(400);
    expect(noClient.body.code).toBe('client_required');
    expect((await api.request(`/collab/folders?clientId=${cpl}`, { token: agency })).body.folders).toHaveLength(seeded + 3);
  });

  it('files: add to a folder, list, download the same bytes; audited', async () => {
    const res = await upload(api, '/collab/files', client, { fields: { folderId: contracts }, file: { bytes: PDF, filename: 'Master agreement.pdf' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: ID('cfile'), name: 'Master agreement.pdf', folderId: contracts, currentVersion: 1, contentType: 'application/pdf', sizeBytes: PDF.length,
      createdBy: { id: ID('usr'), name: 'Dana Whitfield' }, createdAt: ISO_DATETIME, commentCount: 0,
      versions: [{ version: 1, fileName: 'Master agreement.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: sha(PDF), uploadedBy: { id: ID('usr'), name: 'Dana Whitfield' }, uploadedAt: ISO_DATETIME }],
    });
    fileId = res.body.id;
    const inFolder = await api.request(`/collab/files?folderId=${contracts}`, { token: client });
    expect(inFolder.body.data.map((f: { id: string }) => f.id)).toEqual([fileId]);
    expect((await api.request('/collab/files?folderId=root', { token: client })).body.data.map((f: { id: string }) => f.id)).not.toContain(fileId);
    expect(inFolder.body.limits.maxBytes).toBe(MAX);
    const dl = await download(api, `/collab/files/${fileId}/content`, client);
    expect(dl.status).toBe(200);
    expect(dl.bytes.equals(PDF)).toBe(true);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename="Master agreement.pdf"; filename*=UTF-8''Master%20agreement.pdf`);
    const actions = (await api.db('audit_log').where({ targetId: fileId }).orderBy('id').select('action')).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['collab.file.add', 'collab.file.download']);

    // an explicit name, at the root
    const named = await upload(api, '/collab/files', client, { fields: { name: 'Rate card 2026' }, file: { bytes: TEXT, filename: 'rates.txt' } });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ name: 'Rate card 2026', folderId: null, contentType: 'text/plain' });
  });

  it('a duplicate name anywhere in the center is a 409 and stores nothing', async () => {
    const before = { rows: await count('collab_files'), versions: await count('collab_file_versions'), files: await storedFiles(api) };
    const dup = await upload(api, '/collab/files', client, { fields: { name: 'MASTER AGREEMENT.PDF' }, file: { bytes: PDF, filename: 'x.pdf' } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('file_name_taken');
    expect(dup.body.detail).toContain('MASTER AGREEMENT.PDF');
    expect({ rows: await count('collab_files'), versions: await count('collab_file_versions'), files: await storedFiles(api) }).toEqual(before);
    // another client's center may use the same name
    const other = await upload(api, '/collab/files', group, { fields: { clientId: sbrh, name: 'Master agreement.pdf' }, file: { bytes: PDF, filename: 'x.pdf' } });
    expect(other.status).toBe(201);
  });

  it('two people adding the same name at once: one 201, one 409, nothing orphaned', async () => {
    const stored = (await storedFiles(api)).length;
    const [a, b] = await Promise.all([
      upload(api, '/collab/files', client, { fields: { name: 'Race.pdf' }, file: { bytes: PDF, filename: 'a.pdf' } }),
      upload(api, '/collab/files', agency, { fields: { clientId: cpl, name: 'race.PDF' }, file: { bytes: PDF2, filename: 'b.pdf' } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a.body.code, b.body.code]).toContain('file_name_taken');
    expect(await storedFiles(api)).toHaveLength(stored + 1);
    expect(await api.db('collab_files').where({ nameKey: 'race.pdf' }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(1);
  });

  it('overwrite keeps the old version: both listed and downloadable; audited with before and after', async () => {
    const res = await upload(api, `/collab/files/${fileId}/versions`, agency, { file: { bytes: PDF2, filename: 'agreement-v2.pdf' } });
    expect(res.status).toBe(201);
    expect(res.body.currentVersion).toBe(2);
    expect(res.body.versions.map((v: { version: number; sha256: string }) => [v.version, v.sha256])).toEqual([[2, sha(PDF2)], [1, sha(PDF)]]);
    expect(res.body.updatedBy.name).toBe('Alex Mercer');
    expect(res.body.name).toBe('Master agreement.pdf');
    expect((await download(api, `/collab/files/${fileId}/content`, client)).bytes.equals(PDF2)).toBe(true);
    expect((await download(api, `/collab/files/${fileId}/content?version=1`, client)).bytes.equals(PDF)).toBe(true);
    expect((await download(api, `/collab/files/${fileId}/content?version=9`, client)).status).toBe(404);
    const audit = await api.db('audit_log').where({ action: 'collab.file.overwrite', targetId: fileId }).first();
    expect(JSON.parse(audit.beforeJson)).toMatchObject({ version: 1 });
    expect(JSON.parse(audit.afterJson)).toMatchObject({ version: 2, sha256: sha(PDF2) });
  });

  it('a version whose stored content is missing: 404 content_missing, not audited; a range of another version is a 206', async () => {
    const res = await upload(api, '/collab/files', client, { fields: { name: 'Lost and found.txt', clientId: cpl }, file: { bytes: TEXT, filename: 'lost.txt' } });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await upload(api, `/collab/files/${id}/versions`, client, { file: { bytes: Buffer.concat([TEXT, TEXT]), filename: 'lost-v2.txt' } });
    const file = (await api.db('collab_files').where({ publicId: id }).first('id')).id;
    const v1 = await api.db('collab_file_versions').where({ fileId: file, version: 1 }).first();
    await fileStoreFor(api.config).delete(v1.storageKey);
    const gone = await download(api, `/collab/files/${id}/content?version=1`, client);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.bytes.toString()).code).toBe('content_missing');
    const part = await fetch(`${api.url}/api/v1/collab/files/${id}/content?version=2`, { headers: { Authorization: `Bearer ${client}`, Range: `bytes=${TEXT.length}-${TEXT.length + 7}` } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(TEXT.subarray(0, 8))).toBe(true);
    const downloads = await api.db('audit_log').where({ targetId: id, action: 'collab.file.download' });
    expect(downloads.map((a: { afterJson: string }) => JSON.parse(a.afterJson))).toEqual([{ version: 2, sha256: sha(Buffer.concat([TEXT, TEXT])), range: { start: TEXT.length, end: TEXT.length + 7 } }]);
  });

  it('concurrent overwrites each get their own version number', async () => {
    const [a, b] = await Promise.all([
      upload(api, `/collab/files/${fileId}/versions`, client, { file: { bytes: PDF, filename: 'a.pdf' } }),
      upload(api, `/collab/files/${fileId}/versions`, agency, { file: { bytes: PDF2, filename: 'b.pdf' } }),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const detail = await api.request(`/collab/files/${fileId}`, { token: client });
    expect(detail.body.versions.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('comments: author and time, oldest first; empty or control characters are a 400; audited', async () => {
    const c1 = await api.request(`/collab/files/${fileId}/comments`, { token: client, body: { body: 'Please countersign page 3.\nThanks!' } });
    expect(c1.status).toBe(201);
    expect(c1.body).toEqual({ id: ID('ccmt'), body: 'Please countersign page 3.\nThanks!', author: { id: ID('usr'), name: 'Dana Whitfield' }, createdAt: ISO_DATETIME });
    await api.request(`/collab/files/${fileId}/comments`, { token: agency, body: { body: 'Done.' } });
    const list = await api.request(`/collab/files/${fileId}/comments`, { token: client });
    expect(list.body.data.map((c: { body: string; author: { name: string } }) => [c.author.name, c.body])).toEqual([
      ['Dana Whitfield', 'Please countersign page 3.\nThanks!'], ['Alex Mercer', 'Done.'],
    ]);
    expect((await api.request(`/collab/files/${fileId}`, { token: client })).body.commentCount).toBe(2);
    expect((await api.request(`/collab/files/${fileId}/comments`, { token: client, body: { body: '  ' } })).body.code).toBe('comment_required');
    expect((await api.request(`/collab/files/${fileId}/comments`, { token: client, body: { body: 'x\u0000y' } })).body.code).toBe('invalid_comment');
    expect((await api.request(`/collab/files/${fileId}/comments`, { token: client })).body.data).toHaveLength(2);
    expect(await api.db('audit_log').where({ action: 'collab.comment.add', targetId: fileId }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(2);
  });

  describe('bad uploads: a clear problem, no row and no stored file', () => {
    let before: { files: number; versions: number; stored: string[] };
    beforeAll(async () => {
      before = { files: await count('collab_files'), versions: await count('collab_file_versions'), stored: await storedFiles(api) };
    });
    afterAll(async () => {
      expect({ files: await count('collab_files'), versions: await count('collab_file_versions'), stored: await storedFiles(api) }).toEqual(before);
    });
    const cases: [string, () => Promise<{ status: number; body: { code: string } }>, number, string][] = [
      ['path traversal in the name', () => upload(api, '/collab/files', client, { fields: { name: '../../secrets.pdf' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['backslashes in the name', () => upload(api, '/collab/files', client, { fields: { name: '..\\..\\boot.pdf' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['a name of ".."', () => upload(api, '/collab/files', client, { fields: { name: '..' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['control characters in the name', () => upload(api, '/collab/files', client, { fields: { name: 'report\u001b[31m.pdf' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'invalid_name'],
      ['an empty file', () => upload(api, '/collab/files', client, { file: { bytes: Buffer.alloc(0), filename: 'empty.pdf' } }), 400, 'empty_file'],
      ['over the size limit', () => upload(api, '/collab/files', client, { file: { bytes: Buffer.alloc(MAX + 1, 0x61), filename: 'big.txt' } }), 413, 'file_too_large'],
      ['a name that does not match the content', () => upload(api, '/collab/files', client, { fields: { name: 'statement.pdf' }, file: { bytes: PNG, filename: 'photo.png' } }), 415, 'content_mismatch'],
      ['an overwrite with content of another type', () => upload(api, `/collab/files/${fileId}/versions`, client, { file: { bytes: PNG, filename: 'photo.png' } }), 415, 'content_mismatch'],
      ['an overwrite with a name field (not accepted)', () => upload(api, `/collab/files/${fileId}/versions`, client, { fields: { name: 'x' }, file: { bytes: PDF, filename: 'a.pdf' } }), 400, 'validation_failed'],
      ['an unknown folder', () => upload(api, '/collab/files', client, { fields: { folderId: 'fld_doesnotexist0000000000000' }, file: { bytes: PDF, filename: 'new.pdf' } }), 404, 'not_found'],
      ['an agency user without clientId', () => upload(api, '/collab/files', agency, { file: { bytes: PDF, filename: 'new.pdf' } }), 400, 'client_required'],
    ];
    it.each(cases)('%s', async (_label, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.code).toBe(code);
    });
  });

  it('tenancy: a user of other clients cannot list, download, overwrite or comment on these files by id', async () => {
    const before = { versions: await count('collab_file_versions'), comments: await count('collab_comments'), stored: await storedFiles(api) };
    expect((await api.request(`/collab/folders?clientId=${cpl}`, { token: group })).status).toBe(404);
    expect((await api.request(`/collab/files?clientId=${cpl}`, { token: group })).status).toBe(404);
    expect((await api.request(`/collab/files?clientId=${sbrh}&folderId=${contracts}`, { token: group })).status).toBe(404);
    expect((await api.request(`/collab/files/${fileId}`, { token: group })).status).toBe(404);
    expect((await download(api, `/collab/files/${fileId}/content`, group)).status).toBe(404);
    expect((await download(api, `/collab/files/${fileId}/content?version=1`, group)).status).toBe(404);
    expect((await upload(api, `/collab/files/${fileId}/versions`, group, { file: { bytes: PDF, filename: 'evil.pdf' } })).status).toBe(404);
    expect((await api.request(`/collab/files/${fileId}/comments`, { token: group })).status).toBe(404);
    expect((await api.request(`/collab/files/${fileId}/comments`, { token: group, body: { body: 'hi' } })).status).toBe(404);
    expect((await api.request('/collab/folders', { token: group, body: { clientId: cpl, name: 'Sneaky' } })).status).toBe(404);
    // their own center, but someone else's folder id
    expect((await api.request('/collab/folders', { token: group, body: { clientId: sbrh, name: 'Sneaky', parentId: contracts } })).status).toBe(404);
    expect((await upload(api, '/collab/files', group, { fields: { clientId: sbrh, folderId: contracts }, file: { bytes: PDF, filename: 'sneaky.pdf' } })).status).toBe(404);
    expect({ versions: await count('collab_file_versions'), comments: await count('collab_comments'), stored: await storedFiles(api) }).toEqual(before);
    // and a user of two clients must say which
    expect((await api.request('/collab/files', { token: group })).body.code).toBe('client_required');
  });

  it('needs collab.use', async () => {
    const res = await api.request('/collab/folders', { token: viewer });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('collab.use');
  });
});

describe('Collaboration Center demo data', () => {
  let api: TestApi;
  afterAll(() => api?.close());

  it('Cascade’s center is seeded with folders, versions and comments whose bytes are in the store', async () => {
    api = await startTestApi(DIALECTS[0]!, { accounts: 10 });
    const token = await api.login('demo.client');
    const tree = await api.request('/collab/folders', { token });
    expect(tree.body.folders.map((f: { name: string }) => f.name).sort()).toEqual(['2026', 'Contracts', 'Monthly reports']);
    const files = await api.request('/collab/files', { token });
    const guidelines = files.body.data.find((f: { name: string }) => f.name === 'Placement guidelines.txt');
    expect(guidelines.currentVersion).toBe(2);
    const v1 = await download(api, `/collab/files/${guidelines.id}/content?version=1`, token);
    expect(v1.bytes.toString()).toContain('placement guidelines');
    const detail = await api.request(`/collab/files/${guidelines.id}`, { token });
    expect(detail.body.versions[0].sha256).toBe(sha((await download(api, `/collab/files/${guidelines.id}/content`, token)).bytes));
    expect(detail.body.commentCount).toBe(2);
  });
});
