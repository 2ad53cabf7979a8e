/**
 * The demo agency, "Northwind Recovery": clients, roles, demo users and N accounts (5,000 by
 * default) with parties, balance components and an activity history. Deterministic: the same N
 * gives the same data everywhere. `seed --accounts 1000000` scales it for benchmarks: rows are built
 * per batch of accounts and written with multi-row inserts, never a query per account.
 *
 * An account seeded `disputed` has the dispute behind it, as the disputes service would have written
 * it (compliance/disputes.service.ts): an open record holding an account that was active, and its
 * client-visible timeline entry. No inbox task: the seed writes none (nor for the placements awaiting
 * review), so the demo inbox starts empty and fills with what the visitor does.
 */
import type { Db, Trx } from '../platform/db.js';
import { isMysql } from '../platform/db.js';
import { newId } from '../platform/ids.js';
import { encrypt, lookupHash } from '../platform/crypto.js';
import { DEFAULT_ROLES } from '../platform/permissions.js';
import { nameKey } from '../accounts/name-key.js';
import { createUser } from '../users/users.service.js';
import { putSetting } from '../settings/settings.service.js';
import type { Config } from '../config.js';
import { describeDispute, ON_HOLD, type DisputeReason } from '../compliance/disputes.service.js';
import { Rng } from './rng.js';
import { seedDocuments } from './documents.js';
import {
  COLLECTOR_NOTES_CLIENT, COLLECTOR_NOTES_INTERNAL, EMPLOYERS, FIRST_NAMES, LAST_NAMES, MIDDLE_INITIALS, PLACES, STREETS,
} from './demo-data.js';

export const DEMO_CLIENTS = [
  { code: 'SBRH', name: 'St. Brigid Regional Hospital', kind: 'hospital', accountType: 'medical', prefix: 'SB' },
  { code: 'LFC', name: 'Lakeside Family Clinic', kind: 'clinic', accountType: 'medical', prefix: 'LF' },
  { code: 'CPL', name: 'Cascade Power & Light', kind: 'utility', accountType: 'utility', prefix: 'CP' },
  { code: 'KIS', name: 'Keystone Industrial Supply', kind: 'b2b', accountType: 'commercial', prefix: 'KI' },
] as const;

export const DEMO_USERS = [
  { username: 'demo.client', password: 'Cascade-Demo-2026!', firstName: 'Dana', lastName: 'Whitfield', email: 'dana.whitfield@cascadepower.example', roleKey: 'client_manager', clientCodes: ['CPL'], shows: 'one client: Cascade Power & Light (utility)' },
  { username: 'demo.group', password: 'Brigid-Group-2026!', firstName: 'Grace', lastName: 'Okonkwo', email: 'grace.okonkwo@stbrigid.example', roleKey: 'client_manager', clientCodes: ['SBRH', 'LFC'], shows: 'a hospital group: St. Brigid Regional Hospital + Lakeside Family Clinic' },
  { username: 'demo.agency', password: 'Northwind-Admin-2026!', firstName: 'Alex', lastName: 'Mercer', email: 'alex.mercer@northwind-recovery.example', roleKey: 'agency_admin', clientCodes: [], shows: 'agency admin: every client, internal notes, all settings' },
] as const;

const STATUS_WEIGHTS = { active: 60, hold: 5, paid: 9, settled: 5, recalled: 4, disputed: 4, bankrupt: 2, deceased: 1, closed: 6, business_closed: 0 };
const EPOCH = Date.UTC(2026, 10, 1); // data is "as of" 1 Nov 2026 so it does not drift with the clock
const DAY = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** ABA routing number with a valid checksum (3-7-1 weights). */
function routingNumber(rng: Rng): string {
  const d = Array.from({ length: 8 }, () => rng.int(0, 9));
  d[0] = rng.int(0, 1);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]!);
  return d.join('') + String((10 - (sum % 10)) % 10);
}

/** What a debtor wrote with a dispute, by reason ("other" always has words). */
const DISPUTE_WORDS: Record<DisputeReason, string> = {
  not_mine: 'I never had an account with them.',
  wrong_amount: 'The amount is higher than what I was billed.',
  already_paid: 'I paid this in full and have the receipt.',
  identity_theft: 'Someone opened this in my name; I filed a police report.',
  not_owed: 'The service was never provided.',
  other: 'I was told this balance had been written off.',
};
const DISPUTE_REASON_WEIGHTS: Record<DisputeReason, number> = { not_mine: 25, wrong_amount: 25, already_paid: 20, not_owed: 15, identity_theft: 5, other: 10 };

/** The dispute of a seeded `disputed` account: all of the balance, or part of it when the amount is what is disputed. */
function seededDispute(rng: Rng, balance: number) {
  const reasonCode = rng.weighted(DISPUTE_REASON_WEIGHTS);
  const scope = reasonCode === 'wrong_amount' ? ('part' as const) : ('all' as const);
  const disputedAmountCents = scope === 'part' ? Math.max(1, Math.floor((balance * rng.int(10, 60)) / 100)) : balance;
  const reason = reasonCode === 'other' || rng.chance(0.5) ? DISPUTE_WORDS[reasonCode] : null;
  const via = rng.chance(0.6) ? ('debtor' as const) : ('agency' as const);
  return { kind: 'dispute' as const, reasonCode, scope, disputedAmountCents, reason, via };
}

function ssn(rng: Rng): string {
  return `${rng.int(100, 665)}${String(rng.int(1, 99)).padStart(2, '0')}${String(rng.int(1, 9999)).padStart(4, '0')}`;
}

export interface SeedOptions {
  accounts: number;
  seed?: number;
  log?: (line: string) => void;
}

async function insertChunked(db: Trx, table: string, rows: object[], size: number): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await db(table).insert(rows.slice(i, i + size));
}

async function seedBase(trx: Trx, config: Config): Promise<Map<string, number>> {
  const t = new Date(EPOCH);
  const rng = new Rng(1);
  for (const role of DEFAULT_ROLES) {
    await trx('roles').insert({ publicId: newId('role', () => rng.bytes(16)), key: role.key, name: role.name, scope: role.scope, permissions: JSON.stringify(role.permissions), createdAt: t });
  }
  const clientIds = new Map<string, number>();
  for (const c of DEMO_CLIENTS) {
    await trx('clients').insert({ publicId: newId('cli', () => rng.bytes(16)), code: c.code, name: c.name, kind: c.kind, status: 'active', createdAt: t });
    clientIds.set(c.code, ((await trx('clients').where({ code: c.code }).first('id')) as { id: number }).id);
  }
  for (const u of DEMO_USERS) {
    await createUser(trx, { ...u, clientCodes: [...u.clientCodes], onboarded: true }, config.scryptCost, { type: 'system', id: 'seed' });
  }
  await putSetting(trx, 'support_contact', { phone: '(503) 555-0100', email: 'clientsupport@northwind-recovery.example', hours: 'Mon–Fri 8 am–6 pm Pacific' });
  return clientIds;
}

/** Seeds an empty database. Refuses to touch one that already has clients. */
export async function seed(db: Db, config: Config, options: SeedOptions): Promise<void> {
  const log = options.log ?? (() => {});
  if (await db('clients').first('id')) throw new Error('The database already has data; seed runs only on an empty database.');
  const clientIds = await db.transaction((trx) => seedBase(trx, config));
  const userRows = (await db('users').select('id', 'public_id', 'username')) as { id: number; publicId: string; username: string }[];
  const agencyUser = userRows.find((u) => u.username === 'demo.agency')!;
  const agencyUserId = agencyUser.id;
  const rng = new Rng(options.seed ?? 20261123);
  // Disputes draw from a stream of their own, so that adding them left every other seeded value as it was.
  const disputeRng = new Rng((options.seed ?? 20261123) ^ 0x0d15b07e);
  // Ledger rows too have a stream of their own (issue 22), leaving every earlier seeded value as it was.
  const ledgerRng = new Rng((options.seed ?? 20261123) ^ 0x1ed6e5);
  const chunk = isMysql(db) ? 2000 : 500;
  const batchSize = 5000;
  let actId = 1;
  let partyId = 1;
  for (let start = 0; start < options.accounts; start += batchSize) {
    const accounts: object[] = [];
    const parties: object[] = [];
    const phones: object[] = [];
    const balances: object[] = [];
    const activity: object[] = [];
    const disputes: object[] = [];
    const ledger: object[] = [];
    for (let i = start; i < Math.min(options.accounts, start + batchSize); i++) {
      const id = i + 1;
      // Hospitals carry the most accounts, as in a real agency's book.
      const client = DEMO_CLIENTS[Number(rng.weighted({ 0: 40, 1: 15, 2: 30, 3: 15 }))]!;
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const middle = rng.chance(0.6) ? rng.pick(MIDDLE_INITIALS) : null;
      const suffix = rng.chance(0.04) ? rng.pick(['JR', 'SR', 'III']) : null;
      const display = `${last.toUpperCase()}, ${first.toUpperCase()}${middle ? ` ${middle}` : ''}${suffix ? ` ${suffix}` : ''}`;
      const weights = { ...STATUS_WEIGHTS, business_closed: client.kind === 'b2b' ? 4 : 0 };
      const status = rng.weighted(weights);
      const placedMs = EPOCH - rng.int(1, 900) * DAY;
      const principal = rng.int(40, 6000) * 100 + rng.int(0, 99);
      const interest = rng.chance(0.5) ? Math.round(principal * rng.int(1, 90) / 1000) : 0;
      const fees = rng.chance(0.4) ? rng.int(10, 50) * 100 : 0;
      const costs = rng.chance(0.2) ? rng.int(5, 35) * 100 : 0;
      const original = principal + interest + fees + costs;
      const paidFraction = status === 'paid' ? 1 : status === 'settled' ? 1 : rng.chance(0.3) ? rng.int(5, 60) / 100 : 0;
      const paid = Math.round(original * paidFraction);
      // Payments reduce principal last: costs, fees, interest first, as agencies usually apply them.
      let remainingPaid = paid;
      const comps: [string, number][] = [['costs', costs], ['fees', fees], ['interest', interest], ['principal', principal]];
      const current = comps.map(([name, amount]) => {
        const applied = Math.min(amount, remainingPaid);
        remainingPaid -= applied;
        return [name, amount - applied] as const;
      });
      const balance = status === 'settled' ? 0 : current.reduce((s, [, v]) => s + v, 0);
      const isCheck = client.kind !== 'hospital' && client.kind !== 'clinic' && rng.chance(0.08);
      const place = rng.pick(PLACES);
      const social = ssn(rng);
      const phoneNumber = `${place[3]}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
      const review = rng.chance(0.01) ? 'pending_review' : 'accepted';
      const events = rng.int(1, 5);
      let lastActivity = placedMs;
      accounts.push({
        id, publicId: newId('acct', () => rng.bytes(16)), clientId: clientIds.get(client.code)!,
        agencyAccountNumber: `NR${String(1_000_000 + id)}`, clientAccountNumber: `${client.prefix}-${String(rng.int(100000, 999999))}-${id % 97}`,
        debtorName: display, debtorNameKey: nameKey(display), accountType: isCheck ? 'returned_check' : client.accountType,
        status, reviewStatus: review, placedOn: iso(placedMs), serviceDate: iso(placedMs - rng.int(60, 400) * DAY),
        chargeOffDate: client.kind === 'hospital' || client.kind === 'clinic' ? null : iso(placedMs - rng.int(10, 90) * DAY),
        lastActivityAt: null as Date | null, balanceCents: balance, paidToDateCents: status === 'settled' ? paid : paid,
        currency: 'USD', ssnLast4: social.slice(-4), routingNumber: isCheck ? routingNumber(rng) : null,
        checkNumber: isCheck ? String(rng.int(1000, 99999)) : null,
        specialInstructions: rng.chance(0.1) ? rng.pick(['Do not call before 10 am.', 'Prefers email contact.', 'Spanish speaker; use bilingual collector.', 'Attorney represented: contact attorney only.']) : null,
        createdAt: new Date(placedMs), updatedAt: new Date(placedMs),
      });
      const email = rng.chance(0.6) ? `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + `${rng.int(1, 99)}@mail.example` : null;
      const responsiblePartyId = partyId++;
      parties.push({
        id: responsiblePartyId, accountId: id, role: 'responsible', firstName: first.toUpperCase(), middleName: middle, lastName: last.toUpperCase(), suffix,
        dob: iso(Date.UTC(rng.int(1940, 2004), rng.int(0, 11), rng.int(1, 28))), ssnLast4: social.slice(-4),
        ssnEncrypted: encrypt(social, config.secrets.dataKey), ssnHash: lookupHash(social, config.secrets.lookupKey),
        address1: `${rng.int(10, 9999)} ${rng.pick(STREETS).toUpperCase()}`, address2: rng.chance(0.2) ? `APT ${rng.int(1, 40)}` : null,
        city: place[0].toUpperCase(), state: place[1], zip: place[2],
        phones: JSON.stringify([{ type: rng.pick(['mobile', 'home', 'work']), number: phoneNumber }]),
        emails: JSON.stringify(email ? [email] : []), employer: rng.pick(EMPLOYERS),
      });
      phones.push({ accountId: id, phone: phoneNumber });
      if (rng.chance(0.15)) {
        const spouseFirst = rng.pick(FIRST_NAMES);
        parties.push({
          id: partyId++, accountId: id, role: client.kind === 'hospital' && rng.chance(0.5) ? 'patient' : 'spouse', firstName: spouseFirst.toUpperCase(),
          middleName: null, lastName: last.toUpperCase(), suffix: null, dob: null, ssnLast4: null, ssnEncrypted: null, ssnHash: null,
          address1: null, address2: null, city: null, state: null, zip: null, phones: '[]', emails: '[]', employer: null,
        });
      }
      for (const [component, amount] of comps) {
        balances.push({ accountId: id, component, originalCents: amount, currentCents: status === 'settled' ? 0 : current.find(([n]) => n === component)![1] });
      }
      if (paid > 0) {
        // What was paid reaches the balance through the ledger, like any payment: one row with the
        // per-component deltas (so the payments report and the recovery summary agree). Its day lies
        // between placement and the as-of day.
        const paidMs = placedMs + Math.floor(((EPOCH - placedMs) / DAY) * 0.5) * DAY;
        const delta = (name: string) => {
          const placedAmount = comps.find(([n]) => n === name)![1];
          const d = (status === 'settled' ? 0 : current.find(([n]) => n === name)![1]) - placedAmount;
          return d === 0 ? 0 : d; // no -0
        };
        ledger.push({
          publicId: newId('txn', () => ledgerRng.bytes(16)), accountId: id, clientId: clientIds.get(client.code)!, kind: 'payment', amountCents: paid,
          currency: 'USD', principalDeltaCents: delta('principal'), interestDeltaCents: delta('interest'), feesDeltaCents: delta('fees'),
          costsDeltaCents: delta('costs'), balanceAfterCents: balance, effectiveDate: iso(paidMs), method: 'check', reference: null,
          reason: 'Payments received before the portal.', createdByUserId: null, createdAt: new Date(paidMs),
        });
      }
      activity.push({ id: actId++, publicId: newId('act', () => rng.bytes(16)), accountId: id, type: 'placement', visibility: 'client', body: `Account placed by ${client.name}.`, actorUserId: null, actorName: client.name, occurredAt: new Date(placedMs) });
      for (let e = 0; e < events; e++) {
        lastActivity += rng.int(1, 45) * DAY;
        if (lastActivity > EPOCH) break;
        const internal = rng.chance(0.15);
        const type = internal ? 'note' : rng.pick(['letter', 'call_attempt', 'note', 'note', 'promise_to_pay']);
        const body = internal ? rng.pick(COLLECTOR_NOTES_INTERNAL) : type === 'letter' ? 'Validation notice mailed.' : type === 'call_attempt' ? 'Outbound call attempt; no answer.' : type === 'promise_to_pay' ? `Debtor promised $${rng.int(25, 300)}.00 by ${iso(lastActivity + 14 * DAY)}.` : rng.pick(COLLECTOR_NOTES_CLIENT);
        activity.push({ id: actId++, publicId: newId('act', () => rng.bytes(16)), accountId: id, type, visibility: internal ? 'internal' : 'client', body, actorUserId: agencyUserId, actorName: 'Northwind Recovery', occurredAt: new Date(lastActivity) });
      }
      if (status === 'disputed') {
        // The dispute that put the account on hold, the day after its last event (or on the as-of day).
        // Its timeline entry takes the place of the status-change entry below (same id stream when
        // that entry would have been written, the dispute stream when the history ran up to the day).
        const fits = lastActivity + DAY <= EPOCH;
        lastActivity = fits ? lastActivity + DAY : EPOCH;
        const d = seededDispute(disputeRng, balance);
        const byAgency = d.via === 'agency';
        activity.push({
          id: actId++, publicId: newId('act', () => (fits ? rng : disputeRng).bytes(16)), accountId: id, type: 'dispute', visibility: 'client',
          body: `${describeDispute(d)} ${ON_HOLD}`, actorUserId: byAgency ? agencyUserId : null, actorName: byAgency ? 'Northwind Recovery' : 'Debtor (online)',
          occurredAt: new Date(lastActivity),
        });
        disputes.push({
          publicId: newId('dsp', () => disputeRng.bytes(16)), accountId: id, clientId: clientIds.get(client.code)!, partyId: responsiblePartyId,
          kind: d.kind, scope: d.scope, disputedAmountCents: d.disputedAmountCents, reasonCode: d.reasonCode, reason: d.reason,
          status: 'open', previousStatus: 'active', submittedVia: d.via, submittedBy: byAgency ? agencyUser.publicId : null, ip: null,
          taskPublicId: null, createdAt: new Date(lastActivity),
        });
      } else if (status !== 'active' && lastActivity + DAY <= EPOCH) {
        lastActivity += DAY;
        activity.push({ id: actId++, publicId: newId('act', () => rng.bytes(16)), accountId: id, type: 'status_change', visibility: 'client', body: `Status changed to ${status.replace('_', ' ')}.`, actorUserId: agencyUserId, actorName: 'Northwind Recovery', occurredAt: new Date(lastActivity) });
      }
      (accounts[accounts.length - 1] as { lastActivityAt: Date | null }).lastActivityAt = new Date(Math.min(lastActivity, EPOCH));
    }
    await db.transaction(async (trx) => {
      await insertChunked(trx, 'accounts', accounts, chunk);
      await insertChunked(trx, 'account_parties', parties, chunk);
      await insertChunked(trx, 'account_phones', phones, chunk);
      await insertChunked(trx, 'account_balances', balances, chunk);
      await insertChunked(trx, 'activity', activity, chunk);
      await insertChunked(trx, 'disputes', disputes, chunk);
      await insertChunked(trx, 'transactions', ledger, chunk);
    });
    if ((start / batchSize) % 20 === 0 || start + batchSize >= options.accounts) log(`seeded ${Math.min(options.accounts, start + batchSize)} / ${options.accounts} accounts`);
  }
  await seedDocuments(db, config);
  await seedPlacements(db);
}

/** The accounts seeded as pending review are placements waiting in the agency's review queue. */
async function seedPlacements(db: Db): Promise<void> {
  const rng = new Rng(5);
  const pending = (await db('accounts').where({ reviewStatus: 'pending_review' }).orderBy('id')
    .select('id', 'client_id', 'client_account_number', 'created_at')) as { id: number; clientId: number; clientAccountNumber: string; createdAt: Date }[];
  const keys = new Set<string>();
  const rows = pending.map((a) => {
    const key = `${a.clientId}:${a.clientAccountNumber}`;
    const fresh = !keys.has(key);
    keys.add(key);
    return {
      publicId: newId('plc', () => rng.bytes(16)), clientId: a.clientId, accountId: a.id, batchId: null, rowNumber: null, status: 'pending_review',
      clientAccountNumber: a.clientAccountNumber, dedupeKey: fresh ? key : null, comments: null, placedByUserId: null, createdAt: a.createdAt,
    };
  });
  await db.transaction((trx) => insertChunked(trx, 'placements', rows, 500));
}
