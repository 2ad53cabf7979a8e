/**
 * After a decline for the security code or the expiry (issue 18 items 1 and 8), the debtor types only
 * that again: the card's token is kept and the gateway is given the new detail, where the gateway
 * allows it (`PaymentGateway.updateCard`). The frame sends it (the host page never sees it); the
 * detail is in `input` for the length of this call and goes nowhere else.
 */
import type { AppDeps, RequestMeta } from '../platform/http/context.js';
import { badRequest, conflict } from '../platform/errors.js';
import { writeAudit } from '../platform/audit.js';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId } from './pay-access.service.js';
import { debtorActor, type MethodOut } from './payments.service.js';
import { gatewayFor } from './gateway/sandbox-gateway.js';
import type { CardDetailsUpdate } from './gateway/gateway.js';

interface Row { id: number; publicId: string; gatewayToken: string; kind: string; brand: string; last4: string; expMonth: number | null; expYear: number | null; saved: unknown }

export async function updateCardDetails(deps: AppDeps, session: DebtorSession, publicId: string, input: CardDetailsUpdate, meta: RequestMeta, now: Date): Promise<MethodOut> {
  const account = await debtorAccountId(deps.db, session.accountId);
  const m = (await deps.db('payment_methods').where({ publicId, accountId: account.id }).first()) as Row | undefined;
  if (!m) throw badRequest('validation_failed', 'Choose a payment method.', [{ path: 'paymentMethodId', code: 'not_found', message: 'This payment method is not on this account.' }]);
  const gateway = gatewayFor(deps);
  if (m.kind !== 'card' || !gateway.updateCard) throw conflict('card_update_unsupported', 'Type the card again: this payment method cannot be updated.');
  const updated = await gateway.updateCard(m.gatewayToken, input, now);
  return deps.db.transaction(async (trx) => {
    await trx('payment_methods').where({ id: m.id }).update({ expMonth: updated.expMonth, expYear: updated.expYear });
    await writeAudit(trx, {
      actor: debtorActor(session), action: 'payment_method.details_updated', target: { type: 'account', id: session.accountId }, ip: meta.ip, requestId: meta.requestId,
      after: { method: m.publicId, fields: [input.cvc !== undefined ? 'cvc' : '', input.expMonth !== undefined ? 'expiry' : ''].filter(Boolean) },
    });
    return { id: m.publicId, kind: m.kind, brand: m.brand, last4: m.last4, expMonth: updated.expMonth, expYear: updated.expYear, saved: m.saved === true || m.saved === 1 };
  });
}
