/** The agency console's view of offers and plans: lists across accounts, editing an open offer. */
import { z } from 'zod';
import { queryInt } from '../platform/http/route.js';
import { OfferOut, PaymentOut } from './pay.schema.js';

const isoDate = z.iso.date();
const Money = z.object({ amountCents: z.number().int(), currency: z.string() });
const AccountRef = z.object({ id: z.string(), agencyAccountNumber: z.string(), debtorName: z.string() });
const ClientRef = z.object({ id: z.string(), name: z.string() });

const ListFilters = {
  accountId: z.string().min(4).max(40).optional().describe('only this account (acct_…)'),
  clientId: z.string().min(4).max(40).optional().describe('only this client (cli_…)'),
  page: queryInt(1, 100_000).default(1),
  pageSize: queryInt(1, 100).default(20),
};

export const OfferListQuery = z.strictObject({ ...ListFilters, status: z.enum(['open', 'accepted', 'expired', 'withdrawn']).optional() });
export const AgencyOffer = OfferOut.extend({ account: AccountRef, client: ClientRef });
export const OfferPage = z.object({ data: z.array(AgencyOffer), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const OfferEditParams = z.strictObject({ id: z.string().min(4).max(40) });
export const OfferEditBody = z.strictObject({
  percent: z.number().min(1).max(100).optional().describe('settlement offers only'),
  payBy: isoDate.optional().describe('settlement offers only'),
  instalments: z.number().int().min(2).max(36).optional().describe('plan offers only'),
  frequency: z.enum(['weekly', 'biweekly', 'monthly']).optional().describe('plan offers only'),
  expiresOn: isoDate.optional(),
  status: z.literal('withdrawn').optional().describe('withdraw the offer: the debtor no longer sees it'),
});

export const PlanListQuery = z.strictObject({ ...ListFilters, status: z.enum(['active', 'paused', 'completed', 'cancelled']).optional() });
export const Instalment = PaymentOut.extend({
  planStatus: z.enum(['paid', 'pending', 'declined', 'cancelled']),
  retryOn: z.string().nullable().describe('a declined instalment that will be tried again: the date of the next try'),
});
export const AgencyPlan = z.object({
  id: z.string(), status: z.string(), account: AccountRef, client: ClientRef, instalments: z.number().int(), total: Money, frequency: z.string(),
  createdAt: z.string(), cancelledAt: z.string().nullable(), cancelReason: z.string().nullable(), pausedAt: z.string().nullable(),
  paid: Money, schedule: z.array(Instalment),
});
export const PlanPage = z.object({ data: z.array(AgencyPlan), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
