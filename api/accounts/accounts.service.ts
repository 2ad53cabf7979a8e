/** Finding and reading accounts. Every query starts from `visibleAccounts` (tenancy in one place). */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { notFound } from '../platform/errors.js';
import { visibleAccounts, resolveAccountId, resolveClientId } from './accounts.scope.js';
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

async function applyFilters(trx: Trx, caller: Caller, q: Knex.QueryBuilder, f: AccountSearch): Promise<void> {
  if (f.clientId) q.where('accounts.client_id', await resolveClientId(trx, caller, f.clientId));
  if (f.name) {
    // A name with no letters or digits ("%", "--") matches nobody rather than everybody.
    const key = nameKey(f.name);
    if (key) q.where('accounts.debtor_name_key', 'like', `${escapeLike(key)}%`);
    else q.whereRaw('1 = 0');
  }
  if (f.agencyAccountNumber) q.where('accounts.agency_account_number', f.agencyAccountNumber.toUpperCase());
  if (f.clientAccountNumber) q.where('accounts.client_account_number', f.clientAccountNumber);
  if (f.ssnLast4) q.where('accounts.ssn_last4', f.ssnLast4);
  if (f.phone) q.whereIn('accounts.id', trx('account_phones').where('phone', f.phone.slice(-10)).select('account_id'));
  if (f.status) q.where('accounts.status', f.status);
  if (f.placedFrom) q.where('accounts.placed_on', '>=', f.placedFrom);
  if (f.placedTo) q.where('accounts.placed_on', '<=', f.placedTo);
  if (f.balanceMinCents !== undefined) q.where('accounts.balance_cents', '>=', f.balanceMinCents);
  if (f.balanceMaxCents !== undefined) q.where('accounts.balance_cents', '<=', f.balanceMaxCents);
  if (f.routingNumber) q.where('accounts.routing_number', f.routingNumber);
  if (f.checkNumber) q.where('accounts.check_number', f.checkNumber);
}

/**
 * One statement per search: the page, with the total as an uncorrelated scalar subquery that the
 * database evaluates once (a window count would join and sort every match before the LIMIT). Only a
 * page past the end, which has no row to carry the total, needs a second statement.
 */
export async function searchAccounts(trx: Trx, caller: Caller, f: AccountSearch) {
  // Search lists worked accounts only; placements awaiting review live in the review queue.
  const rows = visibleAccounts(trx, caller).where('accounts.review_status', 'accepted');
  await applyFilters(trx, caller, rows, f);
  const count = rows.clone().clearSelect().count({ n: '*' });
  rows
    .join('clients', 'clients.id', 'accounts.client_id')
    .select([...SUMMARY_COLUMNS, count.clone().as('total_count')])
    .orderBy(SORT_COLUMNS[f.sort], f.order)
    .orderBy('accounts.id', f.order)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  const data = (await rows) as (SummaryRow & { totalCount: number | string })[];
  const total = data.length ? Number(data[0]!.totalCount) : f.page === 1 ? 0 : Number(((await count) as { n: number | string }[])[0]!.n);
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

const paneColumnsCache = new Map<string, string>();
/** The three child arrays of the pane, per dialect and audience (clients never see internal entries). */
function paneColumns(trx: Trx, caller: Caller): string {
  const mysql = isMysql(trx);
  const key = `${mysql}:${caller.kind === 'agency'}`;
  let sql = paneColumnsCache.get(key);
  if (sql === undefined) {
    const visible = caller.kind === 'agency' ? '' : " and c.visibility = 'client'";
    sql = [
      `${childArray(mysql, 'account_parties', PARTY_FIELDS, 'c.account_id = accounts.id', 'c.id')} as parties_json`,
      `${childArray(mysql, 'account_balances', BALANCE_FIELDS, 'c.account_id = accounts.id', 'c.component')} as balances_json`,
      `${childArray(mysql, 'activity', ACTIVITY_FIELDS, `c.account_id = accounts.id${visible}`, 'c.occurred_at desc, c.id desc', 20)} as activity_json`,
    ].join(', ');
    paneColumnsCache.set(key, sql);
  }
  return sql;
}

const jsonArray = <T>(value: unknown): T[] => (value === null || value === undefined ? [] : typeof value === 'string' ? (JSON.parse(value) as T[]) : (value as T[]));

export async function getAccount(trx: Trx, caller: Caller, publicId: string) {
  const row = (await visibleAccounts(trx, caller)
    .join('clients', 'clients.id', 'accounts.client_id')
    .where('accounts.public_id', publicId)
    .first([...SUMMARY_COLUMNS, 'accounts.account_type', 'accounts.review_status', 'accounts.service_date', 'accounts.charge_off_date',
      'accounts.special_instructions', 'accounts.paid_to_date_cents', trx.raw(paneColumns(trx, caller))])) as
    | (SummaryRow & { accountType: string; reviewStatus: string; serviceDate: unknown; chargeOffDate: unknown; specialInstructions: string | null; paidToDateCents: number | string; partiesJson: unknown; balancesJson: unknown; activityJson: unknown })
    | undefined;
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
