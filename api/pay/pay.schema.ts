/** The debtor-payments contract: finding the account, methods, payments, links and settings. */
import { z } from 'zod';

const isoDate = z.iso.date();
const Money = z.object({ amountCents: z.number().int(), currency: z.string() });

export const LinkSessionBody = z.strictObject({ linkToken: z.string().min(20).max(200) });

export const IdentitySessionBody = z
  .strictObject({
    accountNumber: z.string().trim().min(3).max(64).optional(),
    ssnLast4: z.string().regex(/^\d{4}$/, 'Enter the last 4 digits of the SSN.').optional(),
    dob: isoDate,
    zip: z.string().trim().regex(/^\d{5}$/, 'Enter the 5-digit ZIP code.'),
  })
  .refine((b) => Boolean(b.accountNumber) !== Boolean(b.ssnLast4), { message: 'Give the account number or the SSN last 4 (one of them).', path: ['accountNumber'] });

const SessionAccount = z.object({ id: z.string(), creditor: z.string().optional(), agencyAccountNumber: z.string().optional() });
export const DebtorSessionOut = z.object({ token: z.string(), expiresAt: z.string(), account: SessionAccount });
export const IdentitySessionsOut = z.object({ sessions: z.array(DebtorSessionOut) });

export const PaymentLinkBody = z.strictObject({
  expiresInDays: z.number().int().min(1).max(90).optional(),
  send: z.enum(['email', 'sms']).optional().describe("also send the link to the debtor's email or mobile (through the outbox)"),
  lang: z.enum(['en', 'es']).optional().describe("the language of the message and of the pay page the link opens; default: the debtor's recorded language, else English"),
});
export const PaymentLinkOut = z.object({ id: z.string(), url: z.string(), token: z.string(), expiresAt: z.string(), account: z.object({ id: z.string() }), sentTo: z.string().nullable() });
export const AccountIdParams = z.strictObject({ id: z.string().min(4).max(40) });
export const PaymentIdParams = z.strictObject({ id: z.string().min(4).max(40) });

/** Card and bank details: accepted only by POST /pay/methods (the pay frame), tokenised at once. */
export const MethodBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('card'),
    number: z.string().trim().min(12).max(23),
    expMonth: z.number().int(),
    expYear: z.number().int().min(0).max(2100),
    cvc: z.string().trim().max(4),
    postalCode: z.string().trim().max(10).optional(),
    save: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('ach'),
    routingNumber: z.string().trim().max(9),
    accountNumber: z.string().trim().min(1).max(20),
    accountType: z.enum(['checking', 'savings']),
    holderName: z.string().trim().min(1).max(200),
    save: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('wallet'), walletToken: z.string().min(1).max(200), save: z.boolean().optional() }),
]);

/** A new security code or expiry for a card whose charge was declined for it (typed in the frame). */
export const CardDetailsBody = z.strictObject({
  cvc: z.string().trim().max(4).optional(),
  expMonth: z.number().int().optional(),
  expYear: z.number().int().min(0).max(2100).optional(),
}).refine((b) => b.cvc !== undefined || b.expMonth !== undefined, { message: 'Give the security code or the expiry.' });
export const MethodIdParams = z.strictObject({ id: z.string().min(4).max(40) });

export const MethodOut = z.object({
  id: z.string(), kind: z.enum(['card', 'ach', 'wallet']), brand: z.string(), last4: z.string(), expMonth: z.number().nullable(), expYear: z.number().nullable(), saved: z.boolean(),
});

/** the debtor's language: the agreement is rendered, signed and recorded in it */
const AgreementLang = z.enum(['en', 'es']).optional();
const PaymentFields = {
  lang: AgreementLang,
  amountCents: z.number().int().min(1),
  paymentMethodId: z.string().min(4).max(40),
  scheduledFor: isoDate.optional(),
  email: z.email().max(200).optional(),
};
export const PaymentPreviewBody = z.strictObject(PaymentFields);
export const Signature = z.strictObject({ typedName: z.string().trim().min(2, 'Type your full name to sign.').max(200), textHash: z.string().regex(/^[0-9a-f]{64}$/) });
export const PaymentBody = z.strictObject({ ...PaymentFields, agreement: Signature });

export const AgreementOut = z.object({ version: z.string(), lang: z.enum(['en', 'es']), text: z.string(), textHash: z.string() });
export const PaymentPreviewOut = z.object({ amount: Money, scheduledFor: z.string().nullable(), agreement: AgreementOut });

export const PaymentOut = z.object({
  id: z.string(), kind: z.string(), status: z.enum(['scheduled', 'pending', 'succeeded', 'declined', 'failed', 'cancelled']),
  amount: Money, method: z.object({ kind: z.string().nullable(), brand: z.string().nullable(), last4: z.string().nullable() }),
  scheduledFor: z.string().nullable(), declineCode: z.string().nullable(), declineMessage: z.string().nullable(), receiptNumber: z.string().nullable(),
  planId: z.string().nullable(), instalmentNumber: z.number().nullable(), createdAt: z.string(), completedAt: z.string().nullable(),
});

/** The receipt email of a payment: where, whether waiting (and until when), sent or not sent. */
export const ReceiptEmailOut = z.object({
  to: z.string().nullable(), status: z.enum(['none', 'waiting', 'sent', 'not_sent']), sendAt: z.string().nullable(), canRequest: z.boolean(),
});

export const OfferOut = z.object({
  id: z.string(), kind: z.enum(['settlement', 'plan']), percent: z.number().nullable(), amount: Money, balance: Money, savings: Money,
  instalments: z.number().nullable(), instalmentAmountCents: z.number().nullable(), frequency: z.string().nullable(), payBy: z.string().nullable(),
  expiresOn: z.string(), status: z.string(), createdAt: z.string(),
});

export const PayAccountOut = z.object({
  id: z.string(), debtorName: z.string(), creditor: z.string(), agencyName: z.string(), agencyAccountNumber: z.string(), clientAccountNumber: z.string(),
  status: z.string(), balance: Money, paidToDate: Money, payable: Money, minPayment: Money,
  components: z.array(z.object({ component: z.string(), amountCents: z.number() })),
  contact: z.object({ emails: z.array(z.string()), phones: z.array(z.object({ type: z.string(), number: z.string() })), city: z.string().nullable(), state: z.string().nullable() }),
  options: z.object({ allowSkipOffer: z.boolean(), schedulingEnabled: z.boolean(), contactReviewStep: z.boolean(), maxScheduleDays: z.number() }),
  savedMethods: z.array(MethodOut),
  payments: z.array(PaymentOut),
  offers: z.array(OfferOut),
  activePlanId: z.string().nullable(),
});

export const PaySettingsBody = z.strictObject({
  allowSkipOffer: z.boolean().optional(),
  schedulingEnabled: z.boolean().optional(),
  contactReviewStep: z.boolean().optional(),
  linkTtlDays: z.number().int().min(1).max(90).optional(),
  maxScheduleDays: z.number().int().min(1).max(365).optional(),
  declineRetries: z.number().int().min(0).max(5).optional(),
  retryEveryDays: z.number().int().min(1).max(30).optional(),
  offerReminderDays: z.array(z.number().int().min(1).max(60)).max(3).optional(),
  minPaymentCents: z.number().int().min(1).optional(),
  agencyName: z.string().trim().min(1).max(200).optional(),
  payPageUrl: z.union([z.url().max(500), z.literal('')]).optional(),
  brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #1d4ed8.').optional(),
  supportLine: z.string().trim().max(300).optional(),
});
export const PaySettingsOut = z.object({
  allowSkipOffer: z.boolean(), schedulingEnabled: z.boolean(), contactReviewStep: z.boolean(), linkTtlDays: z.number(), maxScheduleDays: z.number(),
  declineRetries: z.number(), retryEveryDays: z.number(), offerReminderDays: z.array(z.number()), minPaymentCents: z.number(), agencyName: z.string(),
  payPageUrl: z.string(), brandColor: z.string(), supportLine: z.string(),
});

export const OfferBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('settlement'), percent: z.number().min(1).max(100), payBy: isoDate, expiresOn: isoDate.optional() }),
  z.strictObject({ kind: z.literal('plan'), instalments: z.number().int().min(2).max(36), frequency: z.enum(['weekly', 'biweekly', 'monthly']), expiresOn: isoDate }),
]);
export const OfferIdParams = z.strictObject({ id: z.string().min(4).max(40) });
export const PlanParams = z.strictObject({ id: z.string().min(4).max(40), planId: z.string().min(4).max(40) });
const AcceptFields = { lang: AgreementLang, paymentMethodId: z.string().min(4).max(40), startDate: isoDate.optional(), email: z.email().max(200).optional() };
export const OfferPreviewBody = z.strictObject(AcceptFields);
export const OfferAcceptBody = z.strictObject({ ...AcceptFields, agreement: Signature });
export const OfferPreviewOut = z.object({ offer: OfferOut, schedule: z.array(z.object({ date: z.string(), amountCents: z.number() })), agreement: AgreementOut });
export const OfferAcceptOut = z.object({ offer: OfferOut, planId: z.string().nullable(), payments: z.array(PaymentOut) });
export const PlanOut = z.object({
  id: z.string(), status: z.string(), instalments: z.number(), total: Money, frequency: z.string(), agreementId: z.string(), createdAt: z.string(), cancelledAt: z.string().nullable(),
  schedule: z.array(PaymentOut.extend({ planStatus: z.string() })),
});
export const CancelPlanBody = z.strictObject({ reason: z.string().trim().max(200).optional() });

export const ContactBody = z.strictObject({
  email: z.email().max(200).optional(),
  mobile: z.string().trim().regex(/^[\d\s().+-]{10,20}$/, 'Enter a 10-digit phone number.').optional(),
});
export const ContactOut = z.object({ emails: z.array(z.string()), phones: z.array(z.object({ type: z.string(), number: z.string() })) });
