/**
 * Writing placed accounts: the account, its parties, phones, balance components and the placement
 * row, for one placement or a chunk of spreadsheet rows, with multi-row INSERTs (a chunk of 500
 * costs a handful of statements, not thousands). Callers hand in a transaction: a row is placed
 * completely or not at all.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.js';
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { encodeBase32, newId } from '../platform/ids.js';
import { encrypt, lookupHash } from '../platform/crypto.js';
import { nameKey } from '../accounts/name-key.js';
import { displayName, type NormalizedPerson, type NormalizedPlacement } from './normalize.js';
import { agencyNumberKey, generatedAgencyNumber } from './agency-number.js';

export interface PlacementToWrite {
  value: NormalizedPlacement;
  rowNumber: number | null;
}

export interface WriteContext {
  clientId: number;
  userId: number | null;
  batchId: number | null;
  now: Date;
}

export interface WrittenPlacement { placementPublicId: string; accountId: number; rowNumber: number | null }

export const dedupeKey = (clientId: number, clientAccountNumber: string) => `${clientId}:${clientAccountNumber}`;

/**
 * Multi-row INSERT in slices that stay under both engines' statement limits. The rows must all have
 * the same keys (camelCase columns).
 */
export async function insertMany(trx: Trx, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  if (isMysql(trx)) {
    // One `VALUES ?` binding holding the rows as arrays: mysql2 escapes them in one pass (as a raw
    // mysql2 insert does), where a knex insert first normalises every row and mysql2 then scans
    // one `?` per value. Values are inlined (no prepared statement, so no 65,535-placeholder cap);
    // the bound is max_allowed_packet (16 MB by default), far above 2,000 rows of ours.
    const size = Math.max(1, Math.min(2000, Math.floor(60_000 / columns.length)));
    const sql = `INSERT INTO ?? (${columns.map(() => '??').join(', ')}) VALUES ?`;
    for (let i = 0; i < rows.length; i += size) {
      const values = rows.slice(i, i + size).map((r) => columns.map((c) => r[c] ?? null));
      await trx.raw(sql, [table, ...columns, values] as unknown as readonly Knex.RawBinding[]);
    }
    return;
  }
  // SQLite: knex inserts many rows as one compound SELECT, and SQLite allows 500 terms in one.
  const size = Math.max(1, Math.min(500, Math.floor(20_000 / columns.length)));
  for (let i = 0; i < rows.length; i += size) await trx(table).insert(rows.slice(i, i + size));
}

/**
 * Client account numbers (already normalised) that this client has placed or that the agency already
 * works for it: those rows are duplicates.
 */
export async function existingNumbers(trx: Trx, clientId: number, numbers: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(numbers)];
  for (let i = 0; i < unique.length; i += 1000) {
    const slice = unique.slice(i, i + 1000);
    // One round trip for both: placed (any status but taken back) and worked by the agency.
    const rows = (await trx('placements').whereIn('dedupe_key', slice.map((n) => dedupeKey(clientId, n))).select('client_account_number')
      .unionAll((q) => q.from('accounts').where('client_id', clientId).whereNot('review_status', 'rejected').whereIn('client_account_number', slice).select('client_account_number'))) as { clientAccountNumber: string }[];
    for (const r of rows) found.add(r.clientAccountNumber);
  }
  return found;
}

function partyRow(accountId: number, role: string, p: NormalizedPerson, config: Config) {
  return {
    accountId, role, firstName: p.firstName, middleName: p.middleName, lastName: p.lastName, suffix: p.suffix, dob: p.dob,
    ssnLast4: p.ssn ? p.ssn.slice(-4) : null,
    ssnEncrypted: p.ssn ? encrypt(p.ssn, config.secrets.dataKey) : null,
    ssnHash: p.ssn ? lookupHash(p.ssn, config.secrets.lookupKey) : null,
    address1: p.address?.address1 ?? null, address2: p.address?.address2 ?? null, city: p.address?.city ?? null,
    state: p.address?.state ?? null, zip: p.address?.zip ?? null,
    phones: JSON.stringify(p.phones), emails: JSON.stringify(p.email ? [p.email] : []), employer: p.employer,
  };
}

const ROLES = [['responsible', 'responsible'], ['spouse', 'spouse'], ['secondLocation', 'second_location'], ['patient', 'patient']] as const;

/**
 * Placed accounts get agency number `NR` + a keyed permutation of the id (agency-number.ts; accounts
 * placed before got `NR` + (1,000,000 + id), and the seed still numbers that way). That namespace — NR followed by digits,
 * in any case (MariaDB's collation compares case-insensitively, and number look-ups upper-case) —
 * belongs to the portal: nothing else may create an account in it, or a later placement would
 * collide with it on the unique index (see upsertAccount in the inbound API).
 */
export const GENERATED_AGENCY_NUMBER = /^NR\d+$/i;

/**
 * The agency number is derived from the row id, so an account is inserted with a stand-in that
 * insertAccounts replaces in the same transaction. Unique across processes (a random tag) and
 * increasing within one, so a chunk's stand-ins land side by side in the unique index instead of
 * on a random page each; "~" never starts a real agency number.
 */
const PLACEHOLDER_TAG = `~${encodeBase32(randomBytes(5))}`;
let placeholderSeq = 0;
const placeholderAgencyNumber = () => `${PLACEHOLDER_TAG}${(placeholderSeq++).toString(36).padStart(12, '0')}`;

/** One placement's rows, built (ids, encryption, name keys) before any transaction is open. */
export interface PreparedPlacement {
  rowNumber: number | null;
  clientAccountNumber: string;
  placementPublicId: string;
  account: Record<string, unknown>;
  /** the rows below get `accountId` once the account is inserted */
  parties: Record<string, unknown>[];
  phones: Record<string, unknown>[];
  balances: Record<string, unknown>[];
  placement: Record<string, unknown>;
  /** the permutation key of agency numbers (agency-number.ts), from the config the rows were prepared with */
  numberKey: number[];
}

/**
 * Builds every row of the placements — the CPU part of placing (random ids, SSN encryption and
 * lookup hashes, name keys) — so that a bulk run can do it for the next chunk while the database
 * still works on the previous one, and the transaction only sends statements.
 */
export function preparePlacements(config: Config, items: PlacementToWrite[], ctx: WriteContext): PreparedPlacement[] {
  const placedOn = ctx.now.toISOString().slice(0, 10);
  const numberKey = agencyNumberKey(config.secrets.lookupKey);
  return items.map(({ value: v, rowNumber }) => {
    const b = v.balance;
    const name = displayName(v.responsible);
    const publicId = newId('acct');
    const account = {
      publicId, clientId: ctx.clientId, agencyAccountNumber: placeholderAgencyNumber(), clientAccountNumber: v.clientAccountNumber,
      debtorName: name, debtorNameKey: nameKey(name), accountType: v.accountType, status: 'active', reviewStatus: 'pending_review',
      placedOn, serviceDate: v.serviceDate, chargeOffDate: v.chargeOffDate, lastActivityAt: ctx.now,
      balanceCents: b.principalCents + b.interestCents + b.feesCents + b.costsCents, paidToDateCents: 0, currency: 'USD',
      ssnLast4: v.responsible.ssn ? v.responsible.ssn.slice(-4) : null, routingNumber: null, checkNumber: null,
      specialInstructions: null, createdAt: ctx.now, updatedAt: ctx.now,
    };
    const parties: Record<string, unknown>[] = [];
    const phones: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const [key, role] of ROLES) {
      const p = v[key];
      if (!p) continue;
      parties.push(partyRow(0, role, p, config));
      for (const ph of p.phones) {
        if (seen.has(ph.number)) continue;
        seen.add(ph.number);
        phones.push({ accountId: 0, phone: ph.number });
      }
    }
    const balances = ([['principal', b.principalCents], ['interest', b.interestCents], ['fees', b.feesCents], ['costs', b.costsCents]] as const)
      .map(([component, cents]) => ({ accountId: 0, component, originalCents: cents, currentCents: cents }));
    const placementPublicId = newId('plc');
    const placement = {
      publicId: placementPublicId, clientId: ctx.clientId, accountId: 0, batchId: ctx.batchId, rowNumber, status: 'pending_review',
      clientAccountNumber: v.clientAccountNumber, dedupeKey: dedupeKey(ctx.clientId, v.clientAccountNumber), comments: v.comments,
      placedByUserId: ctx.userId, reviewedByUserId: null, reviewedAt: null, rejectReason: null, createdAt: ctx.now,
    };
    return { rowNumber, clientAccountNumber: v.clientAccountNumber, placementPublicId, account, parties, phones, balances, placement, numberKey };
  });
}

/**
 * MySQL/MariaDB give the rows of one multi-row INSERT consecutive ids (first = insertId, then
 * + auto_increment_increment) when innodb_autoinc_lock_mode is 0 or 1 (MariaDB's default; not
 * Galera's 2, nor MySQL 8's default 2). Then the ids need no query; otherwise: null.
 */
const idSteps = new WeakMap<object, Promise<number | null>>();
function consecutiveIdStep(trx: Trx): Promise<number | null> {
  const key = trx.client.config as object;
  let step = idSteps.get(key);
  if (!step) {
    step = trx.raw('SELECT @@innodb_autoinc_lock_mode AS mode, @@auto_increment_increment AS step').then((r) => {
      const row = (r as [{ mode: number | string; step: number | string }[]])[0][0]!;
      return Number(row.mode) <= 1 ? Number(row.step) : null;
    });
    step.catch(() => idSteps.delete(key)); // asked again next time
    idSteps.set(key, step);
  }
  return step;
}

/**
 * Inserts accounts and answers their ids, in order. The agency number is derived from the id, so
 * until it is known a stand-in (placeholderAgencyNumber) holds the slot; it is set here, in the same
 * transaction.
 */
async function insertAccounts(trx: Trx, accounts: Record<string, unknown>[], numberKey: number[]): Promise<number[]> {
  const step = isMysql(trx) ? await consecutiveIdStep(trx) : null;
  const size = step === null ? 500 : 1000; // SQLite: 500 terms in a compound SELECT
  const ids: number[] = [];
  for (let i = 0; i < accounts.length; i += size) {
    const slice = accounts.slice(i, i + size);
    let sliceIds: number[];
    if (step !== null) {
      const [first] = (await trx('accounts').insert(slice)) as number[];
      sliceIds = slice.map((_, j) => Number(first) + j * step);
    } else {
      await trx('accounts').insert(slice);
      const rows = (await trx('accounts').whereIn('public_id', slice.map((a) => a.publicId as string)).select('id', 'public_id')) as { id: number; publicId: string }[];
      const idOf = new Map(rows.map((r) => [r.publicId, Number(r.id)]));
      sliceIds = slice.map((a) => idOf.get(a.publicId as string)!);
    }
    const numbers = sliceIds.flatMap((id) => [id, generatedAgencyNumber(id, numberKey)]);
    const update = trx('accounts').update({ agencyAccountNumber: trx.raw(`CASE id ${sliceIds.map(() => 'WHEN ? THEN ?').join(' ')} END`, numbers) });
    // consecutive ids: a range, which holds exactly this INSERT's rows
    await (step === 1 ? update.whereBetween('id', [sliceIds[0]!, sliceIds[sliceIds.length - 1]!]) : update.whereIn('id', sliceIds));
    ids.push(...sliceIds);
  }
  return ids;
}

/** Inserts prepared placements: the accounts first (their ids are needed), then everything that points at them. */
export async function insertPrepared(trx: Trx, prepared: PreparedPlacement[]): Promise<WrittenPlacement[]> {
  if (!prepared.length) return [];
  const ids = await insertAccounts(trx, prepared.map((p) => p.account), prepared[0]!.numberKey);
  const parties: Record<string, unknown>[] = [];
  const phones: Record<string, unknown>[] = [];
  const balances: Record<string, unknown>[] = [];
  const placements: Record<string, unknown>[] = [];
  prepared.forEach((p, i) => {
    const accountId = ids[i]!;
    for (const [rows, into] of [[p.parties, parties], [p.phones, phones], [p.balances, balances], [[p.placement], placements]] as const) {
      for (const r of rows) {
        r.accountId = accountId;
        into.push(r);
      }
    }
  });
  await insertMany(trx, 'account_parties', parties);
  await insertMany(trx, 'account_phones', phones);
  await insertMany(trx, 'account_balances', balances);
  await insertMany(trx, 'placements', placements);
  return prepared.map((p, i) => ({ placementPublicId: p.placementPublicId, accountId: ids[i]!, rowNumber: p.rowNumber }));
}

export async function writePlacements(trx: Trx, config: Config, items: PlacementToWrite[], ctx: WriteContext): Promise<WrittenPlacement[]> {
  return insertPrepared(trx, preparePlacements(config, items, ctx));
}
