/**
 * The demo seed tells one story: an account it marks disputed has the dispute record behind it, as if
 * the debtor or the agency had opened it (the disputes service's rules: open, holding an account that
 * was active, the whole balance or part of it, the responsible party, a client-visible timeline
 * entry), so the demo site and the compliance export show it and answering it returns the account to
 * collection. The same N gives the same records on either database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { testConfig } from '../../api/config.js';
import { createDb, migrateLatest, toIso, type Db } from '../../api/platform/db.js';
import { seed } from '../../api/seed/seed.js';
import { DISPUTE_REASONS } from '../../api/compliance/disputes.service.js';

const ACCOUNTS = 400;

interface SeededDispute {
  publicId: string; accountId: number; clientId: number; partyId: number | null; kind: string; scope: string | null; disputedAmountCents: number | string | null;
  reasonCode: string | null; reason: string | null; status: string; previousStatus: string; submittedVia: string; submittedBy: string | null; taskPublicId: string | null; createdAt: unknown;
}

const disputesOf = async (db: Db) =>
  ((await db('disputes').orderBy('id').select('publicId', 'accountId', 'clientId', 'partyId', 'kind', 'scope', 'disputedAmountCents', 'reasonCode', 'reason', 'status', 'previousStatus', 'submittedVia', 'submittedBy', 'taskPublicId', 'createdAt')) as SeededDispute[])
    .map((d) => ({ ...d, disputedAmountCents: d.disputedAmountCents === null ? null : Number(d.disputedAmountCents), createdAt: toIso(d.createdAt) }));

describe.each(DIALECTS)('demo seed (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: ACCOUNTS });
    agency = await api.login('demo.agency');
  });
  afterAll(() => api?.close());

  it('every account seeded disputed has one open dispute record behind it, and no other account has one', async () => {
    const disputed = (await api.db('accounts').where({ status: 'disputed' }).orderBy('id').select('id', 'clientId', 'balanceCents', 'lastActivityAt')) as { id: number; clientId: number; balanceCents: number | string; lastActivityAt: unknown }[];
    expect(disputed.length).toBeGreaterThan(5);
    const records = await disputesOf(api.db);
    expect(records.map((r) => r.accountId)).toEqual(disputed.map((a) => a.id));
    const responsible = new Map(((await api.db('account_parties').where({ role: 'responsible' }).select('id', 'accountId')) as { id: number; accountId: number }[]).map((p) => [p.accountId, p.id]));
    for (const [i, r] of records.entries()) {
      const account = disputed[i]!;
      const balance = Number(account.balanceCents);
      expect(r).toMatchObject({ kind: 'dispute', status: 'open', previousStatus: 'active', clientId: account.clientId, partyId: responsible.get(account.id), taskPublicId: null });
      expect(DISPUTE_REASONS).toContain(r.reasonCode);
      if (r.reasonCode === 'other') expect(r.reason).toBeTruthy();
      if (r.scope === 'part') expect(r.disputedAmountCents! > 0 && r.disputedAmountCents! < balance).toBe(true);
      else expect(r).toMatchObject({ scope: 'all', disputedAmountCents: balance });
      expect(['debtor', 'agency']).toContain(r.submittedVia);
      // the account's last activity is its dispute, on the client's timeline
      expect(r.createdAt).toBe(toIso(account.lastActivityAt));
      const entry = await api.db('activity').where({ accountId: account.id }).orderBy('occurredAt', 'desc').orderBy('id', 'desc').first('type', 'visibility', 'body', 'occurredAt');
      expect(entry).toMatchObject({ type: 'dispute', visibility: 'client', body: expect.stringContaining('Collection is on hold until the agency responds.') });
      expect(toIso(entry.occurredAt)).toBe(r.createdAt);
    }
    // nothing else changed its story: only disputed accounts have dispute entries
    const withEntries = (await api.db('activity').where({ type: 'dispute' }).distinct('accountId').orderBy('accountId')).map((a: { accountId: number }) => a.accountId);
    expect(withEntries).toEqual(disputed.map((a) => a.id));
  });

  it('the same N gives the same dispute records on a fresh SQLite database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ck-seed-'));
    const db = createDb('', dataDir);
    try {
      await migrateLatest(db);
      await seed(db, testConfig({ dataDir, databaseUrl: '' }), { accounts: ACCOUNTS });
      const fresh = await disputesOf(db);
      // submittedBy names the agency user, whose public id is random per database
      const strip = (rows: SeededDispute[]) => rows.map(({ submittedBy, ...r }) => ({ ...r, submittedBy: submittedBy ? 'user' : null }));
      expect(strip(fresh)).toEqual(strip(await disputesOf(api.db)));
    } finally {
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('the client and the compliance export see a seeded dispute; answering it returns the account to collection', async () => {
    const client = await api.login('demo.client');
    const row = (await api.db('disputes').join('accounts', 'accounts.id', 'disputes.account_id').join('clients', 'clients.id', 'accounts.client_id')
      .where('clients.code', 'CPL').orderBy('disputes.id').first('disputes.public_id', 'accounts.public_id as account_public_id')) as { publicId: string; accountPublicId: string };
    const list = await api.request(`/accounts/${row.accountPublicId}/disputes`, { token: client });
    expect(list.body.data).toEqual([expect.objectContaining({ id: row.publicId, kind: 'dispute', status: 'open' })]);
    const exported = await api.request(`/accounts/${row.accountPublicId}/compliance-export`, { token: agency });
    expect(exported.body.disputes).toEqual([expect.objectContaining({ id: row.publicId, status: 'open' })]);
    const answered = await api.request(`/agency/disputes/${row.publicId}/resolve`, { token: agency, body: { resolution: 'Verification mailed.' } });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'resolved', accountStatus: 'active' });
  });

});
