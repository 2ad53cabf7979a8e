/** Contact updates: addresses, phones, emails, do-not-call windows, preferred channel, special instructions. */
import { z } from 'zod';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM, 24-hour.');
const phoneDigits = z.string().trim().transform((s) => s.replace(/\D/g, '')).pipe(z.string().min(10, 'A phone number has at least 10 digits.').max(15));

export const DoNotCallWindow = z.strictObject({
  days: z.array(z.enum(DAYS)).min(1).max(7),
  from: hhmm,
  to: hhmm,
}).refine((w) => w.from < w.to, { message: 'The window must end after it starts.', path: ['to'] });

export const ContactPreferences = z.object({
  preferredChannel: z.enum(['phone', 'sms', 'email', 'mail']).nullable(),
  doNotCall: z.array(z.object({ days: z.array(z.enum(DAYS)), from: z.string(), to: z.string() })),
});

export const ContactUpdateBody = z.strictObject({
  party: z.enum(['responsible', 'spouse', 'second_location', 'patient']).default('responsible').describe('whose address, phones and emails change'),
  address: z.strictObject({
    line1: z.string().trim().min(1).max(200),
    line2: z.string().trim().max(100).nullable().optional(),
    city: z.string().trim().min(1).max(100),
    state: z.string().trim().regex(/^[A-Za-z]{2}$/, 'Two-letter state code.').transform((s) => s.toUpperCase()),
    zip: z.string().trim().regex(/^\d{5}(-?\d{4})?$/, 'ZIP: 5 or 9 digits.'),
  }).optional(),
  phones: z.array(z.strictObject({ type: z.enum(['mobile', 'home', 'work', 'other']), number: phoneDigits })).max(6).optional(),
  emails: z.array(z.email().max(200)).max(6).optional(),
  preferredChannel: z.enum(['phone', 'sms', 'email', 'mail']).nullable().optional(),
  doNotCall: z.array(DoNotCallWindow).max(14).optional().describe('times the debtor must not be called, in the debtor\'s local time'),
  specialInstructions: z.string().trim().max(4000).nullable().optional().describe('escalation notes and handling instructions for the agency'),
  reason: z.string().trim().max(500).optional(),
}).refine((b) => ['address', 'phones', 'emails', 'preferredChannel', 'doNotCall', 'specialInstructions'].some((k) => (b as Record<string, unknown>)[k] !== undefined), {
  message: 'Change at least one field.', path: [],
});
export type ContactUpdateInput = z.output<typeof ContactUpdateBody>;

export const ContactChange = z.object({
  id: z.string(),
  party: z.string().nullable(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  reason: z.string().nullable(),
  changedBy: z.string(),
  changedAt: z.string(),
});

export const ContactView = z.object({
  accountId: z.string(),
  preferences: ContactPreferences,
  specialInstructions: z.string().nullable(),
  history: z.array(ContactChange).describe('newest first, at most 50'),
});
