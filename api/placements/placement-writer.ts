/**
 * Writing placed accounts: the account, its parties, phones, balance components and the placement
 * row, for one placement or a chunk of spreadsheet rows, with multi-row INSERTs (a chunk of 500
 * costs a handful of statements, not thousands). Callers hand in a transaction: a row is placed
 * completely or not at all.
 */
import type { Config } from '../config.js';
import type { Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { encrypt, lookupHash } from '../platform/crypto.js';
import { nameKey } from '../accounts/name-key.js';
import { displayName, type NormalizedPerson, type NormalizedPlacement } from './normalize.js';

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

/** Multi-row INSERT in slices that stay under both engines' bound-parameter limits. */
export async function insertMany(trx: Trx, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  // SQLite: knex inserts many rows as one compound SELECT, and SQLite allows 500 terms in one.
  const size = Math.max(1, Math.min(isMysql(trx) ? 5000 : 500, Math.floor(20_000 / Object.keys(rows[0]!).length)));
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
    const [placed, worked] = (await Promise.all([
      trx('placements').whereIn('dedupe_key', slice.map((n) => dedupeKey(clientId, n))).select('client_account_number'),
      trx('accounts').where('client_id', clientId).whereNot('review_status', 'rejected').whereIn('client_account_number', slice).select('client_account_number'),
    ])) as [{ clientAccountNumber: string }[], { clientAccountNumber: string }[]];
    for (const r of [...placed, ...worked]) found.add(r.clientAccountNumber);
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

export async function writePlacements(trx: Trx, config: Config, items: PlacementToWrite[], ctx: WriteContext): Promise<WrittenPlacement[]> {
  if (!items.length) return [];
  const placedOn = ctx.now.toISOString().slice(0, 10);
  // The agency number is derived from the row id below; until then the (unique) public id holds the slot.
  const accounts = items.map(({ value: v }) => {
    const b = v.balance;
    const name = displayName(v.responsible);
    const publicId = newId('acct');
    return {
      publicId, clientId: ctx.clientId, agencyAccountNumber: publicId, clientAccountNumber: v.clientAccountNumber,
      debtorName: name, debtorNameKey: nameKey(name), accountType: v.accountType, status: 'active', reviewStatus: 'pending_review',
      placedOn, serviceDate: v.serviceDate, chargeOffDate: v.chargeOffDate, lastActivityAt: ctx.now,
      balanceCents: b.principalCents + b.interestCents + b.feesCents + b.costsCents, paidToDateCents: 0, currency: 'USD',
      ssnLast4: v.responsible.ssn ? v.responsible.ssn.slice(-4) : null, routingNumber: null, checkNumber: null,
      specialInstructions: null, createdAt: ctx.now, updatedAt: ctx.now,
    };
  });
  await insertMany(trx, 'accounts', accounts);
  const idRows = (await trx('accounts').whereIn('public_id', accounts.map((a) => a.publicId)).select('id', 'public_id')) as { id: number; publicId: string }[];
  const idOf = new Map(idRows.map((r) => [r.publicId, Number(r.id)]));
  const ids = accounts.map((a) => idOf.get(a.publicId)!);
  const agencyNumber = isMysql(trx) ? "CONCAT('NR', 1000000 + id)" : "'NR' || (1000000 + id)";
  for (let i = 0; i < ids.length; i += 1000) {
    await trx('accounts').whereIn('id', ids.slice(i, i + 1000)).update({ agencyAccountNumber: trx.raw(agencyNumber) });
  }

  const parties: Record<string, unknown>[] = [];
  const phones: Record<string, unknown>[] = [];
  const balances: Record<string, unknown>[] = [];
  const placements: Record<string, unknown>[] = [];
  const written: WrittenPlacement[] = [];
  items.forEach(({ value: v, rowNumber }, i) => {
    const accountId = ids[i]!;
    const seen = new Set<string>();
    for (const [key, role] of ROLES) {
      const p = v[key];
      if (!p) continue;
      parties.push(partyRow(accountId, role, p, config));
      for (const ph of p.phones) {
        if (seen.has(ph.number)) continue;
        seen.add(ph.number);
        phones.push({ accountId, phone: ph.number });
      }
    }
    const b = v.balance;
    for (const [component, cents] of [['principal', b.principalCents], ['interest', b.interestCents], ['fees', b.feesCents], ['costs', b.costsCents]] as const) {
      balances.push({ accountId, component, originalCents: cents, currentCents: cents });
    }
    const placementPublicId = newId('plc');
    placements.push({
      publicId: placementPublicId, clientId: ctx.clientId, accountId, batchId: ctx.batchId, rowNumber, status: 'pending_review',
      clientAccountNumber: v.clientAccountNumber, dedupeKey: dedupeKey(ctx.clientId, v.clientAccountNumber), comments: v.comments,
      placedByUserId: ctx.userId, reviewedByUserId: null, reviewedAt: null, rejectReason: null, createdAt: ctx.now,
    });
    written.push({ placementPublicId, accountId, rowNumber });
  });
  await insertMany(trx, 'account_parties', parties);
  await insertMany(trx, 'account_phones', phones);
  await insertMany(trx, 'account_balances', balances);
  await insertMany(trx, 'placements', placements);
  return written;
}
