/**
 * Finding and reading accounts. Every query starts from `visibleAccounts` or, for the hot statements
 * written as SQL text, `visibleAccountsWhere` (tenancy in one place).
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { visibleAccountsWhere, resolveAccountId, resolveClientId } from './accounts.scope.js';
import { hotRows, type HotBinding } from '../platform/hot-query.js';
import { escapeLike, nameKey } from './name-key.js';
import type { AccountSearch } from './accounts.schema.js';

const SORT_COLUMNS: Record<AccountSearch['sort'], string> = {
  name: 'accounts.debtor_name_key',
  accountNumber: 'accounts.agency_account_number',
  balance: 'accounts.balance_cents',
  lastActivity: 'accounts.last_activity_at',
  placedOn: 'accounts.placed_on',
  status: 'accounts.status',
  client: 'clients.name',
};

const SUMMARY_COLUMNS = [
  'accounts.id', 'accounts.public_id', 'accounts.debtor_name', 'accounts.agency_account_number', 'accounts.client_account_number',
  'accounts.routing_number', 'accounts.check_number', 'accounts.balance_cents', 'accounts.currency', 'accounts.last_activity_at',
  'accounts.placed_on', 'accounts.status', 'clients.public_id as client_public_id', 'clients.name as client_name',
];
const SUMMARY_SQL = SUMMARY_COLUMNS.join(', ');

interface SummaryRow {
  id: number;
  publicId: string;
  debtorName: string;
  agencyAccountNumber: string;
  clientAccountNumber: string;
  routingNumber: string | null;
  checkNumber: string | null;
  balanceCents: number | string;
  currency: string;
  lastActivityAt: unknown;
  placedOn: unknown;
  status: string;
  clientPublicId: string;
  clientName: string;
}

function toSummary(r: SummaryRow) {
  return {
    id: r.publicId,
    debtorName: r.debtorName,
    agencyAccountNumber: r.agencyAccountNumber,
    clientAccountNumber: r.clientAccountNumber,
    routingNumber: r.routingNumber,
    checkNumber: r.checkNumber,
    balance: { amountCents: Number(r.balanceCents), currency: r.currency },
    lastActivityAt: toIso(r.lastActivityAt),
    placedOn: toDateOnly(r.placedOn)!,
    status: r.status as never,
    client: { id: r.clientPublicId, name: r.clientName },
  };
}

/** The search filters as SQL conditions on `accounts` (hot-query.ts: written for both engines). */
async function filterConditions(trx: Trx, caller: Caller, f: AccountSearch): Promise<{ conditions: string[]; bindings: HotBinding[] }> {
  const conditions: string[] = [];
  const bindings: HotBinding[] = [];
  const where = (condition: string, value: HotBinding) => {
    conditions.push(condition);
    bindings.push(value);
  };
  if (f.clientId) where('accounts.client_id = ?', await resolveClientId(trx, caller, f.clientId));
  if (f.name) {
    // A name with no letters or digits ("%", "--") matches nobody rather than everybody.
    const key = nameKey(f.name);
    if (key) where('accounts.debtor_name_key like ?', `${escapeLike(key)}%`);
    else conditions.push('1 = 0');
  }
  if (f.agencyAccountNumber) where('accounts.agency_account_number = ?', f.agencyAccountNumber.toUpperCase());
  if (f.clientAccountNumber) where('accounts.client_account_number = ?', f.clientAccountNumber);
  if (f.ssnLast4) where('accounts.ssn_last4 = ?', f.ssnLast4);
  if (f.phone) where('accounts.id in (select account_id from account_phones where phone = ?)', f.phone.slice(-10));
  if (f.status) where('accounts.status = ?', f.status);
  if (f.placedFrom) where('accounts.placed_on >= ?', f.placedFrom);
  if (f.placedTo) where('accounts.placed_on <= ?', f.placedTo);
  if (f.balanceMinCents !== undefined) where('accounts.balance_cents >= ?', f.balanceMinCents);
  if (f.balanceMaxCents !== undefined) where('accounts.balance_cents <= ?', f.balanceMaxCents);
  if (f.routingNumber) where('accounts.routing_number = ?', f.routingNumber);
  if (f.checkNumber) where('accounts.check_number = ?', f.checkNumber);
  return { conditions, bindings };
}

/**
 * One statement per search: the page, with the total as an uncorrelated scalar subquery that the
 * database evaluates once (a window count would join and sort every match before the LIMIT). Only a
 * page past the end, which has no row to carry the total, needs a second statement. A hot statement
 * (hot-query.ts), sent as text: its plan depends on the values (see there).
 *
 * The page is found first as ids alone (a derived table: filter, order, limit), then only its rows
 * are read and joined. Ordering whole rows made MariaDB copy every match into a temporary table and
 * sort it (a name prefix matching 978 of 1,000,000 accounts: ~1,950 row reads, 11 ms); ordering ids
 * reads them from an index and stops at the page (~30 reads, 0.7 ms; issue 21).
 */
export async function searchAccounts(trx: Trx, caller: Caller, f: AccountSearch) {
  const visible = visibleAccountsWhere(caller);
  const filters = await filterConditions(trx, caller, f);
  // Search lists worked accounts only; placements awaiting review live in the review queue.
  const where = [visible.sql, "accounts.review_status = 'accepted'", ...filters.conditions].join(' and ');
  const whereBindings = [...visible.bindings, ...filters.bindings];
  const countSql = `select count(*) as n from accounts where ${where}`;
  const order = f.order === 'desc' ? 'desc' : 'asc';
  const orderBy = `order by ${SORT_COLUMNS[f.sort]} ${order}, accounts.id ${order}`;
  // Only the client sort needs the clients table to choose the page.
  const pageFrom = f.sort === 'client' ? 'accounts join clients on clients.id = accounts.client_id' : 'accounts';
  const pageIds = `select accounts.id from ${pageFrom} where ${where} ${orderBy} limit ? offset ?`;
  const sql = `select ${SUMMARY_SQL}, (${countSql}) as total_count from (${pageIds}) page ` +
    `join accounts on accounts.id = page.id join clients on clients.id = accounts.client_id ${orderBy}`;
  const data = await hotRows<SummaryRow & { totalCount: number | string }>(trx, sql, [...whereBindings, ...whereBindings, f.pageSize, (f.page - 1) * f.pageSize]);
  const total = data.length ? Number(data[0]!.totalCount) : f.page === 1 ? 0 : Number((await hotRows<{ n: number | string }>(trx, countSql, whereBindings))[0]!.n);
  return { data: data.map(toSummary), total, page: f.page, pageSize: f.pageSize };
}

interface ActivityRow {
  publicId: string;
  type: string;
  visibility: 'client' | 'internal';
  body: string;
  actorName: string;
  occurredAt: unknown;
}

const toActivity = (a: ActivityRow) => ({
  id: a.publicId, type: a.type, visibility: a.visibility, body: a.body, actorName: a.actorName, occurredAt: toIso(a.occurredAt)!,
});

/** The timeline; agency-internal entries are never shown to a client user. */
function activityFor(trx: Trx, caller: Caller, accountId: number): Knex.QueryBuilder {
  const q = trx('activity').where({ accountId });
  if (caller.kind !== 'agency') q.where('visibility', 'client');
  return q;
}

export async function listActivity(trx: Trx, caller: Caller, accountPublicId: string, page: number, pageSize: number) {
  const accountId = await resolveAccountId(trx, caller, accountPublicId);
  const base = activityFor(trx, caller, accountId);
  const [rows, [{ n }]] = (await Promise.all([
    base.clone().select('public_id', 'type', 'visibility', 'body', 'actor_name', 'occurred_at').orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(pageSize).offset((page - 1) * pageSize),
    base.clone().count({ n: '*' }),
  ])) as [ActivityRow[], { n: number | string }[]];
  return { data: rows.map(toActivity), total: Number(n), page, pageSize };
}

interface PartyRow {
  role: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  suffix: string | null;
  dob: unknown;
  ssnLast4: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  phones: string | null;
  emails: string | null;
  employer: string | null;
}

const PARTY_ORDER = ['responsible', 'spouse', 'second_location', 'patient'];
const COMPONENT_ORDER = ['principal', 'interest', 'fees', 'costs'];

const PARTY_COLUMNS = [
  'role', 'first_name', 'middle_name', 'last_name', 'suffix', 'dob', 'ssn_last4', 'address1', 'address2', 'city', 'state', 'zip', 'phones', 'emails', 'employer',
];

/**
 * The balance components as one JSON array column of the account's row (numbers only, so cheap to
 * aggregate: MariaDB aggregates TEXT values through a temporary table, which is why parties and
 * activity are rows of their own below).
 */
function balancesJson(mysql: boolean): string {
  const object = "json_object('component', b.component, 'originalCents', b.original_cents, 'currentCents', b.current_cents)";
  return mysql
    ? `(select json_arrayagg(${object} order by b.component) from account_balances b where b.account_id = accounts.id)`
    : `(select json_group_array(json(x)) from (select ${object} as x from account_balances b where b.account_id = accounts.id order by b.component))`;
}

interface PaneStatements {
  /** the account, its client and balances, once per party (left join: at least one row), in no order */
  account: string;
  /** the latest 20 activities the caller may see */
  activity: string;
}
const paneSqlCache = new Map<string, PaneStatements>();

/**
 * The pane's two statements, per engine and audience (clients never see internal entries), written
 * once. Both limit to the accounts the caller may see and run side by side: one round trip.
 */
function paneSql(trx: Trx, caller: Caller, visibleSql: string): PaneStatements {
  const mysql = isMysql(trx);
  const key = `${mysql}:${caller.kind === 'agency'}:${visibleSql}`;
  let sql = paneSqlCache.get(key);
  if (sql === undefined) {
    const internalHidden = caller.kind === 'agency' ? '' : " and a.visibility = 'client'";
    sql = {
      account: `select ${SUMMARY_SQL}, accounts.account_type, accounts.review_status, accounts.service_date, accounts.charge_off_date, ` +
        `accounts.special_instructions, accounts.paid_to_date_cents, ${balancesJson(mysql)} as balances_json, p.id as party_id, ` +
        `${PARTY_COLUMNS.map((c) => `p.${c} as party_${c}`).join(', ')} ` +
        'from accounts join clients on clients.id = accounts.client_id left join account_parties p on p.account_id = accounts.id ' +
        // No ORDER BY: sorting this row set made MariaDB build a temporary table and filesort it, over
        // half the statement's server CPU (issue 21); the few party rows are put in order below.
        `where ${visibleSql} and accounts.public_id = ?`,
      activity: 'select a.public_id, a.type, a.visibility, a.body, a.actor_name, a.occurred_at from activity a ' +
        `where a.account_id = (select accounts.id from accounts where ${visibleSql} and accounts.public_id = ?)${internalHidden} ` +
        'order by a.occurred_at desc, a.id desc limit 20',
    };
    if (paneSqlCache.size < 1000) paneSqlCache.set(key, sql);
  }
  return sql;
}

const jsonArray = <T>(value: unknown): T[] => (value === null || value === undefined ? [] : typeof value === 'string' ? (JSON.parse(value) as T[]) : (value as T[]));

type PaneRow = SummaryRow & {
  accountType: string; reviewStatus: string; serviceDate: unknown; chargeOffDate: unknown; specialInstructions: string | null;
  paidToDateCents: number | string; balancesJson: unknown; partyId: number | null;
  partyRole: string; partyFirstName: string; partyMiddleName: string | null; partyLastName: string; partySuffix: string | null; partyDob: unknown;
  partySsnLast4: string | null; partyAddress1: string | null; partyAddress2: string | null; partyCity: string | null; partyState: string | null;
  partyZip: string | null; partyPhones: string | null; partyEmails: string | null; partyEmployer: string | null;
};

/** The account pane: two hot statements (hot-query.ts, prepared: lookups by key) in one round trip. */
export async function getAccount(trx: Trx, caller: Caller, publicId: string) {
  const visible = visibleAccountsWhere(caller);
  const sql = paneSql(trx, caller, visible.sql);
  const bindings = [...visible.bindings, publicId];
  const [rows, activity] = await Promise.all([
    hotRows<PaneRow>(trx, sql.account, bindings, { prepared: true }),
    hotRows<ActivityRow>(trx, sql.activity, bindings, { prepared: true }),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Account');
  // Parties in role order, then in the order they were added (their id).
  const partyRows = rows.filter((r) => r.partyId !== null)
    .sort((a, b) => PARTY_ORDER.indexOf(a.partyRole) - PARTY_ORDER.indexOf(b.partyRole) || Number(a.partyId) - Number(b.partyId));
  const parties: PartyRow[] = partyRows.map((r) => ({
    role: r.partyRole, firstName: r.partyFirstName, middleName: r.partyMiddleName, lastName: r.partyLastName, suffix: r.partySuffix, dob: r.partyDob,
    ssnLast4: r.partySsnLast4, address1: r.partyAddress1, address2: r.partyAddress2, city: r.partyCity, state: r.partyState, zip: r.partyZip,
    phones: r.partyPhones, emails: r.partyEmails, employer: r.partyEmployer,
  }));
  const balances = jsonArray<{ component: string; originalCents: number | string; currentCents: number | string }>(row.balancesJson);
  return {
    ...toSummary(row),
    accountType: row.accountType as never,
    reviewStatus: row.reviewStatus as never,
    serviceDate: toDateOnly(row.serviceDate),
    chargeOffDate: toDateOnly(row.chargeOffDate),
    specialInstructions: row.specialInstructions,
    balanceDetail: {
      currency: row.currency,
      totalCents: Number(row.balanceCents),
      paidToDateCents: Number(row.paidToDateCents),
      components: balances
        .sort((a, b) => COMPONENT_ORDER.indexOf(a.component) - COMPONENT_ORDER.indexOf(b.component))
        .map((b) => ({ component: b.component as never, originalCents: Number(b.originalCents), currentCents: Number(b.currentCents) })),
    },
    parties: parties.map((p) => ({
        role: p.role as never,
        firstName: p.firstName,
        middleName: p.middleName,
        lastName: p.lastName,
        suffix: p.suffix,
        dob: toDateOnly(p.dob),
        ssnLast4: p.ssnLast4,
        address: { line1: p.address1, line2: p.address2, city: p.city, state: p.state, zip: p.zip },
        phones: p.phones ? (JSON.parse(p.phones) as { type: string; number: string }[]) : [],
        emails: p.emails ? (JSON.parse(p.emails) as string[]) : [],
        employer: p.employer,
      })),
    recentActivity: activity.map(toActivity),
  };
}
