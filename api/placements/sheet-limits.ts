/**
 * What one uploaded spreadsheet may cost us (issue 17: a 1.9 KB XLSX stalled the event loop, a 293 KB one
 * exhausted the heap). Whatever its bytes, reading a sheet holds a bounded amount of memory and does
 * a bounded amount of work before it either yields rows or is refused with a problem naming the limit.
 * Where Excel has a limit of its own we use it: a file over it cannot have come from Excel.
 * (An object, not constants: the tests lower the big ones to build bombs quickly.)
 */
import { AppError } from '../platform/errors.js';

export const SHEET_LIMITS = {
  /** Excel's last row number. */
  maxRowNumber: 1_048_576,
  /** Excel's last column (XFD). */
  maxColumns: 16_384,
  /** Excel's most characters in one cell. */
  maxCellChars: 32_767,
  /** All the cells of one row together. */
  maxRowChars: 1_000_000,
  /**
   * The header row: columns, and bytes of the column names as stored with the batch (JSON in a MySQL
   * TEXT column, 65,535 bytes) and sent with it every time.
   */
  maxHeaderColumns: 1_000,
  maxHeaderBytes: 60_000,
  /** Decompressed worksheet XML: streamed, so this bounds the work, not the memory. */
  maxSheetPartBytes: 2 * 1024 ** 3,
  /** Decompressed shared-strings XML: held (as UTF-8 bytes) while the sheet is read. */
  maxSharedStringsPartBytes: 64 * 1024 ** 2,
  /** Any other part we read (workbook, relationships, styles). */
  maxOtherPartBytes: 16 * 1024 ** 2,
  /** Characters between two XML tags, or inside one: what the XML parser may buffer at once. */
  maxXmlRunBytes: 1024 ** 2,
  /** Entries in the zip's central directory (which is read into memory). */
  maxZipEntries: 10_000,
  maxCentralDirectoryBytes: 8 * 1024 ** 2,
  /** Records the upload looks through for the header and the sample rows. */
  peekRecords: 10_000,
};

export type SheetLimit = keyof typeof SHEET_LIMITS;

/** A spreadsheet over one of the limits: a 413 (too big once expanded) or 422 (shaped as no sheet is). */
export class SheetLimitError extends AppError {
  constructor(status: 413 | 422, code: string, message: string, readonly limit: SheetLimit) {
    super(status, code, message, [{ path: 'file', code: limit, message }]);
    this.name = 'SheetLimitError';
  }
}

export const fmt = (n: number) => n.toLocaleString('en-US');
export const mb = (n: number) => `${fmt(Math.round(n / 1024 ** 2))} MB`;

export const cellTooLong = (row: number, chars: number) =>
  new SheetLimitError(422, 'sheet_cell_too_long', `A cell in row ${fmt(row)} has ${fmt(chars)} characters or more; a cell may hold at most ${fmt(SHEET_LIMITS.maxCellChars)} (Excel's own limit).`, 'maxCellChars');

export const rowTooLong = (row: number) =>
  new SheetLimitError(422, 'sheet_row_too_long', `Row ${fmt(row)} holds more than ${fmt(SHEET_LIMITS.maxRowChars)} characters in all; that is the limit for one row.`, 'maxRowChars');

export const tooManyColumns = (row: number) =>
  new SheetLimitError(422, 'sheet_too_many_columns', `Row ${fmt(row)} has cells beyond column ${fmt(SHEET_LIMITS.maxColumns)} (Excel's last column, XFD).`, 'maxColumns');

export const unreadable = (why?: string) => new AppError(400, 'unreadable_file', `The file could not be read as CSV or XLSX${why ? ` (${why})` : ''}.`);
