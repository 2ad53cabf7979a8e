/**
 * XLSX export with exceljs' streaming writer: rows are committed as they come, so a large report
 * never sits in memory as a whole workbook. Money is a number of dollars with a currency format,
 * counts are numbers, dates stay ISO text (unambiguous in every locale).
 */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, Column, Row } from '../report.types.js';

const NUM_FMT: Partial<Record<Column['type'], string>> = { money: '#,##0.00', int: '#,##0', percent: '0.0' };

function value(col: Column, v: Cell | undefined): string | number | null {
  if (v === null || v === undefined) return null;
  if (col.type === 'money') return Number(v) / 100;
  if (col.type === 'int' || col.type === 'percent') return Number(v);
  return String(v);
}

export function xlsxStream(opts: { title: string; columns: Column[]; chunks: AsyncIterable<Row[]>; totals: () => Promise<Row | null> }): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(opts.title.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  ws.columns = opts.columns.map((c) => ({ header: c.label, key: c.key, width: c.type === 'text' ? 24 : 14, style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {} }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  const add = (r: Row, bold = false) => {
    const row = ws.addRow(Object.fromEntries(opts.columns.map((c) => [c.key, value(c, r[c.key])])));
    if (bold) row.font = { bold: true };
    row.commit();
  };
  (async () => {
    for await (const chunk of opts.chunks) for (const r of chunk) add(r);
    const t = await opts.totals();
    if (t) add(t, true);
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}
