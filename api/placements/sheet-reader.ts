/**
 * Reading a placed spreadsheet row by row without holding it in memory: CSV (RFC 4180: quoted
 * fields, doubled quotes, newlines inside quotes, a UTF-8 BOM, CRLF or LF) through a small state
 * machine over a file stream, XLSX through exceljs's streaming WorkbookReader (first worksheet).
 * Every cell comes out as a trimmed string; XLSX dates as YYYY-MM-DD.
 */
import { createReadStream } from 'node:fs';
import ExcelJS from 'exceljs';

export type SheetFormat = 'csv' | 'xlsx';

const [QUOTE, COMMA, LF, CR] = [0x22, 0x2c, 0x0a, 0x0d];

/** Parses CSV text arriving in pieces; `push` returns the records completed so far. */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private started = false;
  private pendingCr = false;

  push(chunk: string): string[][] {
    const out: string[][] = [];
    let text = chunk;
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // Runs of ordinary characters are appended as one slice (not one character at a time): the
    // parser reads every row of a bulk placement, and once more to count them.
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (text.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      if (this.quoted) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          this.field += text.slice(i);
          break;
        }
        this.field += text.slice(i, q);
        if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
          this.field += '"';
          i = q + 2;
        } else if (q + 1 === n) {
          // a quote at the end of a chunk: decide when the next chunk arrives
          this.quoted = false;
          this.afterQuote = true;
          break;
        } else {
          this.quoted = false;
          i = q + 1;
        }
        continue;
      }
      if (this.afterQuote) {
        this.afterQuote = false;
        if (text.charCodeAt(i) === QUOTE) {
          this.field += '"';
          this.quoted = true;
          i++;
          continue;
        }
      }
      let j = i;
      for (let c = text.charCodeAt(j); j < n && c !== COMMA && c !== LF && c !== CR && c !== QUOTE; c = text.charCodeAt(++j));
      if (j > i) {
        this.field += text.slice(i, j);
        i = j;
        if (i === n) break;
      }
      const c = text.charCodeAt(i++);
      if (c === QUOTE) {
        if (this.field === '') this.quoted = true;
        else this.field += '"';
      } else if (c === COMMA) {
        this.endField();
      } else {
        if (c === CR) this.pendingCr = true;
        out.push(this.endRecord());
      }
    }
    return out;
  }

  /** The last record when the file does not end with a newline. */
  end(): string[][] {
    this.afterQuote = false;
    if (this.field === '' && this.record.length === 0) return [];
    return [this.endRecord()];
  }

  private endField(): void {
    this.record.push(this.field.trim());
    this.field = '';
  }

  private endRecord(): string[] {
    this.endField();
    const r = this.record;
    this.record = [];
    return r;
  }
}

async function* csvRecords(path: string): AsyncGenerator<string[]> {
  const parser = new CsvParser();
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    for (const r of parser.push(chunk as string)) yield r;
  }
  for (const r of parser.end()) yield r;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string; error?: string };
    if (v.richText) return v.richText.map((t) => t.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    if (v.error) return '';
    return '';
  }
  return String(value);
}

async function* xlsxRecords(path: string): AsyncGenerator<string[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', entries: 'emit' });
  for await (const sheet of reader) {
    let expected = 1;
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      // Rows entirely empty are not emitted; keep the numbering honest with empty records.
      for (; expected < row.number; expected++) yield [];
      expected = row.number + 1;
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      yield cells;
    }
    return; // the first worksheet only
  }
}

/** All records of the file, the header first. */
export function readRecords(path: string, format: SheetFormat): AsyncGenerator<string[]> {
  return format === 'csv' ? csvRecords(path) : xlsxRecords(path);
}

export const isBlank = (cells: string[]) => cells.every((c) => c === '');
