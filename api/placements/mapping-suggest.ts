/**
 * Mapping suggestions for a placement spreadsheet: which column holds which field, with a
 * confidence and the sample values the guess was based on.
 *
 * Headers are compared as words (header-tokens.ts: abbreviations, stems, any order); each field has
 * patterns of words with a score, less for every word the header has beyond the pattern and much
 * less for a word that says it is something else ("Last Payment Date" is not a last name). The
 * column's sample values then confirm or contradict the guess: five-digit strings with leading zeros
 * are a ZIP, two-letter codes a state, dates a date, amounts money. Each column is used once, best
 * score first. What scores low is still suggested but marked for review — never silently trusted.
 */
import { headerWords, type HeaderWords, type Role } from './header-tokens.js';
import { stateCode } from './us-geo.js';
import type { BulkField, ColumnMapping } from './bulk-row.js';
import { splitFullName } from './full-name.js';
import { normalizedName } from './normalize.js';

export type Basis = 'remembered' | 'agency' | 'header' | 'values';

export interface Suggestion {
  field: BulkField;
  column: string;
  /** 0…1 */
  confidence: number;
  /** true when a person should look at it before placing (confidence below REVIEW_BELOW) */
  review: boolean;
  basis: Basis;
  /** up to three non-empty values of the column (SSN-looking ones masked) */
  samples: string[];
  /** a full-name column: each sample as it will be stored ("DOE, JANE M"), split by the form's name rules */
  preview?: string[];
}

/** Adds the split-name preview to full-name suggestions. */
function withPreview(s: Suggestion): Suggestion {
  if (s.field !== 'fullName' && s.field !== 'patientFullName') return s;
  return { ...s, preview: s.samples.map((v) => normalizedName(splitFullName(v))) };
}

export const REVIEW_BELOW = 0.75;
const MIN_SCORE = 0.45;

type Kind = 'zip' | 'state' | 'date' | 'money' | 'phone' | 'ssn' | 'email' | 'name' | 'id';

interface Pattern { words: string[]; score: number; other?: string }
interface Spec { patterns: Pattern[]; negative?: string[]; kind?: Kind; role?: 'person' | 'patient' | 'spouse' }

const p = (words: string, score: number, other?: string): Pattern => ({ words: words.split(' '), score, other });

/** Words that add nothing when they are left over ("Phone Number", "Email Address", "Interest Amount"). */
const FREE = new Set(['name', 'number', 'address', 'amount', 'balance', 'line', 'id', 'billto', 'billing', 'mailing', 'home', 'current', 'forwarding', 'main', 'primary', 'present', 'permanent', 'now', 'total']);

const MONEY_NEG = ['payment', 'paid', 'adjustment', 'credit', 'limit', 'last', 'rate', 'apr', 'percent', 'minimum', 'min', 'monthly', 'deposit', 'day', 'date', 'recovery', 'contractual', 'high'];
const NAME_NEG = ['payment', 'date', 'amount', 'balance', 'activity', 'statement', 'visit', 'lastfour', 'update', 'client', 'creditor', 'account', 'file', 'product', 'service', 'street', 'city', 'state', 'zip', 'phone', 'email', 'facility', 'birth', 'ssn', 'number', 'type', 'status'];
const ADDR_NEG = ['email', 'ip', 'web', 'city', 'state', 'zip', 'phone', 'careof'];

const SPECS: Partial<Record<BulkField, Spec>> = {
  clientAccountNumber: {
    patterns: [p('account number', 1), p('account', 0.85), p('loan number', 0.95), p('loan', 0.8), p('invoice number', 0.9), p('invoice', 0.7),
      p('lease number', 0.9), p('lease', 0.75), p('card number', 0.8), p('encounter number', 0.8), p('visit number', 0.8), p('incident number', 0.8), p('run number', 0.75), p('trip number', 0.75), p('number', 0.5)],
    negative: ['medical', 'record', 'mrn', 'phone', 'ssn', 'routing', 'vin', 'type', 'status', 'date', 'balance', 'name', 'original', 'agency', 'open', 'mobile', 'zip', 'street', 'apt', 'suite', 'unit', 'tax', 'license', 'check', 'po', 'order'],
    kind: 'id',
  },
  accountType: { patterns: [p('account type', 0.95), p('type', 0.5)], negative: ['card', 'service', 'phone', 'financial', 'class', 'product', 'address'] },
  serviceDate: {
    patterns: [p('service date', 1), p('service', 0.55), p('discharge date', 0.8), p('admit date', 0.65), p('invoice date', 0.85), p('purchase date', 0.7),
      p('contract date', 0.7), p('transaction date', 0.6), p('moveout date', 0.7), p('visit date', 0.8), p('bill date', 0.75), p('final bill date', 0.85), p('date', 0.45)],
    negative: ['birth', 'payment', 'chargeoff', 'writeoff', 'due', 'open', 'placement', 'placed', 'delinquency', 'disconnect', 'judgment', 'move', 'in', 'statement', 'sale', 'repo', 'close', 'closed', 'amount', 'balance', 'address', 'type', 'end', 'thru', 'through', 'to'],
    kind: 'date',
  },
  chargeOffDate: {
    patterns: [p('chargeoff date', 1), p('chargeoff', 0.75), p('writeoff date', 0.9), p('writeoff', 0.7)],
    negative: ['amount', 'balance', 'reason'],
    kind: 'date',
  },
  principal: {
    patterns: [p('balance', 0.9), p('balance due', 0.95), p('amount due', 0.92), p('principal', 0.95), p('amount owed', 0.92), p('owed', 0.85),
      p('due', 0.75), p('outstanding', 0.85), p('amount', 0.55), p('deficiency', 0.85), p('placed amount', 0.9), p('placement amount', 0.9),
      p('chargeoff', 0.7), p('writeoff', 0.7), p('debt', 0.7), p('final bill', 0.8)],
    negative: [...MONEY_NEG, 'interest', 'fee', 'cost', 'charge', 'original', 'high', 'invoice', 'insurance', 'late'],
    kind: 'money',
  },
  interest: { patterns: [p('interest', 0.95)], negative: [...MONEY_NEG, 'original'], kind: 'money' },
  fees: {
    patterns: [p('fee', 0.9), p('late charge', 0.85), p('finance charge', 0.8), p('nsf', 0.75), p('late', 0.6)],
    negative: [...MONEY_NEG, 'interest', 'cost', 'original'],
    kind: 'money',
  },
  costs: { patterns: [p('cost', 0.9), p('court', 0.75)], negative: [...MONEY_NEG, 'original'], kind: 'money' },
  fullName: { patterns: [p('name', 0.85), p('full name', 1)], negative: [...NAME_NEG, 'first', 'last', 'middle', 'suffix', 'initial', 'full'], kind: 'name', role: 'person' },
  firstName: { patterns: [p('first name', 1), p('first', 0.85)], negative: NAME_NEG, kind: 'name', role: 'person' },
  middleName: { patterns: [p('middle name', 1), p('middle', 0.85), p('middle initial', 1), p('initial', 0.6)], negative: NAME_NEG, role: 'person' },
  lastName: { patterns: [p('last name', 1), p('last', 0.7)], negative: NAME_NEG, kind: 'name', role: 'person' },
  suffix: { patterns: [p('suffix', 1)], negative: NAME_NEG, role: 'person' },
  dob: { patterns: [p('birth date', 1), p('birth', 0.85)], kind: 'date', role: 'person' },
  ssn: { patterns: [p('ssn', 1)], negative: ['lastfour', 'last', 'masked'], kind: 'ssn', role: 'person' },
  address1: {
    patterns: [p('address', 0.85), p('address 1', 1), p('street', 0.9), p('street address', 0.95)],
    negative: [...ADDR_NEG, '2', '3', 'service'],
    role: 'person',
  },
  address2: { patterns: [p('address 2', 1), p('line 2', 0.8), p('apt', 0.8), p('suite', 0.8)], negative: [...ADDR_NEG, 'service'], role: 'person' },
  city: { patterns: [p('city', 1), p('town', 0.9)], negative: ['service', 'birth'], role: 'person' },
  state: { patterns: [p('state', 1), p('province', 0.8)], negative: ['service', 'birth', 'license'], kind: 'state', role: 'person' },
  zip: { patterns: [p('zip', 1)], negative: ['service'], kind: 'zip', role: 'person' },
  phone: {
    patterns: [p('phone', 0.95), p('phone 1', 1), p('home phone', 1)],
    negative: ['2', '3', 'work', 'mobile', 'fax', 'office', 'alt', 'alternate', 'other', 'secondary', 'day', 'evening', 'type'],
    kind: 'phone', role: 'person',
  },
  phone2: {
    patterns: [p('phone 2', 1), p('mobile', 0.9), p('mobile phone', 0.95), p('work phone', 0.85), p('alt phone', 0.85), p('alternate phone', 0.85),
      p('secondary phone', 0.85), p('other phone', 0.75), p('phone', 0.8, 'business'), p('office phone', 0.8), p('day phone', 0.75)],
    negative: ['fax', '3', 'type'],
    kind: 'phone', role: 'person',
  },
  email: { patterns: [p('email', 1)], negative: ['type', 'opt', 'consent'], kind: 'email', role: 'person' },
  employer: { patterns: [p('', 0.95, 'employer')], negative: ['phone', 'address', 'city', 'state', 'zip', 'street', 'mobile'], role: 'person' },
  spouseFirstName: { patterns: [p('first name', 1), p('first', 0.85)], negative: NAME_NEG, kind: 'name', role: 'spouse' },
  spouseLastName: { patterns: [p('last name', 1), p('last', 0.7)], negative: NAME_NEG, kind: 'name', role: 'spouse' },
  patientFullName: { patterns: [p('name', 0.85), p('full name', 1)], negative: [...NAME_NEG, 'first', 'last', 'middle', 'suffix', 'initial', 'full'], kind: 'name', role: 'patient' },
  patientFirstName: { patterns: [p('first name', 1), p('first', 0.85)], negative: NAME_NEG, kind: 'name', role: 'patient' },
  patientLastName: { patterns: [p('last name', 1), p('last', 0.7)], negative: NAME_NEG, kind: 'name', role: 'patient' },
  patientDob: { patterns: [p('birth date', 1), p('birth', 0.85)], kind: 'date', role: 'patient' },
  comments: { patterns: [p('comment', 0.95), p('note', 0.85), p('remark', 0.9), p('memo', 0.8), p('special instruction', 0.8)], negative: ['date', 'type'] },
};

// ── the values ────────────────────────────────────────────────────────────────────────────────

const DATE = /^(\d{4}-\d\d-\d\d|\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})|\d{4}\/\d\d\/\d\d)$/;
const KIND_TEST: Record<Kind, (v: string) => boolean> = {
  zip: (v) => /^\d{5}(-?\d{4})?$/.test(v) || /^\d{3,4}$/.test(v),
  state: (v) => v.length >= 2 && stateCode(v) !== null && /^[A-Za-z .]+$/.test(v),
  date: (v) => DATE.test(v) || /^\d{4}-\d\d-\d\dT/.test(v),
  money: (v) => !DATE.test(v) && /^\(?-?\$?\s*-?(\d{1,3}(,\d{3})+|\d+)?(\.\d{1,2})?\)?$/.test(v) && /\d/.test(v),
  phone: (v) => /^[\d\s().+-]+(\s*(x|ext\.?)\s*\d+)?$/i.test(v) && [10, 11].includes(v.replace(/(x|ext).*$/i, '').replace(/\D/g, '').length),
  ssn: (v) => /^(\d{3}-?\d{2}-?\d{4}|\*{3}-?\*{2}-?\d{4}|x{3}-?x{2}-?\d{4})$/i.test(v),
  email: (v) => /^[^\s@]+@[^\s@]+$/.test(v),
  name: (v) => /^[A-Za-z][A-Za-z .,'’-]*$/.test(v),
  id: (v) => !DATE.test(v) && !/\.\d{2}$/.test(v) && !/^\$/.test(v),
};

/** Share of the non-empty samples that look like `kind`; null without samples. */
function fit(kind: Kind, values: string[]): number | null {
  if (!values.length) return null;
  return values.filter(KIND_TEST[kind]).length / values.length;
}

/** How the values move a header's score: a little up when they agree, a lot down when they do not. */
function valueAdjust(kind: Kind | undefined, values: string[]): number {
  if (!kind) return 0;
  const f = fit(kind, values);
  if (f === null) return 0;
  if (f >= 0.8) return kind === 'zip' && values.some((v) => /^0\d{4}/.test(v)) ? 0.1 : 0.05;
  return f < 0.5 ? -0.35 : -0.1;
}

// ── scoring ────────────────────────────────────────────────────────────────────────────────────

function patternScore(h: HeaderWords, pattern: Pattern, negative: readonly string[]): number {
  if (pattern.other ? !h.others.has(pattern.other) : h.others.size > 0) return 0;
  const words = pattern.words.filter(Boolean);
  if (!words.every((w) => h.words.has(w))) return 0;
  if (!words.length && h.words.size > 0 && [...h.words].some((w) => !FREE.has(w) && negative.includes(w))) return 0;
  let score = pattern.score;
  for (const w of h.words) {
    if (words.includes(w)) continue;
    if (negative.includes(w)) score -= 0.5;
    else if (!FREE.has(w)) score -= 0.12;
  }
  return score;
}

/** Whose field `spec` is, given the header's role and whether the file names a guarantor apart. */
function roleAllows(spec: Spec, role: Role | null, patientsApart: boolean): boolean {
  const effective = role === 'patient' && !patientsApart ? 'responsible' : role;
  if (spec.role === 'person') return effective === null || effective === 'responsible';
  if (spec.role === 'patient') return effective === 'patient';
  if (spec.role === 'spouse') return effective === 'spouse';
  return true;
}

function samplesOf(column: number, sampleRows: string[][]): string[] {
  return sampleRows.map((r) => (r[column] ?? '').trim()).filter(Boolean);
}

const round = (n: number) => Math.round(Math.max(0, Math.min(1, n)) * 100) / 100;

/**
 * Suggestions from the headers and the sample rows (rows of cells in header order). The mapping is
 * every suggestion, the ones to review included (the widget highlights those).
 */
export function suggestFromHeaders(headers: string[], sampleRows: string[][] = []): Suggestion[] {
  const analysed = headers.map((h) => headerWords(h));
  // A hospital file with guarantor columns has patient columns too: those go to the patient fields.
  const patientsApart = analysed.some((h) => h.explicitResponsible && [...h.words].some((w) => ['name', 'first', 'last'].includes(w)))
    && analysed.some((h) => h.role === 'patient' && [...h.words].some((w) => ['name', 'first', 'last'].includes(w)));
  const candidates: { field: BulkField; column: number; score: number }[] = [];
  analysed.forEach((h, column) => {
    if (!headers[column]!.trim()) return;
    const values = samplesOf(column, sampleRows);
    for (const [field, spec] of Object.entries(SPECS) as [BulkField, Spec][]) {
      if (!roleAllows(spec, h.role, patientsApart)) continue;
      const best = Math.max(0, ...spec.patterns.map((pt) => patternScore(h, pt, spec.negative ?? [])));
      if (best <= 0) continue;
      const score = best + valueAdjust(spec.kind, values);
      if (score >= MIN_SCORE) candidates.push({ field, column, score });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.column - b.column);
  const byField = new Map<BulkField, { column: number; score: number }>();
  const usedColumns = new Set<number>();
  for (const c of candidates) {
    if (byField.has(c.field) || usedColumns.has(c.column)) continue;
    // separate first and last name columns beat one full-name column
    byField.set(c.field, c);
    usedColumns.add(c.column);
  }
  for (const [full, first, last] of [['fullName', 'firstName', 'lastName'], ['patientFullName', 'patientFirstName', 'patientLastName']] as const) {
    if (byField.has(full) && (byField.has(first) || byField.has(last))) byField.delete(full);
  }
  const suggestions: Suggestion[] = [];
  for (const [field, c] of byField) {
    // another unused column nearly as good for the same field: less sure
    const rival = candidates.find((o) => o.field === field && o.column !== c.column && !usedColumns.has(o.column) && c.score - o.score < 0.1);
    const confidence = round(c.score - (rival ? 0.15 : 0));
    suggestions.push(withPreview({ field, column: headers[c.column]!, confidence, review: confidence < REVIEW_BELOW, basis: 'header', samples: samplesOf(c.column, sampleRows).slice(0, 3) }));
  }
  // Required address parts that no header named: a column whose values are plainly ZIPs or states.
  for (const [field, kind] of [['zip', 'zip'], ['state', 'state']] as const) {
    if (byField.has(field)) continue;
    const column = headers.findIndex((h, i) => {
      if (usedColumns.has(i) || !h.trim()) return false;
      const values = samplesOf(i, sampleRows);
      return values.length >= 2 && fit(kind, values) === 1 && (kind !== 'zip' || values.every((v) => /^\d{5}(-?\d{4})?$/.test(v)));
    });
    if (column >= 0) {
      usedColumns.add(column);
      suggestions.push({ field, column: headers[column]!, confidence: 0.5, review: true, basis: 'values', samples: samplesOf(column, sampleRows).slice(0, 3) });
    }
  }
  return suggestions;
}

/** Suggestions for a mapping taken as a whole from elsewhere (this client's last one, or the agency's). */
export function suggestionsFor(mapping: ColumnMapping, headers: string[], sampleRows: string[][], basis: Basis, confidence: number): Suggestion[] {
  return (Object.entries(mapping) as [BulkField, string][])
    .filter(([, column]) => column && headers.includes(column))
    .map(([field, column]) => withPreview({ field, column, confidence, review: confidence < REVIEW_BELOW, basis, samples: samplesOf(headers.indexOf(column), sampleRows).slice(0, 3) }));
}

export const toMapping = (suggestions: Suggestion[]): ColumnMapping => Object.fromEntries(suggestions.map((s) => [s.field, s.column]));
