import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { accountPicker, userToken } from './account-fixtures.js';
import { sealAudit, verifyAudit } from '../../api/audit/audit-chain.js';
import { runWorkerOnce } from '../../api/platform/jobs.js';
import '../../api/jobs-registry.js';

/** The CLI in a child process, without blocking this process (which serves the test API). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'api/main.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(DIALECTS)('audit trail: hash chain, verification, queries (%s)', (dialect) => {
  let api: TestApi;
  let client: string;
  let agency: string;
  let accountId: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 40 });
    client = await api.login('demo.client');
    agency = await api.login('demo.agency');
    accountId = (await accountPicker(api, 'CPL')()).publicId;
    await api.request(`/accounts/${accountId}/notes`, { token: client, body: { body: 'Audit me' } });
    await api.request(`/accounts/${accountId}/payments`, { token: client, body: { amountCents: 500, paidOn: '2026-11-02', method: 'cash' } });
    await api.request(`/accounts/${accountId}/hold`, { token: client, body: { reason: 'Audit hold' } });
  });
  afterAll(() => api.close());

  it('the worker seals new rows into the chain; verification passes and reports nothing pending', async () => {
    await runWorkerOnce({ db: api.db, config: api.config });
    const unsealed = await api.db('audit_log').whereNull('chain_seq').count({ n: '*' });
    expect(Number(unsealed[0]!.n)).toBe(0);
    const res = await api.request('/agency/audit/verify', { token: agency });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, pending: 0, broken: null });
    expect(res.body.checked).toBeGreaterThan(5);
  });

  it('detects a changed row and a deleted row', async () => {
    const victim = await api.db('audit_log').where({ action: 'account.payment_reported', targetId: accountId }).first();
    const original = victim.afterJson as string;
    await api.db('audit_log').where({ id: victim.id }).update({ afterJson: original.replace('"amountCents":500', '"amountCents":5') });
    const changed = await verifyAudit(api.db, api.config);
    expect(changed.ok).toBe(false);
    expect(changed.broken).toMatchObject({ chainSeq: Number(victim.chainSeq), auditId: Number(victim.id), reason: expect.stringContaining('changed') });
    await api.db('audit_log').where({ id: victim.id }).update({ afterJson: original });
    expect((await verifyAudit(api.db, api.config)).ok).toBe(true);
    const middle = await api.db('audit_log').where({ action: 'account.note_added', targetId: accountId }).first();
    await api.db('audit_log').where({ id: middle.id }).delete();
    const deleted = await verifyAudit(api.db, api.config);
    expect(deleted.ok).toBe(false);
    expect(deleted.broken!.reason).toContain('missing');
    // `admin audit-verify` says the same, with a non-zero exit (on the SQLite file of this test's API)
    if (dialect === 'sqlite') {
      const env = { ...process.env, DATA_DIR: api.config.dataDir, DATABASE_URL: '', AUDIT_KEYS: api.config.auditKeys!.map((k) => `${k.id}:${k.key}`).join(',') };
      const run = await cli(['admin', 'audit-verify'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Audit trail BROKEN');
    }
  });

  it('a row written after sealing takes the next chain position', async () => {
    await sealAudit(api.db, api.config);
    await api.request(`/accounts/${accountId}/release`, { token: client, body: {} });
    const head = (await api.db('audit_log').max({ m: 'chain_seq' }))[0]!.m;
    expect(await sealAudit(api.db, api.config)).toBeGreaterThanOrEqual(1);
    const released = await api.db('audit_log').where({ action: 'account.release', targetId: accountId }).first();
    expect(Number(released.chainSeq)).toBeGreaterThan(Number(head));
  });

  it('agency admins query by account, user, action and date; others are refused', async () => {
    const byAccount = await api.request(`/agency/audit?accountId=${accountId}`, { token: agency });
    expect(byAccount.status).toBe(200);
    expect(byAccount.body.data.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['account.payment_reported', 'account.hold']));
    for (const r of byAccount.body.data) expect(r.target).toEqual({ type: 'account', id: accountId });
    const me = await api.request('/me', { token: client });
    const byUser = await api.request(`/agency/audit?userId=${me.body.id}&action=account.hold`, { token: agency });
    expect(byUser.body.total).toBe(1);
    expect(byUser.body.data[0]).toMatchObject({ actor: { type: 'user', id: me.body.id }, after: { status: 'hold', reason: 'Audit hold' } });
    const today = new Date().toISOString().slice(0, 10);
    expect((await api.request(`/agency/audit?accountId=${accountId}&from=${today}&to=${today}`, { token: agency })).body.total).toBe(byAccount.body.total);
    expect((await api.request(`/agency/audit?accountId=${accountId}&to=2020-01-01`, { token: agency })).body.total).toBe(0);
    expect((await api.request('/agency/audit', { token: client })).status).toBe(403);
    const staff = await userToken(api, `staff.audit.${dialect}`, 'agency_staff', []);
    expect((await api.request('/agency/audit', { token: staff })).status).toBe(403);
    expect((await api.request('/agency/audit?from=yesterday', { token: agency })).status).toBe(400);
  });
});
