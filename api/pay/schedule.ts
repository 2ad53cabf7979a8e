/** Date arithmetic for schedules, on ISO dates (YYYY-MM-DD, UTC): no time zones, no floats. */
export const todayIso = (now: Date) => now.toISOString().slice(0, 10);

export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Same day of a later month, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export type Frequency = 'weekly' | 'biweekly' | 'monthly';

/** Instalment dates and amounts: equal parts in cents, the rounding remainder on the last one. */
export function instalmentSchedule(totalCents: number, count: number, frequency: Frequency, start: string): { date: string; amountCents: number }[] {
  const base = Math.floor(totalCents / count);
  return Array.from({ length: count }, (_, i) => ({
    date: frequency === 'monthly' ? addMonths(start, i) : addDays(start, i * (frequency === 'weekly' ? 7 : 14)),
    amountCents: i === count - 1 ? totalCents - base * (count - 1) : base,
  }));
}
