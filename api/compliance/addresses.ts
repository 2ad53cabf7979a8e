/** One normal form per channel, so "Jo@Mail.example" and "(503) 555-0142" match what senders stored. */
export type Channel = 'email' | 'sms';

export function normalizeAddress(channel: Channel, address: string): string {
  if (channel === 'email') return address.trim().toLowerCase();
  // North American numbers: the last 10 digits ("+1 503 555 0142" = "5035550142"), as account_phones does.
  return address.replace(/\D/g, '').slice(-10);
}
