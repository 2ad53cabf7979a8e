/**
 * The agency's debtor-payment settings, stored in `settings` under the key `pay` (JSON) with
 * defaults for anything never set. Kept here rather than in settings.service so the feature owns them.
 */
import type { Trx } from '../platform/db.js';
import { now } from '../platform/db.js';

export interface PaySettings {
  /** the debtor may pay without taking the offer shown */
  allowSkipOffer: boolean;
  /** future-dated one-time payments (only when no offer is taken) */
  schedulingEnabled: boolean;
  /** show the contact-information review step before paying */
  contactReviewStep: boolean;
  /** how long a personalised payment link stays valid */
  linkTtlDays: number;
  /** how far ahead a scheduled payment may be dated */
  maxScheduleDays: number;
  /** a declined instalment is retried this many times, every `retryEveryDays` days */
  declineRetries: number;
  retryEveryDays: number;
  /** reminders before an offer expires, days before the expiry date (at most three) */
  offerReminderDays: number[];
  /** the smallest one-time payment, unless the balance is smaller */
  minPaymentCents: number;
  /** the payee named in agreements and receipts */
  agencyName: string;
  /** the agency's public page with ck-pay-form that links open (`#link=…` is appended); empty: the portal's own /pay */
  payPageUrl: string;
  /** the portal's /pay page: its accent colour and the contact line under the form */
  brandColor: string;
  supportLine: string;
}

export const PAY_DEFAULTS: PaySettings = {
  allowSkipOffer: true,
  schedulingEnabled: true,
  contactReviewStep: false,
  linkTtlDays: 14,
  maxScheduleDays: 60,
  declineRetries: 2,
  retryEveryDays: 3,
  offerReminderDays: [7, 3, 1],
  minPaymentCents: 100,
  agencyName: 'Northwind Recovery',
  payPageUrl: '',
  brandColor: '#1d4ed8',
  supportLine: '',
};

export async function getPaySettings(trx: Trx): Promise<PaySettings> {
  const row = (await trx('settings').where({ key: 'pay' }).first('value_json')) as { valueJson: string } | undefined;
  return row ? { ...PAY_DEFAULTS, ...(JSON.parse(row.valueJson) as Partial<PaySettings>) } : PAY_DEFAULTS;
}

export async function putPaySettings(trx: Trx, value: Partial<PaySettings>): Promise<PaySettings> {
  const merged = { ...(await getPaySettings(trx)), ...value };
  merged.offerReminderDays = merged.offerReminderDays.slice(0, 3);
  const valueJson = JSON.stringify(merged);
  const updated = await trx('settings').where({ key: 'pay' }).update({ valueJson, updatedAt: now() });
  if (!updated) await trx('settings').insert({ key: 'pay', valueJson, updatedAt: now() });
  return merged;
}
