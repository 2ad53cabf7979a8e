/** Status actions on an account: hold, release, recall, and marking it paid, settled, disputed … */
import { z } from 'zod';
import { ACCOUNT_STATUSES } from '../accounts/accounts.schema.js';

export const MARKABLE_STATUSES = ['paid', 'settled', 'bankrupt', 'deceased', 'business_closed', 'disputed'] as const;

const reason = z.string().trim().min(3, 'Give a reason (at least 3 characters).').max(1000);
const documentRef = z.string().trim().min(1).max(200).optional().describe('a supporting document: an attachment id or a reference such as a court case number');

export const HoldBody = z.strictObject({
  reason,
  until: z.iso.date().optional().describe('the hold is released automatically when this day begins (UTC)'),
  documentRef,
});
export type HoldInput = z.output<typeof HoldBody>;

export const ReleaseBody = z.strictObject({ reason: reason.optional() });
export type ReleaseInput = z.output<typeof ReleaseBody>;

export const RecallBody = z.strictObject({ reason, documentRef });
export type RecallInput = z.output<typeof RecallBody>;

export const StatusBody = z.strictObject({ status: z.enum(MARKABLE_STATUSES), reason, documentRef });
export type StatusInput = z.output<typeof StatusBody>;

export const StatusChange = z.object({
  accountId: z.string(),
  from: z.enum(ACCOUNT_STATUSES),
  status: z.enum(ACCOUNT_STATUSES),
  holdUntil: z.string().nullable(),
  reason: z.string().nullable(),
  documentRef: z.string().nullable(),
  activityId: z.string(),
  /** marked disputed: the dispute record opened for it (GET /accounts/:id/disputes) */
  disputeId: z.string().optional(),
});
