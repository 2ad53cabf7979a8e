/**
 * Inbound records from the agency's collection system. Every record names its own natural key
 * (client code, agency account number, account + party role, account + balance component, the
 * activity's external id), so sending it again finds the same row. In updates an absent field is
 * left as it is and `null` clears it; a record that would create a row must carry the fields a new
 * row needs.
 */
import { z } from 'zod';
import { ACCOUNT_STATUSES, ACCOUNT_TYPES } from '../accounts/accounts.schema.js';

export const MAX_RECORDS = 10_000;

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const AccountNumber = z.string().trim().min(1).max(32).describe('The agency account number: the key of an account.');

export const ClientRecord = z.strictObject({
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/).describe('The client code in the agency system: the key.'),
  name: text(200).optional(),
  kind: z.enum(['hospital', 'clinic', 'utility', 'landlord', 'b2b']).optional(),
  status: z.enum(['active', 'inactive']).optional(),
});

export const PARTY_ROLES = ['responsible', 'spouse', 'second_location', 'patient'] as const;
export const BALANCE_COMPONENTS = ['principal', 'interest', 'fees', 'costs'] as const;

const PartyFields = {
  firstName: text(100).optional(),
  middleName: optionalText(100),
  lastName: text(100).optional(),
  suffix: optionalText(8),
  dob: isoDate.nullable().optional(),
  ssn: z.string().trim().transform((s) => s.replace(/\D/g, '')).pipe(z.string().length(9)).nullable().optional()
    .describe('Nine digits; stored encrypted, never returned. Only the last four are shown.'),
  address1: optionalText(200),
  address2: optionalText(100),
  city: optionalText(100),
  state: z.string().trim().length(2).toUpperCase().nullable().optional(),
  zip: z.string().trim().regex(/^\d{5}(-\d{4})?$/).nullable().optional(),
  phones: z.array(z.strictObject({
    type: z.enum(['mobile', 'home', 'work', 'other']),
    number: z.string().transform((s) => s.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '')).pipe(z.string().length(10)),
  })).max(10).optional(),
  emails: z.array(z.email().max(200).toLowerCase()).max(10).optional(),
  employer: optionalText(200),
};

export const PartyRecord = z.strictObject({
  agencyAccountNumber: AccountNumber,
  role: z.enum(PARTY_ROLES).describe('With the account number, the key of a party.'),
  ...PartyFields,
});

export const BalanceRecord = z.strictObject({
  agencyAccountNumber: AccountNumber,
  component: z.enum(BALANCE_COMPONENTS),
  originalCents: z.number().int().min(0).max(1e13),
  currentCents: z.number().int().min(-1e13).max(1e13),
});

export const StatusRecord = z.strictObject({
  agencyAccountNumber: AccountNumber,
  status: z.enum(ACCOUNT_STATUSES),
  reason: optionalText(500).describe('Shown to the client in the status-change activity entry.'),
});

export const AccountRecord = z.strictObject({
  agencyAccountNumber: AccountNumber,
  clientCode: z.string().trim().min(1).max(32).optional().describe('Needed to create; an account never moves between clients.'),
  clientAccountNumber: text(64).optional(),
  debtorName: text(200).optional().describe('Display form, "LAST, FIRST M".'),
  accountType: z.enum(ACCOUNT_TYPES).optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  placedOn: isoDate.optional(),
  serviceDate: isoDate.nullable().optional(),
  chargeOffDate: isoDate.nullable().optional(),
  routingNumber: z.string().regex(/^\d{9}$/).nullable().optional(),
  checkNumber: z.string().trim().max(20).nullable().optional(),
  specialInstructions: optionalText(2000),
  parties: z.array(z.strictObject({ role: z.enum(PARTY_ROLES), ...PartyFields })).max(4).optional()
    .describe('Upserted by role, like the parties endpoint; roles not listed are left alone.'),
  balances: z.array(z.strictObject({ component: z.enum(BALANCE_COMPONENTS), originalCents: BalanceRecord.shape.originalCents, currentCents: BalanceRecord.shape.currentCents })).max(4).optional(),
});

export const ACTIVITY_TYPES = ['note', 'call_attempt', 'letter', 'promise_to_pay', 'settlement', 'payment', 'other'] as const;

export const ActivityRecord = z.strictObject({
  externalId: z.string().trim().min(1).max(64).describe('The activity\'s id in the agency system: the key.'),
  agencyAccountNumber: AccountNumber,
  type: z.enum(ACTIVITY_TYPES),
  visibility: z.enum(['client', 'internal']).default('internal').describe('internal (the default) is never shown to the client.'),
  body: text(4000),
  actorName: text(200).optional(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type ClientInput = z.output<typeof ClientRecord>;
export type AccountInput = z.output<typeof AccountRecord>;
export type PartyInput = z.output<typeof PartyRecord>;
export type BalanceInput = z.output<typeof BalanceRecord>;
export type StatusInput = z.output<typeof StatusRecord>;
export type ActivityInput = z.output<typeof ActivityRecord>;

export const RecordResult = z.object({
  index: z.number().int().describe('Position of the record in the request, from 0.'),
  key: z.string().nullable().describe('The record\'s natural key, as sent.'),
  status: z.enum(['created', 'updated', 'unchanged', 'error']),
  id: z.string().nullable().describe('Public id of the row (acct_…, cli_…, act_…); null on error.'),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
});

export const BatchResponse = z.object({
  results: z.array(RecordResult),
  counts: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), failed: z.number().int() }),
});
