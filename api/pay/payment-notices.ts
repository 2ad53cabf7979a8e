/**
 * What follows a payment's final status: the receipt (or decline notice) by email, through the
 * transactional outbox so it is written in the same transaction as the payment change.
 */
import type { Trx } from '../platform/db.js';
import type { AppDeps } from '../platform/http/context.js';
import type { PaymentRow } from './payments.service.js';

export async function afterPaymentFinal(_trx: Trx, _deps: AppDeps, _payment: PaymentRow, _now: Date): Promise<void> {
  // Filled in when the platform outbox lands (receipt email).
}
