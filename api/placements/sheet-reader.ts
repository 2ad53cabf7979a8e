/**
 * Reading a placed spreadsheet row by row without holding it in memory: CSV (RFC 4180: quoted
 * fields, doubled quotes, newlines inside quotes, a UTF-8 BOM, CRLF or LF) through a small state
 * machine over a file stream, XLSX through xlsx-reader.ts (first worksheet). Every cell comes out
 * as a trimmed string; XLSX dates as YYYY-MM-DD. Each record carries its row number.
 *
 * Whatever the bytes, a read costs bounded memory and work (sheet-limits.ts): a cell, a row and the
 * number of columns are capped in both formats, and the reader gives the event loop a turn every
 * few hundred records, so one file never holds up other requests.
 */
import { createReadStream } from 'node:fs';
import { SHEET_LIMITS, cellTooLong, rowTooLong, tooManyColumns } from './sheet-limits.js';
import { xlsxRecords, type SheetRecord } from './xlsx-reader.js';

export type SheetFormat = 'csv' | 'xlsx';
export type { SheetRecord };

const [QUOTE, COMMA, LF, CR] = [0x22, 0x2c, 0x0a, 0x0d];

/** Parses CSV text arriving in pieces; `push` returns the records completed so far. */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  private afterQuote = false;
  private started = false;
  private pendingCr = false;
  /** records completed so far (for the row number in a limit's message) */
  private records = 0;
  private recordChars = 0;

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
          this.checkField();
          break;
        }
        this.field += text.slice(i, q);
        this.checkField();
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
        this.checkField();
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

  /** A field grows a chunk at a time: stop it at Excel's cell limit, not at the end of the file. */
  private checkField(): void {
    if (this.field.length > SHEET_LIMITS.maxCellChars) throw cellTooLong(this.records + 1, this.field.length);
  }

  private endField(): void {
    this.recordChars += this.field.length;
    if (this.recordChars > SHEET_LIMITS.maxRowChars) throw rowTooLong(this.records + 1);
    if (this.record.length >= SHEET_LIMITS.maxColumns) throw tooManyColumns(this.records + 1);
    this.record.push(this.field.trim());
    this.field = '';
  }

  private endRecord(): string[] {
    this.endField();
    const r = this.record;
    this.record = [];
    this.records++;
    this.recordChars = 0;
    return r;
  }
}

async function* csvRecords(path: string): AsyncGenerator<SheetRecord> {
  const parser = new CsvParser();
  let row = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
    for (const cells of parser.push(chunk as string)) yield { row: ++row, cells };
  }
  for (const cells of parser.end()) yield { row: ++row, cells };
}

/** Records between two turns of the event loop (a 256 KiB read can hold thousands of short records). */
const YIELD_EVERY = 256;

/** All records of the file, the header first, each with its row number. */
export async function* readRecords(path: string, format: SheetFormat): AsyncGenerator<SheetRecord> {
  let n = 0;
  for await (const r of format === 'csv' ? csvRecords(path) : xlsxRecords(path)) {
    yield r;
    if (++n % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export const isBlank = (cells: string[]) => cells.every((c) => c === '');
