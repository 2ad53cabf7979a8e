/**
 * CSV export, streamed chunk by chunk (RFC 4180, CRLF, UTF-8 with a BOM so spreadsheet programs
 * read the accents). Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe: a debtor's name can never become `=HYPERLINK(…)` on a client's desk.
 */
import { Readable } from 'node:stream';
import type { Cell, Column, Row } from '../report.types.js';
import { plainCell } from './cells.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(col: Column, v: Cell | undefined): string {
  let s = plainCell(col, v);
  // Numbers we produce (money, counts) are safe even when negative; only text is neutralised.
  if (col.type === 'text' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (columns: Column[], row: Row) => `${columns.map((c) => csvField(c, row[c.key])).join(',')}\r\n`;

export function csvStream(columns: Column[], chunks: AsyncIterable<Row[]>, totals: () => Promise<Row | null>): Readable {
  async function* lines() {
    yield `\uFEFF${columns.map((c) => csvField({ ...c, type: 'text' }, c.label)).join(',')}\r\n`;
    for await (const chunk of chunks) yield chunk.map((r) => line(columns, r)).join('');
    const t = await totals();
    if (t) yield line(columns, t);
  }
  return Readable.from(lines());
}
