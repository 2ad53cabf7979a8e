/**
 * What a debtor sees of their account: who the debt is owed to, the balance and its parts, what
 * the agency allows (offers, skipping them, scheduling, contact review), saved methods (brand and
 * last 4) and recent payments. Contact details are masked: a link holder must not learn them.
 */
import type { Trx } from '../platform/db.js';
import type { DebtorSession } from './debtor-session.js';
import { debtorAccountId } from './pay-access.service.js';
import { getPaySettings } from './pay.settings.js';
import { openOffers } from './offers.service.js';
import { committedCents, listDebtorPayments, savedMethods } from './payments.service.js';

import { maskEmail, maskPhone } from './pay-access.service.js';

export async function getPayAccount(trx: Trx, session: DebtorSession, now: Date) {
  const { id } = await debtorAccountId(trx, session.accountId);
  const a = (await trx('accounts').join('clients', 'clients.id', 'accounts.client_id').where('accounts.id', id)
    .first('accounts.public_id', 'accounts.debtor_name', 'accounts.agency_account_number', 'accounts.client_account_number', 'accounts.balance_cents',
      'accounts.paid_to_date_cents', 'accounts.currency', 'accounts.status', 'clients.name as client_name')) as {
    publicId: string; debtorName: string; agencyAccountNumber: string; clientAccountNumber: string; balanceCents: number | string;
    paidToDateCents: number | string; currency: string; status: string; clientName: string;
  };
  const [offers, plan] = await Promise.all([
    openOffers(trx, id, now),
    trx('payment_plans').where({ accountId: id }).whereIn('status', ['active', 'paused']).first('public_id') as Promise<{ publicId: string } | undefined>,
  ]);
  const [components, party, settings, methods, payments, committed] = await Promise.all([
    trx('account_balances').where({ accountId: id }).select('component', 'current_cents') as Promise<{ component: string; currentCents: number | string }[]>,
    trx('account_parties').where({ accountId: id, role: 'responsible' }).first('first_name', 'last_name', 'emails', 'phones', 'city', 'state', 'zip') as Promise<{ firstName: string; lastName: string; emails: string | null; phones: string | null; city: string | null; state: string | null; zip: string | null } | undefined>,
    getPaySettings(trx),
    savedMethods(trx, id),
    listDebtorPayments(trx, id),
    committedCents(trx, id),
  ]);
  const emails = party?.emails ? (JSON.parse(party.emails) as string[]) : [];
  const phones = party?.phones ? (JSON.parse(party.phones) as { type: string; number: string }[]) : [];
  const balance = Number(a.balanceCents);
  return {
    id: a.publicId,
    debtorName: a.debtorName,
    creditor: a.clientName,
    agencyName: settings.agencyName,
    agencyAccountNumber: a.agencyAccountNumber,
    clientAccountNumber: a.clientAccountNumber,
    status: a.status,
    balance: { amountCents: balance, currency: a.currency },
    paidToDate: { amountCents: Number(a.paidToDateCents), currency: a.currency },
    /** what a new payment may still cover: the balance less pending and scheduled payments */
    payable: { amountCents: Math.max(0, balance - committed), currency: a.currency },
    minPayment: { amountCents: Math.min(settings.minPaymentCents, Math.max(0, balance - committed)), currency: a.currency },
    components: components.map((c) => ({ component: c.component, amountCents: Number(c.currentCents) })),
    contact: {
      emails: emails.map(maskEmail),
      phones: phones.map((p) => ({ type: p.type, number: maskPhone(p.number) })),
      city: party?.city ?? null, state: party?.state ?? null,
    },
    options: {
      allowSkipOffer: settings.allowSkipOffer,
      schedulingEnabled: settings.schedulingEnabled,
      contactReviewStep: settings.contactReviewStep,
      maxScheduleDays: settings.maxScheduleDays,
    },
    savedMethods: methods,
    payments,
    offers,
    activePlanId: plan?.publicId ?? null,
  };
}
