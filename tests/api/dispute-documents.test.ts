/**
 * A dispute with a supporting document: the debtor (pay flow session) or staff send the dispute as
 * multipart/form-data; the document goes through the upload pipeline (same limits and byte-sniffed
 * types as attachments), is stored byte-identical, linked to the dispute and shown to the agency and
 * the client of that account as an attachment — and a failed request leaves no dispute, no row and
 * no stored bytes behind.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, ID, startTestApi, type TestApi } from './harness.js';
import { download, EXE, PDF, PNG, storedFiles, TEXT } from './upload-helpers.js';
import { makeDebtor, type Debtor } from './compliance-helpers.js';
import { linkSession } from './pay-helpers.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MAX = 64 * 1024;

describe.each(DIALECTS)('dispute documents (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let client: string;
  let group: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 40, config: { uploads: { maxBytes: MAX, allowedTypes: ['pdf', 'png', 'jpeg', 'txt'] } } });
    agency = await api.login('demo.agency');
    client = await api.login('demo.client');
    group = await api.login('demo.group');
  });
  afterAll(() => api?.close());

  /** A multipart dispute: text fields and an optional file in `file`. */
  async function send(path: string, token: string, fields: Record<string, string>, file?: { bytes: Buffer; filename: string }, headers: Record<string, string> = {}) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'application/octet-stream' }), file.filename);
    const res = await fetch(`${api.url}/api/v1${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...headers }, body: form });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
  }

  async function activeDebtor(n: number): Promise<Debtor> {
    const d = await makeDebtor(api, n, { state: 'OR', zip: '97201' });
    await api.db('accounts').where({ id: d.accountId }).update({ status: 'active' });
    return d;
  }

  /** What a failed request must not leave behind. */
  async function snapshot(d: Debtor) {
    return {
      files: await storedFiles(api),
      disputes: Number((await api.db('disputes').where({ accountId: d.accountId }).count({ n: '*' }))[0]!.n),
      attachments: Number((await api.db('attachments').where({ accountId: d.accountId }).count({ n: '*' }))[0]!.n),
      tasks: Number((await api.db('tasks').where({ accountId: d.accountId }).count({ n: '*' }))[0]!.n),
      status: (await api.db('accounts').where({ id: d.accountId }).first('status')).status as string,
    };
  }

  it('the debtor disputes with a PDF: stored byte-identical, linked to the dispute, an attachment the agency and the client see', async () => {
    const d = await activeDebtor(0);
    const debtor = await linkSession(api, agency, d.accountPublicId);
    const fields = { kind: 'dispute', scope: 'part', disputedAmountCents: '2500', reasonCode: 'already_paid', reason: 'Receipt attached.' };
    const res = await send('/pay/disputes', debtor, fields, { bytes: PDF, filename: 'receipt.pdf' }, { 'Idempotency-Key': `doc-${dialect}` });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: ID('dsp'), kind: 'dispute', scope: 'part', disputedAmountCents: 2500, reasonCode: 'already_paid', submittedVia: 'debtor', accountStatus: 'disputed',
      document: { attachmentId: ID('att'), fileName: 'receipt.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
    });
    const attachmentId = res.body.document.attachmentId as string;
    // a double submit replays the first answer: one dispute, one stored document
    const again = await send('/pay/disputes', debtor, fields, { bytes: PDF, filename: 'receipt.pdf' }, { 'Idempotency-Key': `doc-${dialect}` });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(res.body.id);

    // linked: the dispute row names the stored object the attachment row points at
    const dispute = await api.db('disputes').where({ publicId: res.body.id }).first('id', 'documentKey', 'documentName');
    const att = await api.db('attachments').where({ publicId: attachmentId }).first();
    expect(dispute.documentName).toBe('receipt.pdf');
    expect(dispute.documentKey).toBe(att.storageKey);
    expect(att).toMatchObject({ disputeId: dispute.id, uploadedByUserId: null, uploadedByName: 'Debtor (online)', sha256: sha(PDF), contentType: 'application/pdf' });
    expect(await storedFiles(api)).toContain(att.storageKey);

    // the client and the agency see it with the account's attachments and download the same bytes
    for (const token of [client, agency]) {
      const list = await api.request(`/accounts/${d.accountPublicId}/attachments`, { token });
      expect(list.status).toBe(200);
      expect(list.body.data.find((a: { id: string }) => a.id === attachmentId)).toMatchObject({
        displayName: `Dispute document (${res.body.id})`, fileName: 'receipt.pdf', uploadedBy: { id: null, name: 'Debtor (online)' }, canDelete: false,
      });
      const file = await download(api, `/accounts/${d.accountPublicId}/attachments/${attachmentId}/content`, token);
      expect(file.status).toBe(200);
      expect(file.bytes.equals(PDF)).toBe(true);
      expect(file.headers.get('content-type')).toBe('application/pdf');
    }
    // (the seed may have given this account a dispute of its own before the test made it active)
    const listed = (await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: client })).body.data as { id: string; document: { attachmentId: string } | null }[];
    expect(listed.find((x) => x.id === res.body.id)!.document!.attachmentId).toBe(attachmentId);
    // another client: a 404 for the list, the file and the dispute
    expect((await api.request(`/accounts/${d.accountPublicId}/attachments`, { token: group })).status).toBe(404);
    expect((await download(api, `/accounts/${d.accountPublicId}/attachments/${attachmentId}/content`, group)).status).toBe(404);
    expect((await api.request(`/accounts/${d.accountPublicId}/disputes`, { token: group })).status).toBe(404);

    // audited with the dispute, as the debtor; kept with the compliance record (not deletable)
    const upload = await api.db('audit_log').where({ action: 'attachment.upload', targetId: attachmentId }).first('actorType', 'requestId', 'afterJson');
    const opened = await api.db('audit_log').where({ action: 'dispute.opened', targetId: d.accountPublicId }).first('actorType', 'requestId', 'afterJson');
    expect(upload.actorType).toBe('debtor');
    expect(upload.requestId).toBe(opened.requestId);
    expect(JSON.parse(upload.afterJson)).toMatchObject({ sha256: sha(PDF), fileName: 'receipt.pdf' });
    expect(JSON.parse(opened.afterJson)).toMatchObject({ disputeId: res.body.id, documentAttachmentId: attachmentId });
    const del = await api.request(`/accounts/${d.accountPublicId}/attachments/${attachmentId}`, { token: agency, method: 'DELETE' });
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('dispute_document');
    expect(await storedFiles(api)).toContain(att.storageKey);
    const task = await api.db('tasks').where({ sourceId: res.body.id }).first('detail');
    expect(task.detail).toContain('Supporting document: receipt.pdf');
  });

  it('a reused Idempotency-Key with another multipart body is a 409 (other fields, other file, other name, no file); the same body replays; nothing extra is stored', async () => {
    const d = await activeDebtor(5);
    const debtor = await linkSession(api, agency, d.accountPublicId);
    const key = { 'Idempotency-Key': `reuse-${dialect}` };
    const fields = { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', reason: 'Never had this account.' };
    const pdf = { bytes: PDF, filename: 'letter.pdf' };
    const first = await send('/pay/disputes', debtor, fields, pdf, key);
    expect(first.status).toBe(201);
    const after = await snapshot(d);
    const attempts = [
      { fields: { ...fields, reasonCode: 'not_owed' }, file: pdf },
      { fields: { ...fields, reason: 'Never had this account!' }, file: pdf },
      { fields, file: { bytes: TEXT, filename: 'letter.txt' } },
      { fields, file: { bytes: PNG, filename: 'letter.png' } },
      { fields, file: { bytes: PDF, filename: 'other-name.pdf' } },
      { fields, file: undefined },
      { fields: { ...fields, extra: '' }, file: pdf },
    ];
    for (const a of attempts) {
      const res = await send('/pay/disputes', debtor, a.fields, a.file, key);
      expect(res.status, JSON.stringify(a.fields) + (a.file?.filename ?? '')).toBe(409);
      expect(res.body.code).toBe('idempotency_key_reused');
    }
    // the same fields in another order and the same file: the same request, replayed; no second copy stored
    const reordered = Object.fromEntries(Object.entries(fields).reverse());
    const again = await send('/pay/disputes', debtor, reordered, { bytes: Buffer.from(PDF), filename: 'letter.pdf' }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await snapshot(d)).toEqual(after);
    // JSON with the same key is another body too
    const json = await api.request('/pay/disputes', { token: debtor, headers: key, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', reason: 'Never had this account.' } });
    expect(json.status).toBe(409);

    // staff recording a mailed dispute: the same rule
    const e = await activeDebtor(6);
    const staffKey = { 'Idempotency-Key': `staff-reuse-${dialect}` };
    const staff = await send(`/accounts/${e.accountPublicId}/disputes`, client, fields, pdf, staffKey);
    expect(staff.status).toBe(201);
    const staffAfter = await snapshot(e);
    const other = await send(`/accounts/${e.accountPublicId}/disputes`, client, fields, { bytes: TEXT, filename: 'letter.txt' }, staffKey);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_key_reused');
    const replay = await send(`/accounts/${e.accountPublicId}/disputes`, client, fields, pdf, staffKey);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(staff.body.id);
    expect(await snapshot(e)).toEqual(staffAfter);
    // another client with the same key and body: a 404 before a byte is stored
    const files = await storedFiles(api);
    expect((await send(`/accounts/${e.accountPublicId}/disputes`, group, fields, pdf, staffKey)).status).toBe(404);
    expect(await storedFiles(api)).toEqual(files);
  });

  it('a wrong type is a 415, a file over the limit a 413: no dispute, no attachment, nothing stored, still active', async () => {
    const d = await activeDebtor(1);
    const debtor = await linkSession(api, agency, d.accountPublicId);
    const before = await snapshot(d);
    const fields = { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' };
    const exe = await send('/pay/disputes', debtor, fields, { bytes: EXE, filename: 'proof.exe' });
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('type_not_allowed');
    const renamed = await send('/pay/disputes', debtor, fields, { bytes: PNG, filename: 'proof.pdf' });
    expect(renamed.status).toBe(415);
    expect(renamed.body.code).toBe('content_mismatch');
    const big = await send('/pay/disputes', debtor, fields, { bytes: Buffer.concat([PDF, Buffer.alloc(MAX, 0x20)]), filename: 'big.pdf' });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('file_too_large');
    expect(await snapshot(d)).toEqual(before);
  });

  it('a document received but the dispute refused (bad fields, a conflict): the stored bytes are removed too', async () => {
    const d = await activeDebtor(2);
    const debtor = await linkSession(api, agency, d.accountPublicId);
    const pdf = { bytes: PDF, filename: 'letter.pdf' };
    const before = await snapshot(d);
    // "other" needs the reason in words (refused inside the service, after the file was stored)
    const other = await send('/pay/disputes', debtor, { kind: 'dispute', scope: 'all', reasonCode: 'other' }, pdf);
    expect(other.status).toBe(400);
    expect(other.body.code).toBe('validation_failed');
    // more than the balance
    const tooMuch = await send('/pay/disputes', debtor, { kind: 'dispute', scope: 'part', reasonCode: 'wrong_amount', disputedAmountCents: '999999999999' }, pdf);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors[0].path).toBe('disputedAmountCents');
    // form fields are validated like the JSON body
    const amount = await send('/pay/disputes', debtor, { kind: 'dispute', scope: 'part', reasonCode: 'wrong_amount', disputedAmountCents: '12.50' }, pdf);
    expect(amount.status).toBe(400);
    expect(amount.body.errors[0].path).toBe('disputedAmountCents');
    const unknown = await send('/pay/disputes', debtor, { kind: 'dispute', scope: 'all', reasonCode: 'not_mine', note: 'x' }, pdf);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'note', code: 'unknown_field' });
    expect(await snapshot(d)).toEqual(before);

    // a second original-creditor request is a 409; its document is not kept
    const first = await send('/pay/disputes', debtor, { kind: 'original_creditor_request' }, pdf);
    expect(first.status).toBe(201);
    const afterFirst = await snapshot(d);
    expect(afterFirst.files).toHaveLength(before.files.length + 1);
    const second = await send('/pay/disputes', debtor, { kind: 'original_creditor_request' }, { bytes: PNG, filename: 'again.png' });
    expect(second.status).toBe(409);
    expect(await snapshot(d)).toEqual(afterFirst);
  });

  it('multipart without a file, and JSON, still open a dispute; no session is a 401 before anything is read', async () => {
    const d = await activeDebtor(3);
    const debtor = await linkSession(api, agency, d.accountPublicId);
    const files = await storedFiles(api);
    const noFile = await send('/pay/disputes', debtor, { kind: 'dispute', scope: 'all', reasonCode: 'not_owed' });
    expect(noFile.status).toBe(201);
    expect(noFile.body.document).toBeNull();
    const json = await api.request('/pay/disputes', { token: debtor, body: { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' } });
    expect(json.status).toBe(201);
    expect(json.body.document).toBeNull();
    expect((await send('/pay/disputes', 'not-a-session', { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' }, { bytes: PDF, filename: 'a.pdf' })).status).toBe(401);
    expect(await storedFiles(api)).toEqual(files);
  });

  it('staff record a mailed dispute with the letter: the attachment names them; another client cannot', async () => {
    const d = await activeDebtor(4);
    const res = await send(`/accounts/${d.accountPublicId}/disputes`, client, { kind: 'dispute', scope: 'all', reasonCode: 'identity_theft' }, { bytes: PDF, filename: 'police-report.pdf' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ submittedVia: 'client', document: { fileName: 'police-report.pdf' } });
    const list = await api.request(`/accounts/${d.accountPublicId}/attachments`, { token: agency });
    expect(list.body.data.find((a: { id: string }) => a.id === res.body.document.attachmentId).uploadedBy).toEqual({ id: ID('usr'), name: 'Dana Whitfield' });
    const files = await storedFiles(api);
    const other = await send(`/accounts/${d.accountPublicId}/disputes`, group, { kind: 'dispute', scope: 'all', reasonCode: 'not_mine' }, { bytes: PDF, filename: 'x.pdf' });
    expect(other.status).toBe(404);
    expect(await storedFiles(api)).toEqual(files);
    // the export of the account lists the dispute with its document
    const record = await api.request(`/accounts/${d.accountPublicId}/compliance-export`, { token: agency });
    expect(record.body.disputes).toEqual([expect.objectContaining({ id: res.body.id, document: expect.objectContaining({ attachmentId: res.body.document.attachmentId }) })]);
  });
});
