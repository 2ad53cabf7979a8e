/**
 * Issue 17, item 8: the audit chain was unkeyed SHA-256 — rewriting a row and recomputing every later
 * hash passed `admin audit-verify`, and so did deleting the newest rows. Now each link is an HMAC under
 * a key outside the database (AUDIT_KEYS, key id on the row, rotation), old unkeyed rows still verify
 * as a prefix, and a signed checkpoint of the head makes truncation detectable.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { accountPicker } from './account-fixtures.js';
import { chainHash, sealAudit, verifyAudit, type AuditRow } from '../../api/audit/audit-chain.js';
import type { AuditKey } from '../../api/config.js';

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const K2: AuditKey = { id: 'k2', key: Buffer.alloc(32, 42).toString('base64') };

describe.each(DIALECTS)('keyed audit chain and checkpoints (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let accountId: string;
  const note = (body: string) => api.request(`/accounts/${accountId}/notes`, { token: client, body: { body } });
  /** what an attacker with write access to the database does: recompute every link after `fromSeq` with plain SHA-256 */
  async function reforge(fromSeq: number) {
    const rows = (await api.db('audit_log').whereNotNull('chain_seq').where('chain_seq', '>=', fromSeq).orderBy('chain_seq').select()) as AuditRow[];
    let prev = ((await api.db('audit_log').where({ chainSeq: fromSeq - 1 }).first('hash')) as { hash: string }).hash;
    for (const row of rows) {
      const hash = chainHash(prev, row);
      await api.db('audit_log').where({ id: row.id }).update({ prevHash: prev, hash, keyId: null });
      prev = hash;
    }
  }

  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 20 });
    client = await api.login('demo.client');
    accountId = (await accountPicker(api, 'CPL')()).publicId;
  });
  afterAll(() => api.close());

  it('rows sealed before keying still verify, as a prefix; new rows carry the key id', async () => {
    // the trail as an older version sealed it: plain SHA-256, no key id
    for (let i = 0; i < 6; i++) await note(`before the upgrade ${i}`);
    const legacy = (await api.db('audit_log').whereNull('chain_seq').orderBy('id').select()) as AuditRow[];
    expect(legacy.length).toBeGreaterThanOrEqual(6);
    let prev = '0'.repeat(64);
    for (const [i, row] of legacy.entries()) {
      const hash = chainHash(prev, row);
      await api.db('audit_log').where({ id: row.id }).update({ chainSeq: i + 1, prevHash: prev, hash });
      prev = hash;
    }
    await note('after the upgrade');
    expect(await sealAudit(api.db, api.config)).toBeGreaterThan(0);
    const keyIds = await api.db('audit_log').whereNotNull('chain_seq').orderBy('chain_seq').pluck('key_id');
    expect(keyIds.slice(0, legacy.length)).toEqual(Array(legacy.length).fill(null));
    expect(new Set(keyIds.slice(legacy.length))).toEqual(new Set(['test1']));
    expect(await verifyAudit(api.db, api.config)).toMatchObject({ ok: true, broken: null });
  });

  it('a rewritten row with every later hash recomputed no longer verifies', async () => {
    for (let i = 0; i < 5; i++) await note(`row ${i}`);
    await sealAudit(api.db, api.config);
    const victim = await api.db('audit_log').where({ action: 'account.note_added', targetId: accountId }).whereNotNull('key_id').orderBy('chain_seq').first();
    await api.db('audit_log').where({ id: victim.id }).update({ afterJson: victim.afterJson.replace('after the upgrade', 'nothing to see') });
    await reforge(Number(victim.chainSeq));
    const result = await verifyAudit(api.db, api.config);
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ chainSeq: Number(victim.chainSeq), reason: expect.stringContaining('unkeyed row follows keyed rows') });
    // deleting the record of where keyed sealing began as well does not help while keyed rows remain
    const anchor = await api.db('settings').where({ key: 'audit_chain_anchor' }).first();
    expect(anchor).toBeTruthy();
    await api.db('settings').where({ key: 'audit_chain_anchor' }).delete();
    const lastKeyed = await api.db('audit_log').whereNotNull('chain_seq').orderBy('chain_seq', 'desc').first();
    await api.db('audit_log').where({ id: lastKeyed.id }).update({ keyId: 'test1' }); // one row left as it was
    expect((await verifyAudit(api.db, api.config)).ok).toBe(false);
    await api.db('settings').insert(anchor);
    // the same forgery with a made-up key id fails too: the HMAC cannot be recomputed without the key
    await api.db('audit_log').where('chain_seq', '>=', Number(victim.chainSeq)).update({ keyId: 'test1' });
    expect((await verifyAudit(api.db, api.config)).broken!.reason).toContain('changed after it was sealed');
  });

  it('rotation: new rows seal under the new key, old rows verify with the retired one', async () => {
    // a fresh trail for this test: start again from a clean chain
    await api.db('audit_log').update({ chainSeq: null, prevHash: null, hash: null, keyId: null });
    await api.db('settings').where({ key: 'audit_chain_anchor' }).delete();
    await sealAudit(api.db, api.config);
    const rotated = { ...api.config, auditKeys: [K2, ...api.config.auditKeys!] };
    await note('after rotation');
    await sealAudit(api.db, rotated);
    expect(await api.db('audit_log').where({ keyId: 'k2' }).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBeGreaterThan(0);
    expect((await verifyAudit(api.db, rotated)).ok).toBe(true);
    const withoutOld = await verifyAudit(api.db, { ...api.config, auditKeys: [K2] });
    expect(withoutOld.ok).toBe(false);
    expect(withoutOld.broken!.reason).toContain('"test1", which is not configured');
    // the anchor is signed with the first key too: retired keys stay in AUDIT_KEYS for verification
  });

  it('a signed checkpoint makes deleting the newest rows detectable (API and CLI)', async () => {
    const config = { ...api.config, auditKeys: [K2, ...api.config.auditKeys!] };
    const env = {
      ...process.env, DATA_DIR: api.config.dataDir, DATABASE_URL: api.config.databaseUrl,
      AUDIT_KEYS: config.auditKeys.map((k) => `${k.id}:${k.key}`).join(','),
    };
    await note('checkpointed');
    const made = await cli(['admin', 'audit-checkpoint'], env);
    expect(made.code, made.stderr).toBe(0);
    const checkpoint = JSON.parse(made.stdout);
    expect(checkpoint).toMatchObject({ kind: 'collectkit.audit-checkpoint', keyId: 'k2', chainSeq: expect.any(Number), signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = join(api.config.dataDir, 'checkpoint.json');
    writeFileSync(file, made.stdout);
    const fine = await cli(['admin', 'audit-verify', '--checkpoint', file], env);
    expect(fine.code, fine.stderr).toBe(0);
    expect(fine.stdout).toContain('is in place');

    // the same from the API, for agency administrators only
    const agency = await api.login('demo.agency');
    const fromApi = await api.request('/agency/audit/checkpoint', { token: agency });
    expect(fromApi.status).toBe(200);
    expect(fromApi.body).toMatchObject({ kind: 'collectkit.audit-checkpoint', keyId: 'test1', chainSeq: expect.any(Number) });
    expect((await verifyAudit(api.db, config, fromApi.body)).checkpoint).toEqual({ chainSeq: fromApi.body.chainSeq, ok: true, reason: null });
    expect((await api.request('/agency/audit/checkpoint', { token: client })).status).toBe(403);

    // a tampered checkpoint is refused
    const forged = { ...checkpoint, chainSeq: checkpoint.chainSeq - 3 };
    expect((await verifyAudit(api.db, config, forged)).checkpoint).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });

    // delete the newest rows: the chain alone still verifies, the checkpoint does not
    await note('later row');
    await sealAudit(api.db, config);
    await api.db('audit_log').where('chain_seq', '>=', checkpoint.chainSeq - 1).delete();
    expect((await verifyAudit(api.db, config)).ok).toBe(true);
    const truncated = await verifyAudit(api.db, config, checkpoint);
    expect(truncated.ok).toBe(false);
    expect(truncated.checkpoint!.reason).toContain('rows were removed from its end');
    const run = await cli(['admin', 'audit-verify', '--checkpoint', file], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does not match the checkpoint');
  }, 180_000);
});
