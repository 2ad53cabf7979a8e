/** The compliance contract: opt-outs, E-SIGN consent, validation information, disputes, the export. */
import { z } from 'zod';

export const UnsubscribeQuery = z.strictObject({ token: z.string().min(10).max(2000) });
/** RFC 8058 one-click: mail clients post `List-Unsubscribe=One-Click` as a form; nothing else is needed. */
export const OneClickBody = z.object({ 'List-Unsubscribe': z.string().max(40).optional() }).loose();
export const UnsubscribeResult = z.object({ optedOut: z.literal(true), channel: z.enum(['email', 'sms']) });

export const InboundSmsBody = z.object({
  from: z.string().trim().min(7).max(32),
  to: z.string().trim().max(32).optional(),
  text: z.string().max(1600),
  messageId: z.string().max(100).optional(),
}).loose();
export const InboundSmsResult = z.object({ action: z.enum(['opted_out', 'opted_in', 'ignored']) });

export const EsignStatementOut = z.object({ version: z.string(), title: z.string(), text: z.string(), hash: z.string() });

export const AccountIdParams = z.strictObject({ id: z.string().min(4).max(40) });

export const Consent = z.object({
  id: z.string(),
  statementVersion: z.string(),
  statementHash: z.string(),
  channels: z.object({ email: z.boolean(), sms: z.boolean() }),
  emailAddress: z.string().nullable(),
  phone: z.string().nullable(),
  source: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  consentedAt: z.string(),
  withdrawnAt: z.string().nullable(),
  withdrawnVia: z.string().nullable(),
});

export const WithdrawConsentBody = z.strictObject({ note: z.string().trim().min(1).max(500).describe('how the debtor asked, e.g. "by phone 11/24"') });
export const WithdrawConsentResult = z.object({ withdrawn: z.number().int() });

export const OptOutBody = z.strictObject({
  channel: z.enum(['email', 'sms']),
  address: z.string().trim().min(3).max(320),
  note: z.string().trim().min(1).max(255),
});
export const OptOutResult = z.object({ id: z.string(), created: z.boolean() });

export const ValidationInformation = z.object({
  accountId: z.string(),
  accountNumber: z.string().describe("the client's account number"),
  agencyAccountNumber: z.string(),
  currency: z.string().length(3),
  currentCreditor: z.string(),
  originalCreditor: z.string(),
  itemization: z.object({
    date: z.string(),
    reference: z.enum(['charge_off', 'transaction', 'placement']).describe('which Regulation F reference date the itemization date is'),
    balanceCents: z.number().int(),
  }),
  changesSinceItemization: z.object({
    interestCents: z.number().int(),
    feesCents: z.number().int(),
    paymentsCents: z.number().int(),
    creditsCents: z.number().int(),
  }),
  currentAmountCents: z.number().int(),
});

const DISPUTE_REASON_CODES = ['not_mine', 'wrong_amount', 'already_paid', 'identity_theft', 'not_owed', 'other'] as const;

export const NewDisputeBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('dispute'),
    scope: z.enum(['all', 'part']),
    disputedAmountCents: z.number().int().positive().optional().describe('required when scope is part'),
    reasonCode: z.enum(DISPUTE_REASON_CODES),
    reason: z.string().trim().max(2000).optional(),
  }).refine((b) => b.scope === 'all' || b.disputedAmountCents !== undefined, { message: 'Give the disputed amount.', path: ['disputedAmountCents'] }),
  z.strictObject({
    kind: z.literal('original_creditor_request'),
    reason: z.string().trim().max(2000).optional(),
  }),
]);

export const Dispute = z.object({
  id: z.string(),
  kind: z.enum(['dispute', 'original_creditor_request']),
  scope: z.enum(['all', 'part']).nullable(),
  disputedAmountCents: z.number().int().nullable(),
  reasonCode: z.string().nullable(),
  reason: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  submittedVia: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  /** the supporting document sent with it: an attachment of the account */
  document: z.object({ attachmentId: z.string(), fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() }).nullable(),
});

/** multipart/form-data: the fields of the JSON body as text, and an optional supporting document in `file` */
export const NewDisputeForm = z.object({
  kind: z.enum(['dispute', 'original_creditor_request']),
  scope: z.enum(['all', 'part']).optional(),
  disputedAmountCents: z.string().optional().describe('integer cents'),
  reasonCode: z.enum(DISPUTE_REASON_CODES).optional(),
  reason: z.string().optional(),
  file: z.string().optional().describe('binary: PDF, image, text or Office document within the upload limits'),
});

export const DisputeCreated = Dispute.extend({
  accountStatus: z.string(),
  confirmation: z.object({ reference: z.string(), message: z.string() }),
});
export const DisputeResolved = Dispute.extend({ accountStatus: z.string() });
export const DisputeList = z.object({ data: z.array(Dispute) });
export const DisputeParams = z.strictObject({ disputeId: z.string().min(4).max(40) });
export const ResolveDisputeBody = z.strictObject({ resolution: z.string().trim().min(3).max(2000) });

export const ExportQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
export const ComplianceExport = z.object({
  account: z.object({ id: z.string(), agencyAccountNumber: z.string(), status: z.string() }),
  generatedAt: z.string(),
  consents: z.array(Consent),
  optOuts: z.array(z.object({ id: z.string(), channel: z.string(), address: z.string(), source: z.string(), detail: z.string().nullable(), createdAt: z.string(), revokedAt: z.string().nullable() })),
  disputes: z.array(Dispute),
  messages: z.array(z.object({
    id: z.string(), channel: z.string(), category: z.string(), recipient: z.string(), status: z.string(), cancelReason: z.string().nullable(),
    createdAt: z.string(), notBefore: z.string().nullable(), sentAt: z.string().nullable(),
  })),
  audit: z.array(z.object({
    at: z.string(), actor: z.object({ type: z.string(), id: z.string().nullable() }), action: z.string(),
    target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(), ip: z.string().nullable(), before: z.unknown(), after: z.unknown(),
  })),
});
