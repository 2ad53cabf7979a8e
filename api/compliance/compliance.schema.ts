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
