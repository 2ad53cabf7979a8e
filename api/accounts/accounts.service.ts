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
 * (hot-query.ts): prepared on MySQL, one text per combination of filters and sort.
 */
export async function searchAccounts(trx: Trx, caller: Caller, f: AccountSearch) {
  const visible = visibleAccountsWhere(caller);
  const filters = await filterConditions(trx, caller, f);
  // Search lists worked accounts only; placements awaiting review live in the review queue.
  const where = [visible.sql, "accounts.review_status = 'accepted'", ...filters.conditions].join(' and ');
  const whereBindings = [...visible.bindings, ...filters.bindings];
  const countSql = `select count(*) as n from accounts where ${where}`;
  const order = f.order === 'desc' ? 'desc' : 'asc';
  const sql = `select ${SUMMARY_SQL}, (${countSql}) as total_count from accounts join clients on clients.id = accounts.client_id where ${where} ` +
    `order by ${SORT_COLUMNS[f.sort]} ${order}, accounts.id ${order} limit ? offset ?`;
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

const PARTY_FIELDS: [string, string][] = [
  ['role', 'role'], ['firstName', 'first_name'], ['middleName', 'middle_name'], ['lastName', 'last_name'], ['suffix', 'suffix'],
  ['dob', 'dob'], ['ssnLast4', 'ssn_last4'], ['address1', 'address1'], ['address2', 'address2'], ['city', 'city'], ['state', 'state'],
  ['zip', 'zip'], ['phones', 'phones'], ['emails', 'emails'], ['employer', 'employer'],
];
const BALANCE_FIELDS: [string, string][] = [['component', 'component'], ['originalCents', 'original_cents'], ['currentCents', 'current_cents']];
const ACTIVITY_FIELDS: [string, string][] = [
  ['publicId', 'public_id'], ['type', 'type'], ['visibility', 'visibility'], ['body', 'body'], ['actorName', 'actor_name'], ['occurredAt', 'occurred_at'],
];

/**
 * A JSON array of an account's child rows as one column of the account's own row, so that the pane
 * is one statement (one round trip) instead of four. MySQL/MariaDB aggregate with JSON_ARRAYAGG
 * (ORDER BY/LIMIT inside; its length cap, group_concat_max_len, is raised per connection in db.ts);
 * SQLite with json_group_array over an ordered, limited subquery. Values keep their JSON types:
 * numbers stay numbers, dates arrive as the strings toIso/toDateOnly already read.
 */
function childArray(mysql: boolean, table: string, fields: [string, string][], where: string, orderBy: string, limit?: number): string {
  const object = `json_object(${fields.map(([key, column]) => `'${key}', c.${column}`).join(', ')})`;
  return mysql
    ? `(select json_arrayagg(${object} order by ${orderBy}${limit ? ` limit ${limit}` : ''}) from ${table} c where ${where})`
    : `(select json_group_array(json(x)) from (select ${object} as x from ${table} c where ${where} order by ${orderBy}${limit ? ` limit ${limit}` : ''}))`;
}

const paneSqlCache = new Map<string, string>();
/**
 * The pane's one statement, per engine and audience (clients never see internal entries), written
 * once: the account row, its client, and its parties, balances and latest 20 activities as JSON.
 */
function paneSql(trx: Trx, caller: Caller, visibleSql: string): string {
  const mysql = isMysql(trx);
  const key = `${mysql}:${caller.kind === 'agency'}:${visibleSql}`;
  let sql = paneSqlCache.get(key);
  if (sql === undefined) {
    const internalHidden = caller.kind === 'agency' ? '' : " and c.visibility = 'client'";
    sql = `select ${SUMMARY_SQL}, accounts.account_type, accounts.review_status, accounts.service_date, accounts.charge_off_date, ` +
      'accounts.special_instructions, accounts.paid_to_date_cents, ' +
      `${childArray(mysql, 'account_parties', PARTY_FIELDS, 'c.account_id = accounts.id', 'c.id')} as parties_json, ` +
      `${childArray(mysql, 'account_balances', BALANCE_FIELDS, 'c.account_id = accounts.id', 'c.component')} as balances_json, ` +
      `${childArray(mysql, 'activity', ACTIVITY_FIELDS, `c.account_id = accounts.id${internalHidden}`, 'c.occurred_at desc, c.id desc', 20)} as activity_json ` +
      `from accounts join clients on clients.id = accounts.client_id where ${visibleSql} and accounts.public_id = ? limit 1`;
    if (paneSqlCache.size < 1000) paneSqlCache.set(key, sql);
  }
  return sql;
}

const jsonArray = <T>(value: unknown): T[] => (value === null || value === undefined ? [] : typeof value === 'string' ? (JSON.parse(value) as T[]) : (value as T[]));

/** The account pane: one hot statement (hot-query.ts). */
export async function getAccount(trx: Trx, caller: Caller, publicId: string) {
  const visible = visibleAccountsWhere(caller);
  const [row] = await hotRows<SummaryRow & { accountType: string; reviewStatus: string; serviceDate: unknown; chargeOffDate: unknown; specialInstructions: string | null; paidToDateCents: number | string; partiesJson: unknown; balancesJson: unknown; activityJson: unknown }>(
    trx, paneSql(trx, caller, visible.sql), [...visible.bindings, publicId],
  );
  if (!row) throw notFound('Account');
  const parties = jsonArray<PartyRow>(row.partiesJson);
  const balances = jsonArray<{ component: string; originalCents: number | string; currentCents: number | string }>(row.balancesJson);
  const activity = jsonArray<ActivityRow>(row.activityJson);
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
    parties: parties
      .sort((a, b) => PARTY_ORDER.indexOf(a.role) - PARTY_ORDER.indexOf(b.role))
      .map((p) => ({
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
