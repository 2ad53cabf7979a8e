/**
 * Report parameters: one vocabulary shared by every report (a report declares which it takes), the
 * zod schema for them, the age buckets, and `resolveParams`, which applies tenancy (clients among the
 * caller's, else 404) and defaults.
 */
import { z } from 'zod';
import type { Trx } from '../platform/db.js';
import type { Caller } from '../platform/http/context.js';
import { badRequest } from '../platform/errors.js';
import { ACCOUNT_STATUSES } from '../accounts/accounts.schema.js';
import { resolveClientId } from '../accounts/accounts.scope.js';
import type { ResolvedParams } from './report.types.js';

export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Age of an account = days from placement to the as-of date. */
export const AGE_BUCKETS = [
  { key: '0-90', label: '0–90 days', minDays: 0, maxDays: 90 },
  { key: '91-180', label: '91–180 days', minDays: 91, maxDays: 180 },
  { key: '181-365', label: '181–365 days', minDays: 181, maxDays: 365 },
  { key: '366-730', label: '1–2 years', minDays: 366, maxDays: 730 },
  { key: '731+', label: 'Over 2 years', minDays: 731, maxDays: null },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['key'];
const AGE_BUCKET_KEYS = AGE_BUCKETS.map((b) => b.key) as [AgeBucket, ...AgeBucket[]];

export const GROUP_BY = ['client', 'clientGroup', 'ageBucket'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export const PARAM_NAMES = ['from', 'to', 'clientIds', 'statuses', 'ageBuckets', 'groupBy', 'asOf'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

const isoDate = z.iso.date();

export const ReportParameters = z
  .strictObject({
    from: isoDate.optional().describe('start of the date range, inclusive'),
    to: isoDate.optional().describe('end of the date range, inclusive'),
    clientIds: z.array(z.string().min(4).max(40)).min(1).max(100).optional().describe('public client ids among the caller\'s'),
    statuses: z.array(z.enum(ACCOUNT_STATUSES)).min(1).optional(),
    ageBuckets: z.array(z.enum(AGE_BUCKET_KEYS)).min(1).optional(),
    groupBy: z.enum(GROUP_BY).optional(),
    asOf: isoDate.optional().describe('the day ages are counted to; today by default'),
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'from must not be after to.', path: ['to'] });
export type ReportParametersInput = z.output<typeof ReportParameters>;

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** Days between two YYYY-MM-DD dates. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export function ageBucketOf(placedOn: string, asOf: string): AgeBucket {
  const age = daysBetween(placedOn, asOf);
  return (AGE_BUCKETS.find((b) => age >= b.minDays && (b.maxDays === null || age <= b.maxDays)) ?? AGE_BUCKETS[0]).key;
}

/** The placed_on range (inclusive) of a bucket, as of a day: bucket filters become plain date ranges. */
export function bucketPlacedRange(key: AgeBucket, asOf: string): { placedFrom: string | null; placedTo: string } {
  const b = AGE_BUCKETS.find((x) => x.key === key)!;
  return { placedFrom: b.maxDays === null ? null : addDays(asOf, -b.maxDays), placedTo: addDays(asOf, -b.minDays) };
}

export async function resolveParams(trx: Trx, caller: Caller, accepted: readonly ParamName[], input: ReportParametersInput, now: Date): Promise<ResolvedParams> {
  const unknown = (Object.keys(input) as ParamName[]).filter((k) => input[k] !== undefined && !accepted.includes(k));
  if (unknown.length) {
    throw badRequest('validation_failed', 'This report does not take some of the parameters given.',
      unknown.map((k) => ({ path: `parameters.${k}`, message: 'Not a parameter of this report.', code: 'unrecognized_keys' })));
  }
  const clientIds = input.clientIds ? await Promise.all([...new Set(input.clientIds)].map((id) => resolveClientId(trx, caller, id))) : null;
  return {
    from: input.from ?? null,
    to: input.to ?? null,
    clientIds,
    statuses: input.statuses ?? null,
    ageBuckets: input.ageBuckets ?? null,
    groupBy: input.groupBy ?? 'client',
    asOf: input.asOf ?? isoDay(now),
  };
}
