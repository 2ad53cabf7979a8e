/**
 * Normalisation of a placement for the agency's collection system: what agencies used to make
 * people type by hand. Upper case; punctuation stripped where the collection system cannot take it;
 * suffixes moved into the suffix field; "AKA"/"C/O"/"%" text moved out of names and addresses into
 * the comments; units split into address line 2. Every change is reported (field, from, to, why)
 * and whatever cannot be fixed is a field-level error. One function for the form, its preview and
 * every spreadsheet row — so the three can never disagree.
 *
 * SSNs never appear in changes or errors (only "the SSN…"), so a response or an error report
 * cannot leak one.
 */
import type { FieldError } from '../platform/errors.js';
import type { PersonInputT, PlacementInputT } from './placements.schema.js';
import { STATE_NAMES, stateCode, zipMatchesState } from './us-geo.js';
import { now as clockNow } from '../platform/clock.js';

export interface Change { field: string; from: string | null; to: string | null; reason: string }

export interface NormalizedAddress { address1: string; address2: string | null; city: string; state: string; zip: string }
export interface NormalizedPerson {
  firstName: string;
  middleName: string | null;
  lastName: string;
  suffix: string | null;
  dob: string | null;
  /** 9 digits; internal only — encrypted before it is stored */
  ssn: string | null;
  address: NormalizedAddress | null;
  phones: { type: string; number: string }[];
  email: string | null;
  employer: string | null;
}
export interface NormalizedPlacement {
  clientAccountNumber: string;
  accountType: PlacementInputT['accountType'];
  serviceDate: string | null;
  chargeOffDate: string | null;
  balance: { principalCents: number; interestCents: number; feesCents: number; costsCents: number };
  responsible: NormalizedPerson;
  spouse: NormalizedPerson | null;
  secondLocation: NormalizedPerson | null;
  patient: NormalizedPerson | null;
  comments: string | null;
}

export interface NormalizeResult { value: NormalizedPlacement; changes: Change[]; errors: FieldError[] }

export const SUFFIXES: Record<string, string> = { JR: 'JR', SR: 'SR', II: 'II', III: 'III', IV: 'IV', V: 'V', '2ND': 'II', '3RD': 'III', '4TH': 'IV' };

const UNIT_WORDS: Record<string, string> = {
  APT: 'APT', APARTMENT: 'APT', UNIT: 'UNIT', STE: 'STE', SUITE: 'STE', FL: 'FL', FLOOR: 'FL', RM: 'RM', ROOM: 'RM',
  BLDG: 'BLDG', BUILDING: 'BLDG', LOT: 'LOT', SPC: 'SPC', SPACE: 'SPC', TRLR: 'TRLR', DEPT: 'DEPT', '#': 'UNIT',
};

/** Accents off, upper case, collapsed spaces. */
const upper = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/\s+/g, ' ').trim();

/** A person's name part: letters, spaces and single hyphens only ("O'Brien-Smith" → "OBRIEN-SMITH"). */
function cleanName(s: string): string {
  return upper(s)
    .replace(/['’`.]/g, '')
    .replace(/[^A-Z0-9\- ]+/g, ' ')
    .replace(/\s*-\s*/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An address line: no periods or commas (the collection system's letter vendor rejects them). */
function cleanLine(s: string): string {
  return upper(s).replace(/\bP\s*\.?\s*O\s*\.?\s*BOX\b/g, 'PO BOX').replace(/[.,;:"]/g, ' ').replace(/\s+/g, ' ').trim();
}

// "AKA Bob", "a/k/a Bob", "(aka Bob)", "also known as Bob"; FKA/NKA kept as what they say.
const ALIAS = /\s*\(?\s*\b(A\s*\/?\s*K\s*\/?\s*A|F\s*\/?\s*K\s*\/?\s*A|N\s*\/?\s*K\s*\/?\s*A|ALSO KNOWN AS|FORMERLY KNOWN AS)\b\.?:?\s*([^)]*)\)?\s*$/i;
// "C/O Mary", "c.o. Mary", "care of Mary", "% Mary", "ATTN Mary".
const CARE_OF = /(^|\s)(C\s*\/\s*O|C\.O\.|CARE OF|ATTN:?|%)\s*(.*)$/i;

function aliasLabel(marker: string): string {
  const m = marker.toUpperCase().replace(/[^A-Z ]/g, '');
  if (m.startsWith('F')) return 'FKA';
  if (m.startsWith('N')) return 'NKA';
  return 'AKA';
}

class Normalizer {
  readonly changes: Change[] = [];
  readonly errors: FieldError[] = [];
  readonly notes: string[] = [];

  change(field: string, from: string | null | undefined, to: string | null, reason: string): void {
    const before = from === undefined || from === '' ? null : from;
    if (before === to) return;
    this.changes.push({ field, from: before, to, reason });
  }

  error(path: string, code: string, message: string): void {
    this.errors.push({ path, code, message });
  }

  /** Moves "AKA …" and "C/O …" text out of a name or address value into the comments. */
  extractAsides(field: string, raw: string, kind: 'name' | 'address'): string {
    let value = raw;
    const alias = ALIAS.exec(value);
    if (alias && alias[2]!.trim()) {
      value = value.slice(0, alias.index);
      this.notes.push(`${aliasLabel(alias[1]!)} ${upper(alias[2]!)}`);
    }
    const care = CARE_OF.exec(value);
    if (care) {
      let rest = care[3]!.trim();
      let careOf = rest;
      let keep = value.slice(0, care.index).trim();
      if (!keep && kind === 'address') {
        // "C/O Mary Jones, 123 Main St" or "C/O Mary Jones 123 Main St": the street starts at a comma or a number.
        const comma = rest.indexOf(',');
        const num = /\s(\d)/.exec(rest);
        const cut = comma >= 0 ? comma : num ? num.index : -1;
        careOf = cut >= 0 ? rest.slice(0, cut) : rest;
        rest = cut >= 0 ? rest.slice(cut + 1) : '';
        keep = rest.trim();
      }
      if (careOf.trim()) this.notes.push(`C/O ${upper(careOf.replace(/,$/, ''))}`);
      value = keep;
    }
    if (value !== raw) this.change(field, raw, null, 'AKA / C/O text moved to the comments.');
    return value;
  }

  person(prefix: string, p: PersonInputT): NormalizedPerson {
    const first = this.extractAsides(`${prefix}.firstName`, p.firstName, 'name');
    const middle = this.extractAsides(`${prefix}.middleName`, p.middleName ?? '', 'name');
    const last = this.extractAsides(`${prefix}.lastName`, p.lastName, 'name');
    let firstName = cleanName(first);
    let middleName = cleanName(middle);
    let lastName = cleanName(last);
    let suffix: string | null = null;

    if (p.suffix && p.suffix.trim()) {
      const s = SUFFIXES[cleanName(p.suffix).replace(/\s/g, '')];
      if (!s) this.error(`${prefix}.suffix`, 'invalid_suffix', 'Use JR, SR, II, III, IV or V.');
      else suffix = s;
    }
    // "Smith Jr.", "Smith, III", "John Jr" — the suffix belongs in its own field.
    for (const [field, get, set] of [
      ['lastName', () => lastName, (v: string) => (lastName = v)],
      ['firstName', () => firstName, (v: string) => (firstName = v)],
      ['middleName', () => middleName, (v: string) => (middleName = v)],
    ] as const) {
      const words = get().split(' ');
      const found = words.length > 1 ? SUFFIXES[words[words.length - 1]!] : undefined;
      if (!found) continue;
      if (suffix && suffix !== found) {
        this.error(`${prefix}.suffix`, 'suffix_conflict', `The name says ${found} but the suffix field says ${suffix}.`);
        continue;
      }
      suffix = found;
      set(words.slice(0, -1).join(' '));
      this.change(`${prefix}.suffix`, p.suffix ?? null, suffix, `Suffix moved out of ${field}.`);
    }
    // "John Q" with no middle name: the initial is the middle name.
    const firstWords = firstName.split(' ');
    if (!middleName && firstWords.length === 2 && firstWords[1]!.length === 1) {
      firstName = firstWords[0]!;
      middleName = firstWords[1]!;
      this.change(`${prefix}.middleName`, p.middleName ?? null, middleName, 'Middle initial moved out of the first name.');
    }
    this.change(`${prefix}.firstName`, p.firstName, firstName || null, 'Upper case, punctuation removed.');
    this.change(`${prefix}.lastName`, p.lastName, lastName || null, 'Upper case, punctuation removed.');
    if (middleName || p.middleName) this.change(`${prefix}.middleName`, p.middleName ?? null, middleName || null, 'Upper case, punctuation removed.');
    dedupeChanges(this.changes);
    if (!firstName) this.error(`${prefix}.firstName`, 'required', 'Enter the first name.');
    if (!lastName) this.error(`${prefix}.lastName`, 'required', 'Enter the last name.');
    for (const [f, v] of [['firstName', firstName], ['middleName', middleName], ['lastName', lastName]] as const) {
      if (/\d/.test(v)) this.error(`${prefix}.${f}`, 'invalid_name', 'A name has letters only.');
    }

    return {
      firstName, middleName: middleName || null, lastName, suffix,
      dob: this.dob(prefix, p.dob ?? null),
      ssn: this.ssn(prefix, p.ssn ?? null),
      address: p.address ? this.address(`${prefix}.address`, p.address) : null,
      phones: p.phones.flatMap((ph, i) => {
        const n = this.phone(`${prefix}.phones.${i}.number`, ph.number);
        return n ? [{ type: ph.type, number: n }] : [];
      }),
      email: this.email(`${prefix}.email`, p.email ?? null),
      employer: p.employer?.trim() ? this.upperField(`${prefix}.employer`, p.employer) : null,
    };
  }

  upperField(field: string, raw: string): string {
    const v = upper(raw);
    this.change(field, raw, v, 'Upper case.');
    return v;
  }

  address(prefix: string, a: NonNullable<PersonInputT['address']>): NormalizedAddress {
    let line1 = cleanLine(this.extractAsides(`${prefix}.address1`, a.address1, 'address'));
    let line2 = cleanLine(this.extractAsides(`${prefix}.address2`, a.address2 ?? '', 'address'));
    if (!line1 && line2) {
      line1 = line2;
      line2 = '';
    }
    // "123 Main St Apt 4B" → line 1 "123 MAIN ST", line 2 "APT 4B".
    const unit = /\s+(APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM|BLDG|BUILDING|LOT|SPC|SPACE|TRLR|DEPT|#)\s*#?\s*([A-Z0-9][A-Z0-9-]*)$/.exec(line1);
    if (unit && !line2 && /\d/.test(line1.slice(0, unit.index))) {
      line1 = line1.slice(0, unit.index).trim();
      line2 = `${UNIT_WORDS[unit[1]!]} ${unit[2]}`;
    }
    const unit2 = /^(APT|APARTMENT|UNIT|STE|SUITE|FL|FLOOR|RM|ROOM|BLDG|BUILDING|LOT|SPC|SPACE|TRLR|DEPT|#)\s*#?\s*([A-Z0-9][A-Z0-9-]*)$/.exec(line2);
    if (unit2) line2 = `${UNIT_WORDS[unit2[1]!]} ${unit2[2]}`;
    line1 = line1.replace(/#/g, '').replace(/\s+/g, ' ').trim();
    line2 = line2.replace(/#\s*/g, 'UNIT ').replace(/\s+/g, ' ').trim();
    this.change(`${prefix}.address1`, a.address1, line1 || null, 'Upper case, punctuation removed, unit moved to line 2.');
    this.change(`${prefix}.address2`, a.address2 ?? null, line2 || null, 'Upper case, punctuation removed.');
    if (!line1) this.error(`${prefix}.address1`, 'required', 'Enter the street address.');

    const city = cleanName(a.city).replace(/-/g, ' ');
    this.change(`${prefix}.city`, a.city, city || null, 'Upper case, punctuation removed.');
    if (!city) this.error(`${prefix}.city`, 'required', 'Enter the city.');

    const state = stateCode(a.state);
    if (!state) this.error(`${prefix}.state`, 'invalid_state', 'Enter a US state or territory, e.g. OR.');
    else this.change(`${prefix}.state`, a.state, state, 'Two-letter state code.');

    let zip = a.zip.replace(/\D/g, '');
    // Spreadsheets drop leading zeros: "2134" was "02134".
    if (zip.length === 4 || zip.length === 8) zip = `0${zip}`;
    if (zip.length !== 5 && zip.length !== 9) {
      this.error(`${prefix}.zip`, 'invalid_zip', 'A ZIP code has 5 or 9 digits.');
    } else {
      if (zip.length === 9) zip = `${zip.slice(0, 5)}-${zip.slice(5)}`;
      this.change(`${prefix}.zip`, a.zip, zip, 'ZIP code format.');
      if (state && !zipMatchesState(zip.slice(0, 5), state)) {
        // quote what was typed: "9999" read as 09999 must not come back as a ZIP the person never wrote
        const typed = a.zip.trim();
        const shown = typed === zip || typed === zip.slice(0, 5) ? zip.slice(0, 5) : `"${typed}" (read as ${zip.slice(0, 5)})`;
        this.error(`${prefix}.zip`, 'zip_state_mismatch', `ZIP ${shown} is not in ${STATE_NAMES[state] ?? state}.`);
      }
    }
    return { address1: line1, address2: line2 || null, city, state: state ?? '', zip };
  }

  phone(field: string, raw: string): string | null {
    if (!raw.trim()) return null;
    let text = raw.trim();
    const ext = /\s*(?:x|ext\.?|extension)\s*(\d{1,6})\s*$/i.exec(text);
    if (ext) {
      text = text.slice(0, ext.index);
      this.notes.push(`PHONE ${text.replace(/\D/g, '').slice(-10)} EXT ${ext[1]}`);
    }
    let digits = text.replace(/\D/g, '');
    if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
    if (digits.length === 7) {
      this.error(field, 'area_code_required', 'Include the area code (10 digits).');
      return null;
    }
    if (digits.length !== 10 || !/^[2-9]\d\d[2-9]\d{6}$/.test(digits)) {
      this.error(field, 'invalid_phone', 'Enter a 10-digit US phone number with the area code.');
      return null;
    }
    this.change(field, raw, digits, ext ? 'Digits only; extension moved to the comments.' : 'Digits only.');
    return digits;
  }

  email(field: string, raw: string | null): string | null {
    if (!raw || !raw.trim()) return null;
    const v = raw.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
      this.error(field, 'invalid_email', 'Enter an email address like name@example.com.');
      return null;
    }
    this.change(field, raw, v, 'Lower case.');
    return v;
  }

  ssn(prefix: string, raw: string | null): string | null {
    if (!raw || !raw.trim()) return null;
    const d = raw.replace(/[\s\-.]/g, '');
    // SSA rules: no area 000, 666 or 9xx; no group 00; no serial 0000.
    if (!/^\d{9}$/.test(d) || /^(000|666|9\d\d)/.test(d) || d.slice(3, 5) === '00' || d.slice(5) === '0000') {
      this.error(`${prefix}.ssn`, 'invalid_ssn', 'Enter a valid 9-digit Social Security number.');
      return null;
    }
    return d;
  }

  dob(prefix: string, raw: string | null): string | null {
    if (!raw) return null;
    if (raw > today() || raw < '1900-01-01') {
      this.error(`${prefix}.dob`, 'invalid_dob', 'The date of birth must be in the past.');
      return null;
    }
    return raw;
  }
}

const today = () => clockNow().toISOString().slice(0, 10);

/** Keeps the first change per field but the final value (a field may be touched twice). */
function dedupeChanges(changes: Change[]): void {
  const seen = new Map<string, Change>();
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    const prev = seen.get(c.field);
    if (!prev) {
      seen.set(c.field, c);
      continue;
    }
    prev.to = c.to;
    if (!prev.reason.includes(c.reason)) prev.reason = `${prev.reason} ${c.reason}`;
    changes.splice(i--, 1);
  }
  for (let i = changes.length - 1; i >= 0; i--) if (changes[i]!.from === changes[i]!.to) changes.splice(i, 1);
}

export function normalizePlacement(input: PlacementInputT, now: Date = clockNow()): NormalizeResult {
  const n = new Normalizer();
  const number = upper(input.clientAccountNumber).replace(/\s+/g, '');
  n.change('clientAccountNumber', input.clientAccountNumber, number, 'Upper case, spaces removed.');
  if (!number) n.error('clientAccountNumber', 'required', "Enter the client's account number.");
  else if (!/^[A-Z0-9][A-Z0-9\-/.]*$/.test(number)) n.error('clientAccountNumber', 'invalid_account_number', 'Use letters, digits, - / and . only.');

  const day = now.toISOString().slice(0, 10);
  for (const f of ['serviceDate', 'chargeOffDate'] as const) {
    const v = input[f];
    if (v && v > day) n.error(f, 'future_date', 'The date cannot be in the future.');
  }
  const b = input.balance;
  if (b.principalCents + b.interestCents + b.feesCents + b.costsCents <= 0) {
    n.error('balance.principalCents', 'zero_balance', 'A placed account owes something: enter the balance.');
  }

  const responsible = n.person('responsible', input.responsible);
  if (!input.responsible.address) n.error('responsible.address', 'required', 'Enter the address of the responsible party.');
  const other = (key: 'spouse' | 'secondLocation' | 'patient') => (input[key] ? n.person(key, input[key]!) : null);
  const spouse = other('spouse');
  const secondLocation = other('secondLocation');
  const patient = other('patient');
  dedupeChanges(n.changes);

  const typed = input.comments?.trim() ?? '';
  const comments = [typed, ...n.notes].filter(Boolean).join('\n') || null;
  if (n.notes.length) n.change('comments', typed || null, comments, 'Text moved here from names, addresses and phones.');
  return {
    value: {
      clientAccountNumber: number, accountType: input.accountType,
      serviceDate: input.serviceDate ?? null, chargeOffDate: input.chargeOffDate ?? null,
      balance: { principalCents: b.principalCents, interestCents: b.interestCents, feesCents: b.feesCents, costsCents: b.costsCents },
      responsible, spouse, secondLocation, patient, comments,
    },
    changes: n.changes,
    errors: n.errors,
  };
}

/** The display form used by search: "LAST, FIRST M JR". */
export function displayName(p: NormalizedPerson): string {
  return `${p.lastName}, ${p.firstName}${p.middleName ? ` ${p.middleName}` : ''}${p.suffix ? ` ${p.suffix}` : ''}`;
}

/** What a preview may show: the normalised value with SSNs reduced to their last 4. */
export function redact(value: NormalizedPlacement): Record<string, unknown> {
  const person = (p: NormalizedPerson | null) => (p ? { ...p, ssn: undefined, ssnLast4: p.ssn ? p.ssn.slice(-4) : null } : null);
  return { ...value, responsible: person(value.responsible), spouse: person(value.spouse), secondLocation: person(value.secondLocation), patient: person(value.patient) };
}

/**
 * A name as the form would store it ("LAST, FIRST M JR"), for the mapping step's preview of a
 * full-name column split into parts: the same rules as a placement, nothing else checked.
 */
export function normalizedName(parts: { firstName: string; middleName?: string; lastName: string; suffix?: string }): string {
  const n = new Normalizer();
  const p = n.person('p', { firstName: parts.firstName, middleName: parts.middleName || null, lastName: parts.lastName, suffix: null, phones: [] } as PersonInputT);
  // an unknown suffix would be an error in the form; the preview keeps it as typed
  const suffix = parts.suffix ? (SUFFIXES[parts.suffix.toUpperCase().replace(/[.,\s]/g, '')] ?? parts.suffix.toUpperCase()) : p.suffix;
  return displayName({ ...p, suffix });
}
