/**
 * One spreadsheet row → the same PlacementInput the form sends, then the same schema and the same
 * normalisation. Also: the target fields a column can map to, and mapping suggestions from the
 * headers ("Acct #", "Patient Last Name", "ZIP Code" …).
 */
import type { FieldError } from '../platform/errors.js';
import { zodToFieldErrors } from '../platform/http/problem.js';
import { PlacementInput } from './placements.schema.js';
import { normalizePlacement, type NormalizedPlacement } from './normalize.js';
import { ACCOUNT_TYPES } from '../accounts/accounts.schema.js';
import { now as clockNow } from '../platform/clock.js';
import { suggestFromHeaders, toMapping } from './mapping-suggest.js';
import { splitFullName } from './full-name.js';

/** field → [label, header synonyms (compared lower case, letters and digits only)] */
export const BULK_FIELDS = {
  clientAccountNumber: ['Client account number', ['clientaccountnumber', 'accountnumber', 'account', 'acct', 'acctno', 'acctnumber', 'accountno', 'clientacct', 'clientaccount', 'patientaccountnumber', 'invoicenumber', 'invoice']],
  accountType: ['Account type', ['accounttype', 'type']],
  serviceDate: ['Service date', ['servicedate', 'dateofservice', 'dos', 'invoicedate']],
  chargeOffDate: ['Charge-off date', ['chargeoffdate', 'chargeoff', 'codate']],
  principal: ['Principal', ['principal', 'balance', 'amount', 'amountdue', 'principalbalance', 'balancedue']],
  interest: ['Interest', ['interest']],
  fees: ['Fees', ['fees', 'fee', 'latefees']],
  costs: ['Costs', ['costs', 'cost', 'courtcosts']],
  fullName: ['Full name (first and last in one column)', ['fullname', 'name', 'debtorname']],
  firstName: ['First name', ['firstname', 'first', 'fname', 'debtorfirstname', 'guarantorfirstname', 'responsiblefirstname']],
  middleName: ['Middle name', ['middlename', 'middle', 'mi', 'middleinitial']],
  lastName: ['Last name', ['lastname', 'last', 'lname', 'surname', 'debtorlastname', 'guarantorlastname', 'responsiblelastname']],
  suffix: ['Suffix', ['suffix', 'namesuffix']],
  dob: ['Date of birth', ['dob', 'dateofbirth', 'birthdate', 'birthday']],
  ssn: ['SSN', ['ssn', 'socialsecuritynumber', 'social', 'ss']],
  address1: ['Address line 1', ['address1', 'address', 'street', 'streetaddress', 'addressline1', 'addr1']],
  address2: ['Address line 2', ['address2', 'addressline2', 'addr2', 'apt', 'unit', 'suite']],
  city: ['City', ['city', 'town']],
  state: ['State', ['state', 'st', 'province']],
  zip: ['ZIP', ['zip', 'zipcode', 'postalcode', 'postcode', 'zip5']],
  phone: ['Phone', ['phone', 'phonenumber', 'homephone', 'telephone', 'primaryphone', 'phone1']],
  phone2: ['Second phone', ['phone2', 'mobile', 'cell', 'cellphone', 'mobilephone', 'workphone', 'altphone']],
  email: ['Email', ['email', 'emailaddress', 'mail']],
  employer: ['Employer', ['employer', 'employername', 'workplace']],
  spouseFirstName: ['Spouse first name', ['spousefirstname', 'spousefirst']],
  spouseLastName: ['Spouse last name', ['spouselastname', 'spouselast']],
  patientFullName: ['Patient full name', ['patientname', 'patientfullname']],
  patientFirstName: ['Patient first name', ['patientfirstname', 'patientfirst']],
  patientLastName: ['Patient last name', ['patientlastname', 'patientlast']],
  patientDob: ['Patient date of birth', ['patientdob', 'patientdateofbirth']],
  comments: ['Comments', ['comments', 'comment', 'notes', 'note', 'remarks']],
} as const satisfies Record<string, readonly [string, readonly string[]]>;

export type BulkField = keyof typeof BULK_FIELDS;
export const BULK_FIELD_NAMES = Object.keys(BULK_FIELDS) as BulkField[];
export const REQUIRED_FIELDS: BulkField[] = ['clientAccountNumber', 'firstName', 'lastName', 'address1', 'city', 'state', 'zip', 'principal'];

/** field → column header */
export type ColumnMapping = Partial<Record<BulkField, string>>;

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Best guess from the headers (and sample rows): see mapping-suggest.ts. */
export function suggestMapping(headers: string[], sampleRows: string[][] = []): ColumnMapping {
  return toMapping(suggestFromHeaders(headers, sampleRows));
}

/** Mapping problems: required fields unmapped, columns that are not in the file. */
export function mappingErrors(mapping: ColumnMapping, headers: string[]): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of REQUIRED_FIELDS) {
    // one full-name column stands for both name fields
    if ((f === 'firstName' || f === 'lastName') && mapping.fullName && !mapping.firstName && !mapping.lastName) continue;
    if (!mapping[f]) errors.push({ path: `mapping.${f}`, code: 'required', message: `Choose the column for ${BULK_FIELDS[f][0]}.` });
  }
  if (mapping.fullName && (mapping.firstName || mapping.lastName)) {
    errors.push({ path: 'mapping.fullName', code: 'conflict', message: 'Choose either one full-name column or separate first and last name columns.' });
  }
  for (const [f, h] of Object.entries(mapping)) if (h && !headers.includes(h)) errors.push({ path: `mapping.${f}`, code: 'unknown_column', message: `The file has no column "${h}".` });
  return errors;
}

/** "$1,234.56", "1234.5", "(12.00)" → cents; null when not a non-negative amount. */
export function parseMoney(text: string): number | null {
  const t = text.replace(/[$,\s]/g, '');
  if (t === '') return 0;
  if (!/^\d+(\.\d{0,2})?$|^\.\d{1,2}$/.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole || '0') * 100 + Number(frac.padEnd(2, '0'));
}

/** "2026-03-01", "3/1/2026", "03/01/26" → "2026-03-01"; '' → null; otherwise the text (the schema rejects it). */
export function parseDate(text: string): string | null {
  if (!text) return null;
  if (/^\d{4}-\d\d-\d\d/.test(text)) return text.slice(0, 10);
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
  if (!m) return text;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year > Number(String(clockNow().getUTCFullYear()).slice(2)) ? 1900 : 2000;
  return `${year}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

const TYPE_WORDS: Record<string, (typeof ACCOUNT_TYPES)[number]> = {
  medical: 'medical', hospital: 'medical', clinic: 'medical', utility: 'utility', commercial: 'commercial', b2b: 'commercial',
  rental: 'rental', rent: 'rental', returnedcheck: 'returned_check', nsf: 'returned_check', other: 'other',
};

export interface RowOutcome {
  ok: boolean;
  value?: NormalizedPlacement;
  /** the account number as normalised (or as typed when invalid), for the report */
  clientAccountNumber: string;
  reason?: string;
}

const pathLabel = (path: string, mapping: ColumnMapping): string => {
  const direct: Record<string, BulkField> = {
    clientAccountNumber: 'clientAccountNumber', accountType: 'accountType', serviceDate: 'serviceDate', chargeOffDate: 'chargeOffDate',
    'balance.principalCents': 'principal', 'balance.interestCents': 'interest', 'balance.feesCents': 'fees', 'balance.costsCents': 'costs',
    'responsible.firstName': 'firstName', 'responsible.middleName': 'middleName', 'responsible.lastName': 'lastName', 'responsible.suffix': 'suffix',
    'responsible.dob': 'dob', 'responsible.ssn': 'ssn', 'responsible.address.address1': 'address1', 'responsible.address.address2': 'address2',
    'responsible.address.city': 'city', 'responsible.address.state': 'state', 'responsible.address.zip': 'zip',
    'responsible.phones.0.number': 'phone', 'responsible.phones.1.number': 'phone2', 'responsible.email': 'email', 'responsible.employer': 'employer',
    'spouse.firstName': 'spouseFirstName', 'spouse.lastName': 'spouseLastName', 'patient.firstName': 'patientFirstName',
    'patient.lastName': 'patientLastName', 'patient.dob': 'patientDob', comments: 'comments',
  };
  const field = direct[path];
  if (!field) return path;
  if (!mapping[field]) {
    // a name part split out of a full-name column names that column
    const full = path.startsWith('patient.') ? mapping.patientFullName : path.startsWith('responsible.') && /Name$|suffix$/.test(path) ? mapping.fullName : undefined;
    if (full) return `${BULK_FIELDS[field][0]} (from column "${full}")`;
  }
  return mapping[field] ? `${BULK_FIELDS[field][0]} (column "${mapping[field]}")` : BULK_FIELDS[field][0];
};

/**
 * Validates and normalises one row. `defaultType` comes from the client (a hospital's rows are
 * medical unless the file says otherwise).
 */
export function evaluateRow(cells: string[], index: Map<string, number>, mapping: ColumnMapping, defaultType: (typeof ACCOUNT_TYPES)[number], now: Date): RowOutcome {
  const get = (f: BulkField): string => {
    const h = mapping[f];
    if (!h) return '';
    const i = index.get(h);
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const problems: string[] = [];
  const money = (f: BulkField): number => {
    const cents = parseMoney(get(f));
    if (cents === null) {
      problems.push(`${pathLabel(`balance.${f}Cents`, mapping)}: "${get(f)}" is not an amount.`);
      return 0;
    }
    return cents;
  };
  const typeText = squash(get('accountType'));
  const accountType = typeText ? TYPE_WORDS[typeText] : defaultType;
  if (!accountType) problems.push(`${pathLabel('accountType', mapping)}: use medical, utility, commercial, rental, returned check or other.`);
  const phones = [get('phone'), get('phone2')].map((n, i) => ({ type: i === 0 ? 'home' : 'mobile', number: n })).filter((p) => p.number);
  const person = (first: string, last: string, extra: Record<string, unknown> = {}) => (first || last ? { firstName: first, lastName: last, ...extra } : null);
  // One full-name column ("DOE, JANE M" or "Jane M Doe") → the parts the form has; the normaliser
  // then applies the form's rules (suffix and initial moved, upper case).
  const named = (full: BulkField, first: BulkField, middle: BulkField | null, last: BulkField, suffix: BulkField | null) => {
    if (mapping[full] && !mapping[first] && !mapping[last]) {
      const n = splitFullName(get(full));
      return { first: n.firstName, middle: n.middleName || (middle ? get(middle) : ''), last: n.lastName, suffix: n.suffix || (suffix ? get(suffix) : '') };
    }
    return { first: get(first), middle: middle ? get(middle) : '', last: get(last), suffix: suffix ? get(suffix) : '' };
  };
  const resp = named('fullName', 'firstName', 'middleName', 'lastName', 'suffix');
  const pat = named('patientFullName', 'patientFirstName', null, 'patientLastName', null);
  const raw = {
    clientAccountNumber: get('clientAccountNumber'),
    accountType: accountType ?? defaultType,
    serviceDate: parseDate(get('serviceDate')),
    chargeOffDate: parseDate(get('chargeOffDate')),
    balance: { principalCents: money('principal'), interestCents: money('interest'), feesCents: money('fees'), costsCents: money('costs') },
    responsible: {
      firstName: resp.first, middleName: resp.middle || null, lastName: resp.last, suffix: resp.suffix || null,
      dob: parseDate(get('dob')), ssn: get('ssn') || null,
      address: { address1: get('address1'), address2: get('address2') || null, city: get('city'), state: get('state'), zip: get('zip') },
      phones, email: get('email') || null, employer: get('employer') || null,
    },
    spouse: person(get('spouseFirstName'), get('spouseLastName')),
    patient: person(pat.first, pat.last, { ...(pat.middle ? { middleName: pat.middle } : {}), dob: parseDate(get('patientDob')) }),
    comments: get('comments') || null,
  };
  const parsed = PlacementInput.safeParse(raw);
  if (!parsed.success) {
    for (const e of zodToFieldErrors(parsed.error)) {
      // never echo an SSN into the report: the message says what is wrong, not what was typed
      problems.push(`${pathLabel(e.path, mapping)}: ${/date|dob/i.test(e.path) ? 'use a date like 2026-03-01 or 3/1/2026' : e.message}`);
    }
    return { ok: false, clientAccountNumber: raw.clientAccountNumber, reason: problems.join('; ') };
  }
  const result = normalizePlacement(parsed.data, now);
  // An amount that is not one was counted as 0 and already reported: "owes nothing" would say it twice.
  const moneyProblem = problems.some((m) => m.includes('is not an amount'));
  for (const e of result.errors) if (!(moneyProblem && e.code === 'zero_balance')) problems.push(`${pathLabel(e.path, mapping)}: ${e.message}`);
  if (problems.length) return { ok: false, clientAccountNumber: result.value.clientAccountNumber || raw.clientAccountNumber, reason: problems.join('; ') };
  return { ok: true, value: result.value, clientAccountNumber: result.value.clientAccountNumber };
}

export function defaultAccountType(clientKind: string): (typeof ACCOUNT_TYPES)[number] {
  if (clientKind === 'hospital' || clientKind === 'clinic') return 'medical';
  if (clientKind === 'utility') return 'utility';
  if (clientKind === 'b2b') return 'commercial';
  return 'other';
}
