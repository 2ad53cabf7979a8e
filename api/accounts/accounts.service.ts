/** Finding and reading accounts. Every query starts from `visibleAccounts` (tenancy in one place). */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { toDateOnly, toIso } from '../platform/db.js';
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

export async function searchAccounts(trx: Trx, caller: Caller, f: AccountSearch) {
  // Search lists worked accounts only; placements awaiting review live in the review queue.
  const rows = visibleAccounts(trx, caller).where('accounts.review_status', 'accepted');
  await applyFilters(trx, caller, rows, f);
  const count = rows.clone().clearSelect().count({ n: '*' });
  rows
    .join('clients', 'clients.id', 'accounts.client_id')
    .select(SUMMARY_COLUMNS)
    .orderBy(SORT_COLUMNS[f.sort], f.order)
    .orderBy('accounts.id', f.order)
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  const [data, [{ n }]] = (await Promise.all([rows, count])) as [SummaryRow[], { n: number | string }[]];
  return { data: data.map(toSummary), total: Number(n), page: f.page, pageSize: f.pageSize };
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

export async function getAccount(trx: Trx, caller: Caller, publicId: string) {
  const row = (await visibleAccounts(trx, caller)
    .join('clients', 'clients.id', 'accounts.client_id')
    .where('accounts.public_id', publicId)
    .first([...SUMMARY_COLUMNS, 'accounts.account_type', 'accounts.review_status', 'accounts.service_date', 'accounts.charge_off_date',
      'accounts.special_instructions', 'accounts.paid_to_date_cents'])) as
    | (SummaryRow & { accountType: string; reviewStatus: string; serviceDate: unknown; chargeOffDate: unknown; specialInstructions: string | null; paidToDateCents: number | string })
    | undefined;
  if (!row) throw notFound('Account');
  const [parties, balances, activity] = (await Promise.all([
    trx('account_parties').where({ accountId: row.id }).select(),
    trx('account_balances').where({ accountId: row.id }).select(),
    activityFor(trx, caller, row.id).select('public_id', 'type', 'visibility', 'body', 'actor_name', 'occurred_at').orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(20),
  ])) as [PartyRow[], { component: string; originalCents: number | string; currentCents: number | string }[], ActivityRow[]];
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
