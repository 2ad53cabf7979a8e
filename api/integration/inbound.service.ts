/**
 * Applying one inbound record of each kind. Each function reads the stored row (a locking read on
 * MySQL, so concurrent batches serialise per row), compares it with the record, and writes only
 * what differs — with one audit row and one event per change, in the caller's transaction. The
 * same record sent twice therefore changes nothing, writes no audit row and emits no event.
 */
import type { Knex } from 'knex';
import type { Trx } from '../platform/db.js';
import { isMysql, toDateOnly, toIso } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { writeAudit } from '../platform/audit.js';
import { appendEvent } from '../platform/events.js';
import { encrypt, lookupHash } from '../platform/crypto.js';
import { nameKey } from '../accounts/name-key.js';
import { GENERATED_AGENCY_NUMBER } from '../placements/placement-writer.js';
import { appendCorrection, ledgerDeltas, type ComponentCents } from '../ledger/ledger-entries.js';
import { recordError, type ApplyContext, type Outcome } from './inbound.batch.js';
import type { AccountInput, ActivityInput, BalanceInput, ClientInput, PartyInput, StatusInput } from './inbound.schema.js';

/** A read that locks the row on MySQL (SQLite has one writer, so it needs no lock). */
function locking(trx: Trx, q: Knex.QueryBuilder): Knex.QueryBuilder {
  return isMysql(trx) ? q.forUpdate() : q;
}

/** The fields of `next` (defined ones only) whose value differs from `current`. */
function changes(current: Record<string, unknown>, next: Record<string, unknown>): string[] {
  return Object.keys(next).filter((k) => next[k] !== undefined && JSON.stringify(current[k] ?? null) !== JSON.stringify(next[k]));
}

const pick = <T extends object>(obj: T, keys: string[]) =>
  Object.fromEntries(keys.map((k) => [k, (obj as Record<string, unknown>)[k]]));

async function audit(trx: Trx, ctx: ApplyContext, action: string, target: { type: string; id: string }, before?: unknown, after?: unknown) {
  await writeAudit(trx, { actor: ctx.meta.actor, action, target, ip: ctx.meta.ip, requestId: ctx.meta.requestId, before, after });
}

// ── clients ────────────────────────────────────────────────────────────────────────────────

interface ClientRow { id: number; publicId: string; code: string; name: string; kind: string; status: string }

export async function upsertClient(trx: Trx, input: ClientInput, ctx: ApplyContext): Promise<Outcome> {
  const cur = (await locking(trx, trx('clients').where({ code: input.code })).first()) as ClientRow | undefined;
  const next = { name: input.name, kind: input.kind, status: input.status };
  if (!cur) {
    if (!input.name || !input.kind) throw recordError('missing_fields', 'A new client needs name and kind.', input.name ? 'kind' : 'name');
    const publicId = newId('cli');
    await trx('clients').insert({ publicId, code: input.code, name: input.name, kind: input.kind, status: input.status ?? 'active', createdAt: ctx.now });
    const id = ((await trx('clients').where({ publicId }).first('id')) as { id: number }).id;
    await audit(trx, ctx, 'client.create', { type: 'client', id: publicId }, undefined, { code: input.code, ...next });
    await appendEvent(trx, { type: 'client.created', clientId: id, accountId: null, visibility: 'internal', payload: { clientId: publicId, code: input.code, ...next }, actor: ctx.meta.actor });
    return { status: 'created', id: publicId };
  }
  const changed = changes(cur as unknown as Record<string, unknown>, next);
  if (!changed.length) return { status: 'unchanged', id: cur.publicId };
  await trx('clients').where({ id: cur.id }).update(pick(next, changed));
  await audit(trx, ctx, 'client.update', { type: 'client', id: cur.publicId }, pick(cur, changed), pick(next, changed));
  await appendEvent(trx, { type: 'client.updated', clientId: cur.id, accountId: null, visibility: 'internal', payload: { clientId: cur.publicId, code: cur.code, changed: pick(next, changed) }, actor: ctx.meta.actor });
  return { status: 'updated', id: cur.publicId };
}

// ── accounts ───────────────────────────────────────────────────────────────────────────────

interface AccountRow {
  id: number; publicId: string; clientId: number; agencyAccountNumber: string; clientAccountNumber: string; debtorName: string;
  accountType: string; status: string; placedOn: unknown; serviceDate: unknown; chargeOffDate: unknown; routingNumber: string | null;
  checkNumber: string | null; specialInstructions: string | null; lastActivityAt: unknown;
}

const ACCOUNT_FIELDS = ['clientAccountNumber', 'debtorName', 'accountType', 'placedOn', 'serviceDate', 'chargeOffDate', 'routingNumber', 'checkNumber', 'specialInstructions'] as const;

function accountView(row: AccountRow): Record<string, unknown> {
  return {
    ...pick(row, [...ACCOUNT_FIELDS]),
    placedOn: toDateOnly(row.placedOn), serviceDate: toDateOnly(row.serviceDate), chargeOffDate: toDateOnly(row.chargeOffDate),
  };
}

async function findAccount(trx: Trx, agencyAccountNumber: string, path = 'agencyAccountNumber'): Promise<AccountRow> {
  const row = (await locking(trx, trx('accounts').where({ agencyAccountNumber })).first()) as AccountRow | undefined;
  if (!row) throw recordError('account_not_found', `No account has agency account number ${agencyAccountNumber}.`, path);
  return row;
}

async function touchAccount(trx: Trx, account: AccountRow, ctx: ApplyContext, activityAt?: Date) {
  const update: Record<string, unknown> = { updatedAt: ctx.now };
  const last = account.lastActivityAt ? Date.parse(toIso(account.lastActivityAt)!) : 0;
  if (activityAt && activityAt.getTime() > last) update.lastActivityAt = activityAt;
  await trx('accounts').where({ id: account.id }).update(update);
}

export async function upsertAccount(trx: Trx, input: AccountInput, ctx: ApplyContext): Promise<Outcome> {
  const next: Record<string, unknown> = pick(input, [...ACCOUNT_FIELDS]);
  let account = (await locking(trx, trx('accounts').where({ agencyAccountNumber: input.agencyAccountNumber })).first()) as AccountRow | undefined;
  let created = false;
  let changed = false;
  if (!account) {
    const missing = (['clientCode', 'clientAccountNumber', 'debtorName', 'accountType', 'placedOn'] as const).filter((k) => !input[k]);
    if (missing.length) throw recordError('missing_fields', `A new account needs ${missing.join(', ')}.`, missing[0]);
    // Updating a portal-placed account by its NR number is fine; creating one there would take the
    // number a future placement derives from its id, and that placement would then fail.
    if (GENERATED_AGENCY_NUMBER.test(input.agencyAccountNumber)) {
      throw recordError('reserved_account_number', `Agency account numbers of the form NR followed by digits are assigned by the portal to placed accounts; choose a number outside that range for ${input.agencyAccountNumber}.`, 'agencyAccountNumber');
    }
    const client = (await trx('clients').where({ code: input.clientCode }).first('id', 'public_id')) as { id: number; publicId: string } | undefined;
    if (!client) throw recordError('client_not_found', `No client has code ${input.clientCode}.`, 'clientCode');
    const publicId = newId('acct');
    await trx('accounts').insert({
      publicId, clientId: client.id, agencyAccountNumber: input.agencyAccountNumber, clientAccountNumber: input.clientAccountNumber,
      debtorName: input.debtorName, debtorNameKey: nameKey(input.debtorName!), accountType: input.accountType,
      status: input.status ?? 'active', reviewStatus: 'accepted', placedOn: input.placedOn, serviceDate: input.serviceDate ?? null,
      chargeOffDate: input.chargeOffDate ?? null, balanceCents: 0, paidToDateCents: 0, currency: 'USD',
      routingNumber: input.routingNumber ?? null, checkNumber: input.checkNumber ?? null, specialInstructions: input.specialInstructions ?? null,
      lastActivityAt: null, createdAt: ctx.now, updatedAt: ctx.now,
    });
    account = (await trx('accounts').where({ publicId }).first()) as AccountRow;
    await audit(trx, ctx, 'account.create', { type: 'account', id: publicId }, undefined, { agencyAccountNumber: input.agencyAccountNumber, clientCode: input.clientCode, status: account.status, ...accountView(account) });
    await appendEvent(trx, {
      type: 'account.created', clientId: client.id, accountId: account.id, visibility: 'client', actor: ctx.meta.actor,
      payload: { accountId: publicId, agencyAccountNumber: input.agencyAccountNumber, clientAccountNumber: input.clientAccountNumber, status: account.status },
    });
    created = true;
  } else {
    if (input.clientCode) {
      const client = (await trx('clients').where({ id: account.clientId }).first('code')) as { code: string };
      if (client.code !== input.clientCode) throw recordError('client_mismatch', `Account ${input.agencyAccountNumber} belongs to client ${client.code}; accounts do not move between clients.`, 'clientCode');
    }
    const diff = changes(accountView(account), next);
    if (diff.length) {
      const update = pick(next, diff);
      if (diff.includes('debtorName')) update.debtorNameKey = nameKey(input.debtorName!);
      await trx('accounts').where({ id: account.id }).update({ ...update, updatedAt: ctx.now });
      await audit(trx, ctx, 'account.update', { type: 'account', id: account.publicId }, pick(accountView(account), diff), pick(next, diff));
      await appendEvent(trx, {
        type: 'account.updated', clientId: account.clientId, accountId: account.id, visibility: 'client', actor: ctx.meta.actor,
        payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, changed: pick(next, diff) },
      });
      changed = true;
    }
    if (input.status) changed = (await applyStatus(trx, account, input.status, null, ctx)) || changed;
  }
  for (const party of input.parties ?? []) changed = (await applyParty(trx, account, party, ctx)) || changed;
  for (const balance of input.balances ?? []) changed = (await applyBalance(trx, account, balance, ctx)) || changed;
  return { status: created ? 'created' : changed ? 'updated' : 'unchanged', id: account.publicId };
}

// ── status changes ─────────────────────────────────────────────────────────────────────────

async function applyStatus(trx: Trx, account: AccountRow, status: string, reason: string | null | undefined, ctx: ApplyContext): Promise<boolean> {
  const current = ((await trx('accounts').where({ id: account.id }).first('status')) as { status: string }).status;
  if (current === status) return false;
  const body = `Status changed to ${status.replace(/_/g, ' ')}.${reason ? ` ${reason}` : ''}`;
  await trx('accounts').where({ id: account.id }).update({ status });
  await trx('activity').insert({ publicId: newId('act'), accountId: account.id, type: 'status_change', visibility: 'client', body, actorUserId: null, actorName: ctx.integration.name, occurredAt: ctx.now });
  await touchAccount(trx, account, ctx, ctx.now);
  await audit(trx, ctx, 'account.status', { type: 'account', id: account.publicId }, { status: current }, { status, reason: reason ?? null });
  await appendEvent(trx, {
    type: 'account.status_changed', clientId: account.clientId, accountId: account.id, visibility: 'client', actor: ctx.meta.actor,
    payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, from: current, to: status, reason: reason ?? null },
  });
  return true;
}

export async function upsertStatus(trx: Trx, input: StatusInput, ctx: ApplyContext): Promise<Outcome> {
  const account = await findAccount(trx, input.agencyAccountNumber);
  const changed = await applyStatus(trx, account, input.status, input.reason, ctx);
  return { status: changed ? 'updated' : 'unchanged', id: account.publicId };
}

// ── parties ────────────────────────────────────────────────────────────────────────────────

interface PartyRow {
  id: number; role: string; firstName: string; middleName: string | null; lastName: string; suffix: string | null; dob: unknown;
  ssnHash: string | null; address1: string | null; address2: string | null; city: string | null; state: string | null; zip: string | null;
  phones: string | null; emails: string | null; employer: string | null;
}

const PARTY_FIELDS = ['firstName', 'middleName', 'lastName', 'suffix', 'dob', 'address1', 'address2', 'city', 'state', 'zip', 'phones', 'emails', 'employer'] as const;

type PartyFieldsInput = Omit<PartyInput, 'agencyAccountNumber'>;

async function applyParty(trx: Trx, account: AccountRow, input: PartyFieldsInput, ctx: ApplyContext): Promise<boolean> {
  const cur = (await trx('account_parties').where({ accountId: account.id, role: input.role }).orderBy('id').first()) as PartyRow | undefined;
  const next: Record<string, unknown> = pick(input, [...PARTY_FIELDS]);
  // The SSN is compared by its keyed hash: the stored value is encrypted and never read back here.
  if (input.ssn !== undefined) next.ssnHash = input.ssn === null ? null : lookupHash(input.ssn, ctx.config.secrets.lookupKey);
  const view: Record<string, unknown> | null = cur
    ? { ...pick(cur, [...PARTY_FIELDS]), dob: toDateOnly(cur.dob), ssnHash: cur.ssnHash, phones: JSON.parse(cur.phones ?? '[]'), emails: JSON.parse(cur.emails ?? '[]') }
    : null;
  const diff = view ? changes(view, next) : Object.keys(next).filter((k) => next[k] !== undefined);
  if (view && !diff.length) return false;
  if (!cur && (!input.firstName || !input.lastName)) throw recordError('missing_fields', 'A new party needs firstName and lastName.', input.firstName ? 'lastName' : 'firstName');
  const row: Record<string, unknown> = pick(next, diff.filter((k) => k !== 'ssnHash'));
  if (row.phones !== undefined) row.phones = JSON.stringify(row.phones);
  if (row.emails !== undefined) row.emails = JSON.stringify(row.emails);
  if (diff.includes('ssnHash')) {
    Object.assign(row, input.ssn
      ? { ssnHash: next.ssnHash, ssnEncrypted: encrypt(input.ssn, ctx.config.secrets.dataKey), ssnLast4: input.ssn.slice(-4) }
      : { ssnHash: null, ssnEncrypted: null, ssnLast4: null });
  }
  if (cur) await trx('account_parties').where({ id: cur.id }).update(row);
  else await trx('account_parties').insert({ phones: '[]', emails: '[]', ...row, accountId: account.id, role: input.role });
  if (diff.includes('phones')) await syncPhones(trx, account.id);
  if (input.role === 'responsible' && diff.includes('ssnHash')) {
    await trx('accounts').where({ id: account.id }).update({ ssnLast4: input.ssn ? input.ssn.slice(-4) : null });
  }
  await touchAccount(trx, account, ctx);
  // Field names only: contact data and SSNs stay out of the audit trail and the event feed.
  const fields = diff.map((k) => (k === 'ssnHash' ? 'ssn' : k));
  await audit(trx, ctx, cur ? 'party.update' : 'party.create', { type: 'account', id: account.publicId }, undefined, { role: input.role, fields });
  await appendEvent(trx, {
    type: 'account.contact_updated', clientId: account.clientId, accountId: account.id, visibility: 'client', actor: ctx.meta.actor,
    payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, role: input.role, fields },
  });
  return true;
}

/** account_phones mirrors every phone of every party of the account (phone search reads it). */
async function syncPhones(trx: Trx, accountId: number) {
  const parties = (await trx('account_parties').where({ accountId }).select('phones')) as { phones: string | null }[];
  const numbers = new Set(parties.flatMap((p) => (JSON.parse(p.phones ?? '[]') as { number: string }[]).map((n) => n.number)));
  await trx('account_phones').where({ accountId }).delete();
  if (numbers.size) await trx('account_phones').insert([...numbers].map((phone) => ({ accountId, phone })));
}

export async function upsertParty(trx: Trx, input: PartyInput, ctx: ApplyContext): Promise<Outcome> {
  const account = await findAccount(trx, input.agencyAccountNumber);
  const changed = await applyParty(trx, account, input, ctx);
  return { status: changed ? 'updated' : 'unchanged', id: account.publicId };
}

// ── balances ───────────────────────────────────────────────────────────────────────────────

async function applyBalance(trx: Trx, account: AccountRow, input: Omit<BalanceInput, 'agencyAccountNumber'>, ctx: ApplyContext): Promise<boolean> {
  const cur = (await trx('account_balances').where({ accountId: account.id, component: input.component }).first()) as
    | { originalCents: number | string; currentCents: number | string } | undefined;
  if (cur && Number(cur.originalCents) === input.originalCents && Number(cur.currentCents) === input.currentCents) return false;
  // The balance moves only through the ledger (issue 22): lock the account, then enter the difference
  // between the current amount sent and what placement + ledger say as a correction row.
  const lock = trx('accounts').where({ id: account.id });
  if (isMysql(trx)) lock.forUpdate();
  const { currency } = (await lock.first('currency')) as { currency: string };
  const values = { originalCents: input.originalCents, currentCents: input.currentCents };
  if (cur) await trx('account_balances').where({ accountId: account.id, component: input.component }).update(values);
  else await trx('account_balances').insert({ accountId: account.id, component: input.component, ...values });
  const sum = (await trx('account_balances').where({ accountId: account.id }).sum({ total: 'current_cents' })) as { total: number | string | null }[];
  const balanceCents = Number(sum[0]?.total ?? 0);
  const posted = await ledgerDeltas(trx, account.id);
  const deltas: ComponentCents = { principal: 0, interest: 0, fees: 0, costs: 0 };
  deltas[input.component] = input.currentCents - input.originalCents - posted[input.component];
  await appendCorrection(trx, {
    accountId: account.id, clientId: account.clientId, currency, deltas, balanceAfterCents: balanceCents,
    effectiveOn: ctx.now.toISOString().slice(0, 10), reason: `Balance (${input.component}) sent by the collection system.`,
    reference: ctx.meta.actor.id ?? null, now: ctx.now,
  });
  await trx('accounts').where({ id: account.id }).update({ balanceCents, updatedAt: ctx.now });
  const before = cur ? { originalCents: Number(cur.originalCents), currentCents: Number(cur.currentCents) } : undefined;
  await audit(trx, ctx, 'balance.upsert', { type: 'account', id: account.publicId }, before && { component: input.component, ...before }, { component: input.component, ...values });
  await appendEvent(trx, {
    type: 'account.balance_updated', clientId: account.clientId, accountId: account.id, visibility: 'client', actor: ctx.meta.actor,
    payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, component: input.component, ...values, balanceCents },
  });
  return true;
}

export async function upsertBalance(trx: Trx, input: BalanceInput, ctx: ApplyContext): Promise<Outcome> {
  const account = await findAccount(trx, input.agencyAccountNumber);
  const changed = await applyBalance(trx, account, input, ctx);
  return { status: changed ? 'updated' : 'unchanged', id: account.publicId };
}

// ── activity ───────────────────────────────────────────────────────────────────────────────

interface ActivityRow { id: number; publicId: string; accountId: number; type: string; visibility: string; body: string; actorName: string; occurredAt: unknown }

export async function upsertActivity(trx: Trx, input: ActivityInput, ctx: ApplyContext): Promise<Outcome> {
  const account = await findAccount(trx, input.agencyAccountNumber);
  const cur = (await locking(trx, trx('activity').where({ externalId: input.externalId })).first()) as ActivityRow | undefined;
  const occurredAt = new Date(input.occurredAt);
  const next = { type: input.type, visibility: input.visibility, body: input.body, actorName: input.actorName ?? ctx.integration.name, occurredAt: occurredAt.toISOString() };
  if (cur) {
    if (cur.accountId !== account.id) throw recordError('external_id_conflict', `Activity ${input.externalId} belongs to another account.`, 'externalId');
    const diff = changes({ ...cur, occurredAt: toIso(cur.occurredAt) }, next);
    if (!diff.length) return { status: 'unchanged', id: cur.publicId };
    const update: Record<string, unknown> = pick(next, diff);
    if (update.occurredAt) update.occurredAt = occurredAt;
    await trx('activity').where({ id: cur.id }).update(update);
    await touchAccount(trx, account, ctx, occurredAt);
    await audit(trx, ctx, 'activity.update', { type: 'activity', id: cur.publicId }, pick({ ...cur, occurredAt: toIso(cur.occurredAt) }, diff), pick(next, diff));
    // An entry that becomes internal is announced as internal: its text must not reach the client.
    const visibility = next.visibility === 'client' && cur.visibility === 'client' ? 'client' : 'internal';
    await appendEvent(trx, {
      type: 'account.activity_updated', clientId: account.clientId, accountId: account.id, visibility, actor: ctx.meta.actor,
      payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, activityId: cur.publicId, externalId: input.externalId, ...next },
    });
    return { status: 'updated', id: cur.publicId };
  }
  const publicId = newId('act');
  await trx('activity').insert({ publicId, accountId: account.id, externalId: input.externalId, ...next, occurredAt, actorUserId: null });
  await touchAccount(trx, account, ctx, occurredAt);
  await audit(trx, ctx, 'activity.create', { type: 'activity', id: publicId }, undefined, { externalId: input.externalId, type: input.type, visibility: input.visibility });
  await appendEvent(trx, {
    type: 'account.activity_added', clientId: account.clientId, accountId: account.id, visibility: input.visibility, actor: ctx.meta.actor,
    payload: { accountId: account.publicId, agencyAccountNumber: account.agencyAccountNumber, activityId: publicId, externalId: input.externalId, ...next },
  });
  return { status: 'created', id: publicId };
}
