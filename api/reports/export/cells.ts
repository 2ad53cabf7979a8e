/** How a cell reads in a file: money as dollars with cents, percentages as numbers, dates as given. */
import type { Cell, Column } from '../report.types.js';
import { statusLabel } from '../../../i18n/account-statuses.js';

/** Integer cents → "1234.56" / "-0.05", exact (no floating point). */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer cents → "$1,234.56" for print. */
export function formatMoney(cents: number): string {
  const [whole, frac] = centsToDecimal(Math.abs(cents)).split('.') as [string, string];
  return `${cents < 0 ? '−' : ''}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** A cell as text for CSV (machine-readable: no currency symbols or thousands separators). */
export function plainCell(col: Column, v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (col.type === 'money') return centsToDecimal(Number(v));
  return String(v);
}

/** A cell as text for print. */
export function printCell(col: Column, v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  switch (col.type) {
    case 'money': return formatMoney(Number(v));
    case 'percent': return `${Number(v).toFixed(1)}%`;
    case 'int': return Number(v).toLocaleString('en-US');
    case 'datetime': return String(v).replace('T', ' ').slice(0, 16);
    // a person reads "Business closed", not the key (CSV keeps the key: it is for machines)
    default: return col.key === 'status' ? statusLabel(String(v)) : String(v);
  }
}
