/**
 * Validation information (Regulation F §1006.34(c)(2)): who the debt is owed to now and originally,
 * the itemization date and the balance on it, what changed since (interest, fees, payments,
 * credits) and the current amount. Every number is computed from the ledger (ledger-changes.ts);
 * the itemization balance is the current amount minus the changes, so the figures always add up.
 */
import type { Trx } from '../platform/db.js';
import { toDateOnly } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { ledgerChangesSince } from './ledger-changes.js';

interface AccountRow {
  id: number;
  publicId: string;
  clientAccountNumber: string;
  agencyAccountNumber: string;
  balanceCents: number | string;
  currency: string;
  originalCreditor: string | null;
  chargeOffDate: unknown;
  serviceDate: unknown;
  placedOn: unknown;
  clientName: string;
}

/**
 * The itemization date: one of the reference dates Regulation F allows — the charge-off date, else
 * the transaction date (the date of service), else the placement date (when the client sent the
 * balance, recorded as the components' original amounts).
 */
function itemizationDate(a: AccountRow): { date: string; reference: 'charge_off' | 'transaction' | 'placement' } {
  const chargeOff = toDateOnly(a.chargeOffDate);
  if (chargeOff) return { date: chargeOff, reference: 'charge_off' };
  const service = toDateOnly(a.serviceDate);
  if (service) return { date: service, reference: 'transaction' };
  return { date: toDateOnly(a.placedOn)!, reference: 'placement' };
}

/** By internal account id: the caller has already resolved tenancy (user scope or debtor session). */
export async function validationInformation(trx: Trx, accountId: number) {
  const a = (await trx('accounts')
    .join('clients', 'clients.id', 'accounts.client_id')
    .where('accounts.id', accountId)
    .first(
      'accounts.id', 'accounts.public_id', 'accounts.client_account_number', 'accounts.agency_account_number', 'accounts.balance_cents',
      'accounts.currency', 'accounts.original_creditor', 'accounts.charge_off_date', 'accounts.service_date', 'accounts.placed_on',
      'clients.name as client_name',
    )) as AccountRow | undefined;
  if (!a) throw notFound('Account');
  const itemization = itemizationDate(a);
  const changes = await ledgerChangesSince(trx, a.id, itemization.date);
  const currentCents = Number(a.balanceCents);
  const itemizationBalanceCents = currentCents - changes.interestCents - changes.feesCents + changes.paymentsCents + changes.creditsCents;
  return {
    accountId: a.publicId,
    accountNumber: a.clientAccountNumber,
    agencyAccountNumber: a.agencyAccountNumber,
    currency: a.currency,
    currentCreditor: a.clientName,
    originalCreditor: a.originalCreditor ?? a.clientName,
    itemization: { date: itemization.date, reference: itemization.reference, balanceCents: itemizationBalanceCents },
    changesSinceItemization: changes,
    currentAmountCents: currentCents,
  };
}
