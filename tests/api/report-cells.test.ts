/**
 * How report cells read in print (PDF) and in the report's parameters: a status reads as the widgets
 * show it ("On hold", "Business closed"), never as its key; CSV keeps the key for machines.
 */
import { describe, expect, it } from 'vitest';
import { plainCell, printCell } from '../../api/reports/export/cells.js';
import { STATUS_LABELS } from '../../i18n/account-statuses.js';
import type { Column } from '../../api/reports/report.types.js';

describe('report cells', () => {
  const status = { key: 'status', label: 'Status', type: 'text' } as unknown as Column;
  it('print a status as its label and keep the key in CSV', () => {
    expect(printCell(status, 'business_closed')).toBe('Business closed');
    expect(printCell(status, 'hold')).toBe('On hold');
    expect(plainCell(status, 'business_closed')).toBe('business_closed');
    const other = { key: 'group', label: 'Group', type: 'text' } as unknown as Column;
    expect(printCell(other, 'business_closed')).toBe('business_closed');
  });
  it('the same labels as the widgets use, for every status', () => {
    expect(Object.keys(STATUS_LABELS)).toEqual(['active', 'hold', 'recalled', 'paid', 'settled', 'bankrupt', 'deceased', 'business_closed', 'disputed', 'closed']);
  });
});
