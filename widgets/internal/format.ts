/** Formatting shared by the elements: money from integer cents, dates, status and type labels. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `123456, 'USD'` → `$1,234.56` (cents are integers; no float arithmetic on amounts). */
export function formatMoney(cents: number, currency = 'USD', locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

/** `1234` → `1,234`. */
export const formatCount = (n: number, locale?: string): string => new Intl.NumberFormat(locale).format(n);

/**
 * A date-only value (`2026-03-04`) or an ISO timestamp as a short local date. Date-only values are
 * formatted in UTC so that they never shift by a day in the viewer's time zone.
 */
export function formatDate(value: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!value) return '—';
  const dateOnly = DATE_ONLY.test(value);
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: dateOnly ? 'UTC' : timeZone }).format(date);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A timestamp with the time of day, for timelines. A date-only value has no time of day: it is shown
 * as a date (`new Date('2026-03-04')` is UTC midnight, "12:00 AM" — or the day before west of UTC).
 * `timeZone` is the viewer's unless given (tests pin one).
 */
export function formatDateTime(value: string | null | undefined, locale?: string, timeZone?: string): string {
  if (!value) return '—';
  if (DATE_ONLY.test(value)) return formatDate(value, locale);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
}

/** Account statuses and their labels: one list with the API's printed reports (i18n/account-statuses.ts). */
export { STATUS_LABELS, statusLabel } from '../../i18n/account-statuses.js';

const humanize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

/** Account types, parties, balance components and activity types: snake_case → words. */
export const label = (value: string): string => humanize(value);

/** Dollars typed by a person (`1,234.5`, `$20`) → integer cents, or undefined when empty/invalid. */
export function dollarsToCents(text: string): number | undefined {
  const cleaned = text.replace(/[\s$,]/g, '');
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return undefined;
  const [whole, fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
