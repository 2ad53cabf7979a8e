/**
 * Request cost (issue 21): the account search runs one SQL statement and the account pane two, sent
 * together (and nothing for auth once the caller is known), and they give exactly what the former
 * statements gave: the pane is compared, account by account, with the four-query pane it replaced; search
 * totals with direct counts on every kind of page, and its pages with the knex-built search it
 * replaced. Responses conform to their declared schemas.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { DIALECTS, startTestApi, type TestApi } from './harness.js';
import { atInstant, fixAppClock } from './test-clock.js';
import { now } from '../../api/platform/clock.js';
import { getAccount, searchAccounts } from '../../api/accounts/accounts.service.js';
import { visibleAccounts } from '../../api/accounts/accounts.scope.js';
import { AccountDetail, AccountSearchQuery, AccountSearchResponse, type AccountSearch } from '../../api/accounts/accounts.schema.js';
import { nameKey } from '../../api/accounts/name-key.js';
import { loadCaller } from '../../api/platform/auth/caller.js';
import { toDateOnly, toIso, type Trx } from '../../api/platform/db.js';
import type { Caller } from '../../api/platform/http/context.js';
import { newId } from '../../api/platform/ids.js';

fixAppClock('2026-11-24T20:00:00Z');

/** The pane as it was built before (four statements: the account, then parties, balances, activity). */
async function paneByFourQueries(trx: Trx, caller: Caller, publicId: string) {
  const row = await visibleAccounts(trx, caller).join('clients', 'clients.id', 'accounts.client_id').where('accounts.public_id', publicId).first(
    'accounts.id', 'accounts.public_id', 'accounts.debtor_name', 'accounts.agency_account_number', 'accounts.client_account_number',
    'accounts.routing_number', 'accounts.check_number', 'accounts.balance_cents', 'accounts.currency', 'accounts.last_activity_at',
    'accounts.placed_on', 'accounts.status', 'clients.public_id as client_public_id', 'clients.name as client_name', 'accounts.account_type',
    'accounts.review_status', 'accounts.service_date', 'accounts.charge_off_date', 'accounts.special_instructions', 'accounts.paid_to_date_cents',
  );
  if (!row) return null;
  const activity = trx('activity').where({ accountId: row.id });
  if (caller.kind !== 'agency') activity.where('visibility', 'client');
  const [parties, balances, recent] = (await Promise.all([
    trx('account_parties').where({ accountId: row.id }).select(),
    trx('account_balances').where({ accountId: row.id }).select(),
    activity.select('public_id', 'type', 'visibility', 'body', 'actor_name', 'occurred_at').orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(20),
  ])) as Record<string, never>[][];
  const partyOrder = ['responsible', 'spouse', 'second_location', 'patient'];
  const componentOrder = ['principal', 'interest', 'fees', 'costs'];
  return {
    id: row.publicId, debtorName: row.debtorName, agencyAccountNumber: row.agencyAccountNumber, clientAccountNumber: row.clientAccountNumber,
    routingNumber: row.routingNumber, checkNumber: row.checkNumber, balance: { amountCents: Number(row.balanceCents), currency: row.currency },
    lastActivityAt: toIso(row.lastActivityAt), placedOn: toDateOnly(row.placedOn), status: row.status,
    client: { id: row.clientPublicId, name: row.clientName },
    accountType: row.accountType, reviewStatus: row.reviewStatus, serviceDate: toDateOnly(row.serviceDate), chargeOffDate: toDateOnly(row.chargeOffDate),
    specialInstructions: row.specialInstructions,
    balanceDetail: {
      currency: row.currency, totalCents: Number(row.balanceCents), paidToDateCents: Number(row.paidToDateCents),
      components: balances.sort((a, b) => componentOrder.indexOf(a.component) - componentOrder.indexOf(b.component))
        .map((b) => ({ component: b.component, originalCents: Number(b.originalCents), currentCents: Number(b.currentCents) })),
    },
    parties: parties.sort((a, b) => partyOrder.indexOf(a.role) - partyOrder.indexOf(b.role)).map((p) => ({
      role: p.role, firstName: p.firstName, middleName: p.middleName, lastName: p.lastName, suffix: p.suffix, dob: toDateOnly(p.dob), ssnLast4: p.ssnLast4,
      address: { line1: p.address1, line2: p.address2, city: p.city, state: p.state, zip: p.zip },
      phones: p.phones ? JSON.parse(p.phones) : [], emails: p.emails ? JSON.parse(p.emails) : [], employer: p.employer,
    })),
    recentActivity: recent.map((a) => ({ id: a.publicId, type: a.type, visibility: a.visibility, body: a.body, actorName: a.actorName, occurredAt: toIso(a.occurredAt) })),
  };
}

/** The search as it was built before: knex, the page and the count as two statements. */
async function searchByKnex(trx: Trx, caller: Caller, f: AccountSearch) {
  const sortColumns: Record<AccountSearch['sort'], string> = {
    name: 'accounts.debtor_name_key', accountNumber: 'accounts.agency_account_number', balance: 'accounts.balance_cents',
    lastActivity: 'accounts.last_activity_at', placedOn: 'accounts.placed_on', status: 'accounts.status', client: 'clients.name',
  };
  const rows = visibleAccounts(trx, caller).where('accounts.review_status', 'accepted');
  if (f.clientId) rows.where('accounts.client_id', (await trx('clients').where({ publicId: f.clientId }).first('id')).id);
  if (f.name) rows.where('accounts.debtor_name_key', 'like', `${nameKey(f.name)}%`);
  if (f.agencyAccountNumber) rows.where('accounts.agency_account_number', f.agencyAccountNumber.toUpperCase());
  if (f.phone) rows.whereIn('accounts.id', trx('account_phones').where('phone', f.phone.slice(-10)).select('account_id'));
  if (f.status) rows.where('accounts.status', f.status);
  if (f.placedFrom) rows.where('accounts.placed_on', '>=', f.placedFrom);
  if (f.placedTo) rows.where('accounts.placed_on', '<=', f.placedTo);
  if (f.balanceMinCents !== undefined) rows.where('accounts.balance_cents', '>=', f.balanceMinCents);
  if (f.balanceMaxCents !== undefined) rows.where('accounts.balance_cents', '<=', f.balanceMaxCents);
  const count = rows.clone().clearSelect().count({ n: '*' });
  rows.join('clients', 'clients.id', 'accounts.client_id').select(
    'accounts.public_id', 'accounts.debtor_name', 'accounts.agency_account_number', 'accounts.client_account_number', 'accounts.routing_number',
    'accounts.check_number', 'accounts.balance_cents', 'accounts.currency', 'accounts.last_activity_at', 'accounts.placed_on', 'accounts.status',
    'clients.public_id as client_public_id', 'clients.name as client_name',
  ).orderBy(sortColumns[f.sort], f.order).orderBy('accounts.id', f.order).limit(f.pageSize).offset((f.page - 1) * f.pageSize);
  const [data, [{ n }]] = (await Promise.all([rows, count])) as [Record<string, never>[], { n: number }[]];
  return {
    data: data.map((r) => ({
      id: r.publicId, debtorName: r.debtorName, agencyAccountNumber: r.agencyAccountNumber, clientAccountNumber: r.clientAccountNumber,
      routingNumber: r.routingNumber, checkNumber: r.checkNumber, balance: { amountCents: Number(r.balanceCents), currency: r.currency },
      lastActivityAt: toIso(r.lastActivityAt), placedOn: toDateOnly(r.placedOn), status: r.status, client: { id: r.clientPublicId, name: r.clientName },
    })),
    total: Number(n), page: f.page, pageSize: f.pageSize,
  };
}

describe.each(DIALECTS)('request cost: one statement per search, one round trip per account pane (%s)', (dialect) => {
  let api: TestApi;
  let agency: string;
  let group: string;
  const callers: Record<string, Caller> = {};
  beforeAll(async () => {
    api = await startTestApi(dialect, { accounts: 300 });
    agency = await api.login('demo.agency');
    group = await api.login('demo.group');
    callers.agency = (await loadCaller({ db: api.db, config: api.config }, `Bearer ${agency}`))!;
    callers.group = (await loadCaller({ db: api.db, config: api.config }, `Bearer ${group}`))!;
  });
  afterAll(() => api.close());

  /** The statements the API runs for one GET, the caller cache warm, the clock still (no re-sync). */
  async function statementsOf(path: string, token: string): Promise<{ status: number; body: unknown; sql: string[] }> {
    return atInstant(now(), async () => {
      const get = async () => {
        const res = await fetch(`${api.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
        return { status: res.status, body: await res.json() };
      };
      await get(); // warm: the caller is loaded and the change log read at this instant
      const sql: string[] = [];
      const onQuery = (q: { sql: string }) => sql.push(q.sql);
      api.db.on('query', onQuery);
      try {
        return { ...(await get()), sql };
      } finally {
        api.db.off('query', onQuery);
      }
    });
  }

  it('the pane is two statements sent together and nothing for auth, and conforms to its schema', async () => {
    const account = await api.db('accounts').where({ reviewStatus: 'accepted', clientId: callers.group!.clientIds === 'all' ? 1 : callers.group!.clientIds[0] }).first('public_id');
    for (const token of [agency, group]) {
      const res = await statementsOf(`/accounts/${account.publicId}`, token);
      expect(res.status).toBe(200);
      expect(res.sql).toHaveLength(2);
      expect(res.sql[0]).toMatch(/from accounts join clients/);
      expect(res.sql[1]).toMatch(/from activity/);
      expect(AccountDetail.parse(res.body)).toEqual(res.body);
    }
  });

  it('brings back 20 long activity entries whole (no aggregate may cut them: MariaDB caps GROUP_CONCAT/JSON_ARRAYAGG at 1 MB)', async () => {
    const account = (await api.db('accounts').where({ reviewStatus: 'accepted' }).first('id', 'public_id')) as { id: number; publicId: string };
    const rows = Array.from({ length: 24 }, (_, i) => ({
      publicId: newId('act'), accountId: account.id, type: 'note', visibility: 'client',
      body: `${String(i).padStart(2, '0')} ${'é"\\x'.repeat(12_000)}`, actorName: 'Test', occurredAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
    }));
    for (const row of rows) await api.db('activity').insert(row);
    const res = await api.request(`/accounts/${account.publicId}`, { token: agency });
    expect(res.status).toBe(200);
    expect(res.body.recentActivity).toHaveLength(20);
    expect(res.body.recentActivity.map((a: { body: string }) => a.body)).toEqual(rows.slice(4).reverse().map((r) => r.body));
    expect(await getAccount(api.db, callers.agency!, account.publicId)).toEqual(await paneByFourQueries(api.db, callers.agency!, account.publicId));
  });

  it('lists parties in role order, then in the order they were added, whatever order the database returns them in', async () => {
    // The pane's statement has no ORDER BY (a filesort there was half its server CPU): order is the code's job.
    const account = (await api.db('accounts').where({ reviewStatus: 'accepted' }).orderBy('id', 'desc').first('id', 'public_id')) as { id: number; publicId: string };
    const existing = (await getAccount(api.db, callers.agency!, account.publicId)).parties.map((p) => `${p.role} ${p.firstName}`);
    const party = (role: string, firstName: string) => ({ accountId: account.id, role, firstName, lastName: 'Order' });
    // Inserted out of role order, with two of one role, so neither insertion nor index order is the answer.
    for (const p of [party('patient', 'Pat'), party('spouse', 'Sam'), party('second_location', 'Lou'), party('spouse', 'Sue')]) await api.db('account_parties').insert(p);
    const shown = (await getAccount(api.db, callers.agency!, account.publicId)).parties.map((p) => `${p.role} ${p.firstName}`);
    const added = ['patient Pat', 'spouse Sam', 'second_location Lou', 'spouse Sue'];
    const ofRole = (list: string[], role: string) => list.filter((p) => p.split(' ')[0] === role);
    const expected = ['responsible', 'spouse', 'second_location', 'patient'].flatMap((role) => [...ofRole(existing, role), ...ofRole(added, role)]);
    expect(existing.length).toBeGreaterThan(0);
    expect(shown).toEqual(expected);
    expect(shown.indexOf('spouse Sam')).toBeLessThan(shown.indexOf('spouse Sue'));
  });

  it('a search is one statement; its total is right on full, partial, empty and past-the-end pages', async () => {
    const direct = async (where: (q: Knex.QueryBuilder) => void) => {
      const q = api.db('accounts').where({ reviewStatus: 'accepted' });
      where(q);
      return Number(((await q.count({ n: '*' })) as { n: number }[])[0]!.n);
    };
    const all = await direct(() => {});
    const held = await direct((q) => q.where({ status: 'hold' }));
    expect(held).toBeGreaterThan(0);
    const full = await statementsOf('/accounts?pageSize=7', agency);
    expect(full.sql).toHaveLength(1);
    expect(full.body).toMatchObject({ total: all, page: 1, pageSize: 7 });
    expect((full.body as { data: unknown[] }).data).toHaveLength(7);
    expect(AccountSearchResponse.parse(full.body)).toEqual(full.body);

    const lastPage = Math.ceil(all / 7);
    const partial = await statementsOf(`/accounts?pageSize=7&page=${lastPage}`, agency);
    expect(partial.sql).toHaveLength(1);
    expect(partial.body).toMatchObject({ total: all, page: lastPage });
    expect((partial.body as { data: unknown[] }).data).toHaveLength(all - (lastPage - 1) * 7);

    const past = await statementsOf(`/accounts?pageSize=7&page=${lastPage + 3}`, agency);
    expect(past.body).toMatchObject({ total: all, data: [] });
    expect(past.sql).toHaveLength(2); // no row to carry the total: it is counted on its own

    const none = await statementsOf('/accounts?name=zzzzqqq', agency);
    expect(none.body).toMatchObject({ total: 0, data: [] });
    expect(none.sql).toHaveLength(1);

    const filtered = await statementsOf('/accounts?status=hold&pageSize=100', agency);
    expect(filtered.body).toMatchObject({ total: held });
    expect((filtered.body as { data: unknown[] }).data).toHaveLength(Math.min(100, held));
    // a client user's total counts only the clients they are linked to
    const clientIds = callers.group!.clientIds as number[];
    const groupAll = await direct((q) => q.whereIn('client_id', clientIds));
    expect((await statementsOf('/accounts?pageSize=5', group)).body).toMatchObject({ total: groupAll });
  });
  it('finds, sorts and pages exactly as the knex-built search it replaced', async () => {
    const client = (await api.db('clients').orderBy('id').first('public_id')).publicId as string;
    const phone = (await api.db('account_phones').orderBy('account_id').first('phone')).phone as string;
    const number = (await api.db('accounts').where({ reviewStatus: 'accepted' }).orderBy('id', 'desc').first('agency_account_number')).agencyAccountNumber as string;
    const queries = [
      '', 'name=s', 'name=smith', 'status=hold', `clientId=${client}`, `clientId=${client}&status=active`, `agencyAccountNumber=${number.toLowerCase()}`,
      `phone=${phone}`, 'placedFrom=2025-01-01&placedTo=2025-12-31', 'balanceMinCents=50000&balanceMaxCents=150000', 'name=zzzz',
    ];
    const sorts = ['', 'sort=balance&order=desc', 'sort=client', 'sort=lastActivity&order=desc', 'sort=placedOn', 'sort=status', 'sort=accountNumber&order=desc'];
    for (const who of ['agency', 'group'] as const) {
      for (const q of queries) {
        for (const sort of sorts) {
          for (const page of ['pageSize=25', 'pageSize=10&page=3']) {
            const f = AccountSearchQuery.parse(Object.fromEntries(new URLSearchParams([q, sort, page].filter(Boolean).join('&'))));
            const expected = f.clientId && who === 'group' && !(callers.group!.clientIds as number[]).includes((await api.db('clients').where({ publicId: f.clientId }).first('id')).id)
              ? null : await searchByKnex(api.db, callers[who]!, f);
            if (expected === null) continue;
            expect(await searchAccounts(api.db, callers[who]!, f), `${who} ${q} ${sort} ${page}`).toEqual(expected);
          }
        }
      }
    }
  });

  // last: it runs no HTTP request for a while, and reads the long entries added above too
  it('gives every account the same pane as the four statements it replaced, to the agency and to a client user', async () => {
    const ids = (await api.db('accounts').orderBy('id').pluck('public_id')) as string[];
    for (const who of ['agency', 'group'] as const) {
      for (const id of ids) {
        const before = await paneByFourQueries(api.db, callers[who]!, id);
        if (!before) {
          await expect(getAccount(api.db, callers[who]!, id)).rejects.toMatchObject({ status: 404 });
          continue;
        }
        expect(await getAccount(api.db, callers[who]!, id)).toEqual(before);
      }
    }
  });
});
