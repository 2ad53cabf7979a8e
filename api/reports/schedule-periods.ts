/** Schedule periods: when the next snapshot of a daily, weekly or monthly schedule is due (UTC boundaries). */
export const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** The first period boundary strictly after `after`: next midnight, next Monday midnight, next 1st of the month. */
export function nextBoundary(frequency: Frequency, after: Date): Date {
  const d = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate()));
  if (frequency === 'monthly') return new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth() + 1, 1));
  d.setUTCDate(d.getUTCDate() + 1);
  if (frequency === 'weekly') while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

/** A snapshot stands for the boundary it was due at: one per schedule and boundary. */
export const periodKeyOf = (boundary: Date) => boundary.toISOString().slice(0, 10);
