/** The ledger contract: reporting a direct payment, posting an adjustment, listing transactions. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';

export const COMPONENTS = ['principal', 'interest', 'fees', 'costs'] as const;
export type Component = (typeof COMPONENTS)[number];
export const PAYMENT_METHODS = ['check', 'cash', 'card', 'ach', 'wire', 'other'] as const;
export const TRANSACTION_KINDS = ['payment', 'credit', 'write_off', 'correction'] as const;

/** A hundred million dollars: far above any real account, far below float trouble. */
const MAX_CENTS = 10_000_000_000;
const cents = z.number().int('Amounts are whole cents.').positive('The amount must be more than zero.').max(MAX_CENTS);
const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters).').max(1000);

export const PaymentBody = z.strictObject({
  amountCents: cents.describe('integer cents, e.g. 12500 for $125.00'),
  paidOn: z.iso.date().describe('the day the debtor paid the client; not in the future'),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().min(1).max(100).optional().describe('check number, receipt id …'),
  note: z.string().trim().max(1000).optional(),
});
export type PaymentInput = z.output<typeof PaymentBody>;

export const AdjustmentBody = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('credit'),
    amountCents: cents,
    reason,
    effectiveOn: z.iso.date().optional(),
  }).describe('reduces the balance (costs, fees, interest, then principal); never below zero'),
  z.strictObject({
    type: z.literal('write_off'),
    amountCents: cents.optional().describe('omit to write off the whole remaining balance'),
    reason,
    effectiveOn: z.iso.date().optional(),
  }).describe('the explicit way to take a balance to zero'),
  z.strictObject({
    type: z.literal('correction'),
    component: z.enum(COMPONENTS),
    deltaCents: z.number().int().refine((n) => n !== 0, 'A correction must change the balance.').refine((n) => Math.abs(n) <= MAX_CENTS, 'Too large.'),
    reason,
    effectiveOn: z.iso.date().optional(),
  }).describe('adds to or takes from one balance component; no component may go below zero'),
]);
export type AdjustmentInput = z.output<typeof AdjustmentBody>;

const Money = z.object({ amountCents: z.number().int(), currency: z.string().length(3) });

export const Transaction = z.object({
  id: z.string(),
  accountId: z.string(),
  kind: z.enum(TRANSACTION_KINDS),
  amount: Money,
  deltas: z.object({ principalCents: z.number().int(), interestCents: z.number().int(), feesCents: z.number().int(), costsCents: z.number().int() }),
  balanceAfter: Money,
  effectiveOn: z.string(),
  method: z.enum(PAYMENT_METHODS).nullable(),
  reference: z.string().nullable(),
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

export const TransactionListQuery = z.strictObject({
  kind: z.enum(TRANSACTION_KINDS).optional(),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(25),
});

export const TransactionList = z.object({ data: z.array(Transaction), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
