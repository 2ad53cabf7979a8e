import { describe, expect, it } from 'vitest';
import { normalizePlacement, displayName } from '../../api/placements/normalize.js';
import { PlacementInput } from '../../api/placements/placements.schema.js';

const NOW = new Date('2026-11-24T12:00:00Z');
const base = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}, address: Record<string, unknown> = {}) =>
  PlacementInput.parse({
    clientAccountNumber: 'cp-100200',
    accountType: 'utility',
    balance: { principalCents: 12345 },
    responsible: {
      firstName: 'Mary', lastName: 'Jones', ssn: '123-45-6789', dob: '1980-02-03',
      address: { address1: '12 Oak St', city: 'Portland', state: 'OR', zip: '97205', ...address },
      phones: [{ type: 'mobile', number: '(503) 555-0142' }],
      ...person,
    },
    ...over,
  });

describe('placement normalisation', () => {
  // [case, person overrides, expected first, middle, last, suffix, comments]
  const names: [string, Record<string, unknown>, string, string | null, string, string | null, string | null][] = [
    ['plain, upper-cased', { firstName: 'mary', lastName: 'jones' }, 'MARY', null, 'JONES', null, null],
    ['suffix with period in last name', { lastName: 'Jones Jr.' }, 'MARY', null, 'JONES', 'JR', null],
    ['suffix after a comma', { lastName: 'Jones, III' }, 'MARY', null, 'JONES', 'III', null],
    ['suffix typed as 2nd', { suffix: '2nd' }, 'MARY', null, 'JONES', 'II', null],
    ['suffix in first name', { firstName: 'Robert Sr' }, 'ROBERT', null, 'JONES', 'SR', null],
    ['apostrophe dropped', { lastName: "O'Brien" }, 'MARY', null, 'OBRIEN', null, null],
    ['hyphen kept, spaces around it removed', { lastName: 'Smith - Jones' }, 'MARY', null, 'SMITH-JONES', null, null],
    ['accents removed', { firstName: 'José', lastName: 'Nuñez' }, 'JOSE', null, 'NUNEZ', null, null],
    ['middle initial out of first name', { firstName: 'Mary K.' }, 'MARY', 'K', 'JONES', null, null],
    ['AKA moved to comments', { lastName: 'Jones AKA Mary Smith' }, 'MARY', null, 'JONES', null, 'AKA MARY SMITH'],
    ['a/k/a in parentheses', { lastName: 'Jones (a/k/a Molly Jones)' }, 'MARY', null, 'JONES', null, 'AKA MOLLY JONES'],
    ['FKA kept as FKA', { lastName: 'Jones fka Smith' }, 'MARY', null, 'JONES', null, 'FKA SMITH'],
    ['C/O in a name', { lastName: 'Jones c/o Peter Jones' }, 'MARY', null, 'JONES', null, 'C/O PETER JONES'],
  ];
  it.each(names)('names: %s', (_, person, first, middle, last, suffix, comments) => {
    const r = normalizePlacement(base({}, person), NOW);
    expect(r.errors).toEqual([]);
    expect(r.value.responsible).toMatchObject({ firstName: first, middleName: middle, lastName: last, suffix });
    expect(r.value.comments).toBe(comments);
  });

  // [case, address overrides, address1, address2, comments]
  const addresses: [string, Record<string, unknown>, string, string | null, string | null][] = [
    ['punctuation and case', { address1: '12 N. Oak St.,' }, '12 N OAK ST', null, null],
    ['apartment split to line 2', { address1: '12 Oak St Apt 4B' }, '12 OAK ST', 'APT 4B', null],
    ['Apartment spelled out', { address1: '12 Oak St, Apartment 7' }, '12 OAK ST', 'APT 7', null],
    ['# unit', { address1: '12 Oak St #210' }, '12 OAK ST', 'UNIT 210', null],
    ['suite in line 2', { address1: '500 Main', address2: 'suite 300' }, '500 MAIN', 'STE 300', null],
    ['C/O leading the line, comma', { address1: 'C/O Peter Jones, 12 Oak St' }, '12 OAK ST', null, 'C/O PETER JONES'],
    ['C/O leading the line, no comma', { address1: 'c/o Peter Jones 12 Oak St' }, '12 OAK ST', null, 'C/O PETER JONES'],
    ['% as care-of in line 2', { address2: '% Acme Property Mgmt' }, '12 OAK ST', null, 'C/O ACME PROPERTY MGMT'],
    ['C/O only in line 1, street in line 2', { address1: 'C/O Peter Jones', address2: '12 Oak St' }, '12 OAK ST', null, 'C/O PETER JONES'],
    ['PO box', { address1: 'P.O. Box 77' }, 'PO BOX 77', null, null],
  ];
  it.each(addresses)('addresses: %s', (_, address, a1, a2, comments) => {
    const r = normalizePlacement(base({}, {}, address), NOW);
    expect(r.errors).toEqual([]);
    expect(r.value.responsible.address).toMatchObject({ address1: a1, address2: a2 });
    expect(r.value.comments).toBe(comments);
  });

  it('reports every change with field, from, to and reason — and never the SSN', () => {
    const r = normalizePlacement(base({}, { lastName: 'Jones Jr.' }), NOW);
    expect(r.changes).toContainEqual({ field: 'responsible.lastName', from: 'Jones Jr.', to: 'JONES', reason: expect.any(String) });
    expect(r.changes).toContainEqual({ field: 'responsible.suffix', from: null, to: 'JR', reason: 'Suffix moved out of lastName.' });
    expect(r.changes).toContainEqual({ field: 'responsible.phones.0.number', from: '(503) 555-0142', to: '5035550142', reason: 'Digits only.' });
    expect(JSON.stringify(r)).not.toContain('123-45-6789');
    expect(JSON.stringify(r.changes)).not.toContain('123456789');
    expect(r.value.responsible.ssn).toBe('123456789');
    expect(displayName(r.value.responsible)).toBe('JONES, MARY JR');
  });

  it('state names, ZIP+4 and lost leading zeros are fixed', () => {
    expect(normalizePlacement(base({}, {}, { state: 'oregon', zip: '972051234' }), NOW).value.responsible.address).toMatchObject({ state: 'OR', zip: '97205-1234' });
    const ma = normalizePlacement(base({}, {}, { city: 'Boston', state: 'MA', zip: '2134' }), NOW);
    expect(ma.errors).toEqual([]);
    expect(ma.value.responsible.address!.zip).toBe('02134');
  });

  // [case, overrides (person/address/top), error path, code]
  const errors: [string, { person?: Record<string, unknown>; address?: Record<string, unknown>; top?: Record<string, unknown> }, string, string][] = [
    ['phone without area code', { person: { phones: [{ type: 'home', number: '555-0142' }] } }, 'responsible.phones.0.number', 'area_code_required'],
    ['impossible phone', { person: { phones: [{ type: 'home', number: '(103) 555-0142' }] } }, 'responsible.phones.0.number', 'invalid_phone'],
    ['SSN with area 666', { person: { ssn: '666-12-3456' } }, 'responsible.ssn', 'invalid_ssn'],
    ['SSN too short', { person: { ssn: '12345678' } }, 'responsible.ssn', 'invalid_ssn'],
    ['unknown state', { address: { state: 'XX' } }, 'responsible.address.state', 'invalid_state'],
    ['ZIP of another state', { address: { state: 'TX' } }, 'responsible.address.zip', 'zip_state_mismatch'],
    ['ZIP with 6 digits', { address: { zip: '972055' } }, 'responsible.address.zip', 'invalid_zip'],
    ['unknown suffix', { person: { suffix: 'Esquire' } }, 'responsible.suffix', 'invalid_suffix'],
    ['suffix conflict', { person: { suffix: 'Sr', lastName: 'Jones Jr' } }, 'responsible.suffix', 'suffix_conflict'],
    ['name of punctuation only', { person: { lastName: '--' } }, 'responsible.lastName', 'required'],
    ['bad email', { person: { email: 'mary at example' } }, 'responsible.email', 'invalid_email'],
    ['future service date', { top: { serviceDate: '2027-01-01' } }, 'serviceDate', 'future_date'],
    ['zero balance', { top: { balance: { principalCents: 0 } } }, 'balance.principalCents', 'zero_balance'],
    ['account number with symbols', { top: { clientAccountNumber: 'AB$12' } }, 'clientAccountNumber', 'invalid_account_number'],
  ];
  it.each(errors)('errors: %s', (_, o, path, code) => {
    const r = normalizePlacement(base(o.top, o.person, o.address), NOW);
    expect(r.errors).toContainEqual({ path, code, message: expect.any(String) });
  });
});
