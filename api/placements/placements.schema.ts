/**
 * The placements contract: the new-account form (F-PLACE 1), the review queue (F-PLACE 3) and bulk
 * batches (F-PLACE 2). The input schema checks shape only (types, lengths); the rules that fix or
 * reject values — upper-casing, suffixes, AKA/C-O, SSN, phones, ZIP/state — live in normalize.ts,
 * so the form, the preview and every spreadsheet row go through exactly the same code.
 */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';
import { ACCOUNT_TYPES } from '../accounts/accounts.schema.js';

const text = (max: number) => z.string().max(max);
const optText = (max: number) => z.string().max(max).nullish();
const isoDate = z.iso.date();
const cents = z.number().int().min(0).max(99_999_999_999);

export const PHONE_TYPES = ['mobile', 'home', 'work', 'other'] as const;

export const AddressInput = z.strictObject({
  address1: text(200),
  address2: optText(100),
  city: text(100),
  state: text(40),
  zip: text(12),
});

export const PhoneInput = z.strictObject({
  type: z.enum(PHONE_TYPES).default('mobile'),
  number: text(40),
});

export const PersonInput = z.strictObject({
  firstName: text(100),
  middleName: optText(100),
  lastName: text(150),
  suffix: optText(12),
  dob: isoDate.nullish(),
  /** any punctuation; stored encrypted, never returned */
  ssn: optText(20),
  address: AddressInput.nullish(),
  phones: z.array(PhoneInput).max(5).default([]),
  email: optText(200),
  employer: optText(200),
});

export const PlacementInput = z.strictObject({
  /** required when the caller may place for more than one client */
  clientId: z.string().min(4).max(40).optional(),
  clientAccountNumber: text(64),
  accountType: z.enum(ACCOUNT_TYPES),
  serviceDate: isoDate.nullish(),
  chargeOffDate: isoDate.nullish(),
  balance: z.strictObject({
    principalCents: cents,
    interestCents: cents.default(0),
    feesCents: cents.default(0),
    costsCents: cents.default(0),
  }),
  responsible: PersonInput,
  spouse: PersonInput.nullish(),
  secondLocation: PersonInput.nullish(),
  patient: PersonInput.nullish(),
  comments: optText(2000),
});
export type PlacementInputT = z.output<typeof PlacementInput>;
export type PersonInputT = z.output<typeof PersonInput>;

export const PLACEMENT_STATUSES = ['pending_review', 'accepted', 'rejected'] as const;

const Money = z.object({ amountCents: z.number().int(), currency: z.string().length(3) });

export const Change = z.object({
  field: z.string().describe('dotted path of the field, e.g. responsible.lastName'),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string(),
});

export const Placement = z.object({
  id: z.string(),
  status: z.enum(PLACEMENT_STATUSES),
  client: z.object({ id: z.string(), name: z.string() }),
  clientAccountNumber: z.string(),
  debtorName: z.string(),
  accountType: z.enum(ACCOUNT_TYPES),
  balance: Money,
  comments: z.string().nullable(),
  placedAt: z.string(),
  placedBy: z.string().nullable(),
  batchId: z.string().nullable(),
  rowNumber: z.number().int().nullable(),
  /** the account, once the agency accepted it (before that it is not in search) */
  accountId: z.string().nullable(),
  agencyAccountNumber: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
});

export const PlacementCreated = z.object({ placement: Placement, changes: z.array(Change) });

const FieldErrorSchema = z.object({ path: z.string(), message: z.string(), code: z.string() });

export const PlacementPreview = z.object({
  valid: z.boolean(),
  /** the values as they will be stored; SSNs appear as last 4 only */
  normalized: z.record(z.string(), z.unknown()),
  changes: z.array(Change),
  errors: z.array(FieldErrorSchema),
});

export const PlacementIdParams = z.strictObject({ id: z.string().min(4).max(40) });

export const PlacementListQuery = z.strictObject({
  status: z.enum(PLACEMENT_STATUSES).optional(),
  clientId: z.string().min(4).max(40).optional(),
  batchId: z.string().min(4).max(40).optional(),
  /** form: placed one at a time by the new-account form; spreadsheet: rows of bulk batches */
  source: z.enum(['form', 'spreadsheet']).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(20),
});
export type PlacementListQueryT = z.output<typeof PlacementListQuery>;

export const PlacementList = z.object({
  data: z.array(Placement), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(),
});

export const ReviewDecision = z
  .strictObject({
    placementIds: z.array(z.string().min(4).max(40)).min(1).max(500),
    decision: z.enum(['accept', 'reject']),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((d) => d.decision !== 'reject' || (d.reason && d.reason.length > 0), {
    message: 'Give a reason when rejecting.', path: ['reason'],
  });

export const ReviewResult = z.object({ decision: z.enum(['accept', 'reject']), data: z.array(Placement) });
