/** The accounts contract: search filters, the grid row, the account pane. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

export const ACCOUNT_STATUSES = [
  'active', 'hold', 'recalled', 'paid', 'settled', 'bankrupt', 'deceased', 'business_closed', 'disputed', 'closed',
] as const;

export const ACCOUNT_TYPES = ['medical', 'utility', 'commercial', 'rental', 'returned_check', 'other'] as const;

export const SORT_FIELDS = ['name', 'accountNumber', 'balance', 'lastActivity', 'placedOn', 'status', 'client'] as const;

const isoDate = z.iso.date();
const digits = (min: number, max: number) => z.string().trim().transform((s) => s.replace(/\D/g, '')).pipe(z.string().min(min).max(max));

export const AccountSearchQuery = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional().describe('debtor name prefix, last name first: "smith" or "smith, jo"'),
    agencyAccountNumber: z.string().trim().min(1).max(32).optional(),
    clientAccountNumber: z.string().trim().min(1).max(64).optional(),
    ssnLast4: z.string().regex(/^\d{4}$/, 'Enter exactly 4 digits.').optional(),
    phone: digits(7, 15).optional().describe('any phone of any party; punctuation ignored'),
    status: z.enum(ACCOUNT_STATUSES).optional(),
    clientId: z.string().min(4).max(40).optional(),
    placedFrom: isoDate.optional(),
    placedTo: isoDate.optional(),
    balanceMinCents: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    balanceMaxCents: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    routingNumber: z.string().regex(/^\d{9}$/, 'A routing number has 9 digits.').optional(),
    checkNumber: z.string().trim().min(1).max(20).optional(),
    sort: z.enum(SORT_FIELDS).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    page: queryInt(1, 100_000).default(1),
    pageSize: queryInt(1, 100).default(10),
  })
  .refine((q) => !q.placedFrom || !q.placedTo || q.placedFrom <= q.placedTo, { message: 'placedFrom must not be after placedTo.', path: ['placedTo'] })
  .refine((q) => q.balanceMinCents === undefined || q.balanceMaxCents === undefined || q.balanceMinCents <= q.balanceMaxCents, {
    message: 'balanceMinCents must not exceed balanceMaxCents.', path: ['balanceMaxCents'],
  });
export type AccountSearch = z.output<typeof AccountSearchQuery>;

const Money = z.object({ amountCents: z.number().int(), currency: z.string().length(3) });
const ClientRef = z.object({ id: z.string(), name: z.string() });

export const AccountSummary = z.object({
  id: z.string(),
  debtorName: z.string(),
  agencyAccountNumber: z.string(),
  clientAccountNumber: z.string(),
  routingNumber: z.string().nullable(),
  checkNumber: z.string().nullable(),
  balance: Money,
  lastActivityAt: z.string().nullable(),
  placedOn: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  client: ClientRef,
});

export const AccountSearchResponse = z.object({
  data: z.array(AccountSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const Activity = z.object({
  id: z.string(),
  type: z.string(),
  visibility: z.enum(['client', 'internal']),
  body: z.string(),
  actorName: z.string(),
  occurredAt: z.string(),
});

export const Party = z.object({
  role: z.enum(['responsible', 'spouse', 'second_location', 'patient']),
  firstName: z.string(),
  middleName: z.string().nullable(),
  lastName: z.string(),
  suffix: z.string().nullable(),
  dob: z.string().nullable(),
  ssnLast4: z.string().nullable(),
  address: z.object({ line1: z.string().nullable(), line2: z.string().nullable(), city: z.string().nullable(), state: z.string().nullable(), zip: z.string().nullable() }),
  phones: z.array(z.object({ type: z.string(), number: z.string() })),
  emails: z.array(z.string()),
  employer: z.string().nullable(),
});

export const AccountDetail = AccountSummary.extend({
  accountType: z.enum(ACCOUNT_TYPES),
  reviewStatus: z.enum(['accepted', 'pending_review', 'rejected']),
  serviceDate: z.string().nullable(),
  chargeOffDate: z.string().nullable(),
  specialInstructions: z.string().nullable(),
  balanceDetail: z.object({
    currency: z.string(),
    totalCents: z.number().int(),
    paidToDateCents: z.number().int(),
    components: z.array(z.object({ component: z.enum(['principal', 'interest', 'fees', 'costs']), originalCents: z.number().int(), currentCents: z.number().int() })),
  }),
  parties: z.array(Party),
  recentActivity: z.array(Activity).describe('newest first, at most 20; the full timeline is GET accounts/{id}/activity'),
});

export const AccountIdParams = z.strictObject({ id: z.string().min(5).max(40) });

export const ActivityQuery = z.strictObject({
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(25),
});

export const ActivityListResponse = z.object({ data: z.array(Activity), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
