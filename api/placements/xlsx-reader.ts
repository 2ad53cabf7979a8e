/**
 * The first worksheet of an XLSX, row by row, with every cost bounded (sheet-limits.ts). We read the
 * zip ourselves (zip-reader.ts) and the XML with saxes, because a general reader (exceljs) inflates
 * parts without a cap, keeps shared strings as heap strings whatever their size, and lets a cell
 * reference like `ZZZZZZ1` or a row number of 2,000,000,000 decide how much work follows.
 *
 * - Rows come with their own row number; rows missing from the file are never made up (a gap is a
 *   jump in `row`), and a row number past Excel's 1,048,576 or not after the previous row is refused.
 * - Shared strings are kept as UTF-8 bytes in one growing Buffer (off the JS heap) plus offsets.
 * - No XML run (text between tags, or one tag) may pass `maxXmlRunBytes`, so the XML parser never
 *   buffers more than that; every cell is capped at Excel's 32,767 characters, a row at `maxRowChars`.
 * Values match what the exceljs-based reader gave: shared/inline strings as text, numbers as JS
 * prints them, date-formatted numbers as YYYY-MM-DD, booleans true/false, errors empty.
 */
import { StringDecoder } from 'node:string_decoder';
import { posix } from 'node:path';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ZipFile, type ZipEntry } from './zip-reader.js';
import { SHEET_LIMITS, SheetLimitError, cellTooLong, fmt, mb, rowTooLong, tooManyColumns, unreadable } from './sheet-limits.js';

export interface SheetRecord {
  /** the spreadsheet's row number (CSV: the record's number), 1-based */
  row: number;
  cells: string[];
}

const partTooLarge = (name: string, limit: 'maxSheetPartBytes' | 'maxSharedStringsPartBytes' | 'maxOtherPartBytes') => () =>
  new SheetLimitError(413, 'sheet_part_too_large', `The workbook part ${name} expands to more than ${mb(SHEET_LIMITS[limit])}, the limit for it; save the sheet as CSV and upload that instead.`, limit);

/** Feeds a part's XML to a saxes parser chunk by chunk; yields after each chunk (the caller's turn). */
async function* feed(zip: ZipFile, entry: ZipEntry, maxBytes: number, tooLarge: () => Error, parser: SaxesParser): AsyncGenerator<void> {
  const decoder = new StringDecoder('utf8');
  let run = 0;
  const runTooLong = () =>
    new SheetLimitError(422, 'sheet_xml_run_too_long', `The workbook part ${entry.name} has more than ${mb(SHEET_LIMITS.maxXmlRunBytes)} between two tags; no cell can be that long.`, 'maxXmlRunBytes');
  for await (const chunk of zip.read(entry, maxBytes, tooLarge)) {
    const text = decoder.write(chunk);
    // Track the run since the last '<' or '>' across chunks (a chunk itself is ≤ 64 KiB).
    const first = text.search(/[<>]/);
    if (first < 0) {
      run += text.length;
      if (run > SHEET_LIMITS.maxXmlRunBytes) throw runTooLong();
    } else {
      if (run + first > SHEET_LIMITS.maxXmlRunBytes) throw runTooLong();
      run = text.length - 1 - Math.max(text.lastIndexOf('<'), text.lastIndexOf('>'));
    }
    try {
      parser.write(text);
    } catch (err) {
      if (err instanceof SheetLimitError) throw err;
      throw unreadable('malformed XML');
    }
    yield;
    // Give other requests a turn: inflated chunks can arrive without one.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  try {
    parser.write(decoder.end()).close();
  } catch (err) {
    if (err instanceof SheetLimitError) throw err;
    throw unreadable('malformed XML');
  }
  yield;
}

function newParser(): SaxesParser {
  // No DTD processing in saxes: an entity it does not know is an error, so no entity expansion bombs.
  const parser = new SaxesParser({ position: false });
  parser.on('error', (err) => {
    throw err;
  });
  return parser;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const attr = (node: SaxesTagPlain, name: string) => {
  for (const [k, v] of Object.entries(node.attributes)) if (localName(k) === name) return v as string;
  return undefined;
};

/** A small part's opening tags, each handed to `onTag`. */
async function scanTags(zip: ZipFile, name: string, onTag: (node: SaxesTagPlain, path: string[]) => void, onClose?: (name: string) => void): Promise<boolean> {
  const entry = zip.entry(name);
  if (!entry) return false;
  const parser = newParser();
  const path: string[] = [];
  parser.on('opentag', (node) => {
    onTag(node as SaxesTagPlain, path);
    if (!node.isSelfClosing) path.push(localName(node.name));
  });
  parser.on('closetag', (node) => {
    if (!node.isSelfClosing) path.pop();
    onClose?.(localName(node.name));
  });
  for await (const _ of feed(zip, entry, SHEET_LIMITS.maxOtherPartBytes, partTooLarge(entry.name, 'maxOtherPartBytes'), parser));
  return true;
}

interface Relationship { type: string; target: string }

async function relationships(zip: ZipFile, partName: string): Promise<Map<string, Relationship>> {
  const dir = posix.dirname(partName);
  const relsName = posix.join(dir, '_rels', `${posix.basename(partName)}.rels`);
  const rels = new Map<string, Relationship>();
  await scanTags(zip, relsName, (node) => {
    if (localName(node.name) !== 'Relationship' || attr(node, 'TargetMode') === 'External') return;
    const id = attr(node, 'Id');
    const target = attr(node, 'Target');
    if (!id || !target) return;
    const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target));
    rels.set(id, { type: attr(node, 'Type') ?? '', target: resolved });
  });
  return rels;
}

const relOfType = (rels: Map<string, Relationship>, suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;

/** Shared strings as UTF-8 bytes in one Buffer, with the offset where each begins. */
class SharedStrings {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private offsets = new Uint32Array(1024);
  private count = 0;

  add(s: string): void {
    const length = Buffer.byteLength(s);
    if (this.used + length > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    if (this.count + 2 > this.offsets.length) {
      const bigger = new Uint32Array(this.offsets.length * 2);
      bigger.set(this.offsets);
      this.offsets = bigger;
    }
    this.bytes.write(s, this.used);
    this.used += length;
    this.count++;
    this.offsets[this.count] = this.used;
  }

  get(i: number): string {
    if (!(i >= 0 && i < this.count)) return '';
    return this.bytes.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }
}

async function sharedStrings(zip: ZipFile, name: string | undefined): Promise<SharedStrings> {
  const strings = new SharedStrings();
  const entry = name ? zip.entry(name) : undefined;
  if (!entry) return strings;
  const parser = newParser();
  let current: string | null = null;
  let inT = false;
  let phonetic = 0;
  parser.on('opentag', (node) => {
    const n = localName(node.name);
    if (n === 'si') current = '';
    else if (n === 'rPh') phonetic += node.isSelfClosing ? 0 : 1;
    else if (n === 't' && !node.isSelfClosing) inT = true;
  });
  const onText = (text: string) => {
    if (current === null || !inT || phonetic) return;
    current += text;
    if (current.length > SHEET_LIMITS.maxCellChars) {
      throw new SheetLimitError(422, 'sheet_cell_too_long', `A shared string of the workbook has ${fmt(current.length)} characters or more; a cell may hold at most ${fmt(SHEET_LIMITS.maxCellChars)} (Excel's own limit).`, 'maxCellChars');
    }
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (node) => {
    const n = localName(node.name);
    if (n === 't') inT = false;
    else if (n === 'rPh' && phonetic) phonetic--;
    else if (n === 'si' && current !== null) {
      strings.add(current);
      current = null;
    }
  });
  for await (const _ of feed(zip, entry, SHEET_LIMITS.maxSharedStringsPartBytes, partTooLarge(entry.name, 'maxSharedStringsPartBytes'), parser));
  return strings;
}

/** Built-in number formats that are dates or times (ECMA-376 18.8.30, with the East Asian ones). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** As exceljs decides: date letters outside quotes and [brackets]. */
const isDateFormat = (code: string) => /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

/** The cell style indexes (the `s` of a cell) whose number format is a date. */
async function dateStyles(zip: ZipFile, name: string | undefined): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  if (name) {
    await scanTags(zip, name, (node, path) => {
      const n = localName(node.name);
      if (n === 'numFmt') custom.set(Number(attr(node, 'numFmtId')), attr(node, 'formatCode') ?? '');
      else if (n === 'xf' && path[path.length - 1] === 'cellXfs') xfFormats.push(Number(attr(node, 'numFmtId') ?? 0));
    });
  }
  const dates = new Set<number>();
  xfFormats.forEach((id, index) => {
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id)) dates.add(index);
  });
  return dates;
}

interface Workbook { sheet: string; sharedStrings?: string; styles?: string; date1904: boolean }

async function workbook(zip: ZipFile): Promise<Workbook> {
  const root = await relationships(zip, '');
  const workbookName = relOfType(root, '/officeDocument') ?? 'xl/workbook.xml';
  const rels = await relationships(zip, workbookName);
  const sheetIds: string[] = [];
  let date1904 = false;
  const found = await scanTags(zip, workbookName, (node) => {
    const n = localName(node.name);
    if (n === 'sheet') {
      const id = attr(node, 'id');
      if (id) sheetIds.push(id);
    } else if (n === 'workbookPr') {
      date1904 = ['1', 'true'].includes(attr(node, 'date1904') ?? '');
    }
  });
  if (!found) throw unreadable('no workbook in the zip');
  // The first tab that is a worksheet (a chart sheet has no rows).
  const sheet = sheetIds.map((id) => rels.get(id)).find((r) => r?.type.endsWith('/worksheet'))?.target;
  if (!sheet) throw unreadable('no worksheet in the workbook');
  return { sheet, sharedStrings: relOfType(rels, '/sharedStrings'), styles: relOfType(rels, '/styles'), date1904 };
}

function columnOf(ref: string | undefined, previous: number, row: number): number {
  if (!ref) return previous + 1;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
    if (col > SHEET_LIMITS.maxColumns) throw tooManyColumns(row);
  }
  return col || previous + 1;
}

const excelDate = (serial: number, date1904: boolean) => {
  const d = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  return Number.isNaN(d.getTime()) ? String(serial) : d.toISOString().slice(0, 10);
};

/** Rows of the first worksheet, each with its row number; empty rows that are not in the file are not made up. */
export async function* xlsxRecords(path: string): AsyncGenerator<SheetRecord> {
  const zip = await ZipFile.open(path);
  const wb = await workbook(zip);
  const entry = zip.entry(wb.sheet);
  if (!entry) throw unreadable('the worksheet is missing');
  const [strings, dates] = await Promise.all([sharedStrings(zip, wb.sharedStrings), dateStyles(zip, wb.styles)]);

  const parser = newParser();
  const done: SheetRecord[] = [];
  let inData = false;
  let rowNumber = 0;
  let cells: string[] | null = null;
  let rowChars = 0;
  let lastCol = 0;
  // the open cell
  let col = 0;
  let type = '';
  let style = -1;
  let formula = false;
  let value: string | null = null;
  let capture = false;
  let inIs = false;
  let phonetic = 0;

  parser.on('opentag', (node) => {
    const n = localName(node.name);
    if (n === 'sheetData') inData = !node.isSelfClosing;
    else if (!inData) return;
    else if (n === 'row') {
      const r = attr(node, 'r');
      const next = r === undefined ? rowNumber + 1 : Number(r);
      if (!Number.isInteger(next) || next < 1) throw unreadable(`row number "${r}"`);
      if (next > SHEET_LIMITS.maxRowNumber) {
        throw new SheetLimitError(422, 'sheet_row_number_too_large', `The sheet has a row numbered ${fmt(next)}; Excel's last row is ${fmt(SHEET_LIMITS.maxRowNumber)}.`, 'maxRowNumber');
      }
      if (next <= rowNumber) throw new SheetLimitError(422, 'sheet_rows_out_of_order', `Row ${fmt(next)} comes after row ${fmt(rowNumber)} in the sheet; rows must be in order.`, 'maxRowNumber');
      rowNumber = next;
      cells = [];
      rowChars = 0;
      lastCol = 0;
      if (node.isSelfClosing) endRow();
    } else if (n === 'c' && cells) {
      col = columnOf(attr(node, 'r'), lastCol, rowNumber);
      if (col > SHEET_LIMITS.maxColumns) throw tooManyColumns(rowNumber);
      lastCol = col;
      type = attr(node, 't') ?? 'n';
      style = Number(attr(node, 's') ?? -1);
      formula = false;
      value = null;
      inIs = false;
      phonetic = 0;
      if (node.isSelfClosing) endCell();
    } else if (n === 'f') formula = true;
    else if (n === 'v') {
      value = '';
      capture = !node.isSelfClosing;
    } else if (n === 'is') {
      inIs = true;
      value ??= '';
    } else if (n === 'rPh') phonetic++;
    else if (n === 't' && inIs && !phonetic) capture = !node.isSelfClosing;
  });
  const onText = (text: string) => {
    if (!capture) return;
    value += text;
    if (value!.length > SHEET_LIMITS.maxCellChars) throw cellTooLong(rowNumber, value!.length);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (node) => {
    if (node.isSelfClosing) return; // handled at the opening
    const n = localName(node.name);
    if (n === 'sheetData') inData = false;
    else if (n === 'v' || n === 't') capture = false;
    else if (n === 'rPh') phonetic--;
    else if (n === 'is') inIs = false;
    else if (n === 'c' && cells) endCell();
    else if (n === 'row' && cells) endRow();
  });

  function endCell() {
    let text: string;
    if (value === null || value === '') text = '';
    else if (type === 's') text = strings.get(Number(value));
    else if (type === 'inlineStr' || type === 'str') text = value;
    else if (type === 'e') text = '';
    else if (type === 'b') text = Number(value) !== 0 ? 'true' : 'false';
    else if (type === 'd') {
      const d = new Date(value);
      text = Number.isNaN(d.getTime()) ? value : d.toISOString().slice(0, 10);
    } else {
      const number = parseFloat(value);
      if (Number.isNaN(number)) text = value;
      else text = !formula && dates.has(style) ? excelDate(number, wb.date1904) : String(number);
    }
    if (text.length > SHEET_LIMITS.maxCellChars) throw cellTooLong(rowNumber, text.length);
    rowChars += text.length;
    if (rowChars > SHEET_LIMITS.maxRowChars) throw rowTooLong(rowNumber);
    cells![col - 1] = text.trim();
    value = null;
  }

  function endRow() {
    const row = cells!;
    for (let i = 0; i < row.length; i++) row[i] ??= ''; // a sparse row: columns without a cell
    done.push({ row: rowNumber, cells: row });
    cells = null;
  }

  for await (const _ of feed(zip, entry, SHEET_LIMITS.maxSheetPartBytes, partTooLarge(entry.name, 'maxSheetPartBytes'), parser)) {
    for (const r of done) yield r;
    done.length = 0;
  }
}
