/**
 * A spreadsheet header → the words it means, the way people abbreviate them in billing and banking
 * exports: "Pt Acct #" → patient account number, "GTR_ZIP_CD" → guarantor zip, "DOB" → birth date.
 * Case, punctuation, camelCase and word order do not matter; plurals are stemmed ("Late Fees" →
 * late fee). The words that say whose value a column holds (patient, guarantor, spouse, employer …)
 * are returned apart as the role, so "Guarantor Last Name" and "Last Name" match the same field.
 */

/** Phrases rewritten before the header is split into words. */
const PHRASES: [RegExp, string][] = [
  [/#/g, ' number '],
  [/&/g, ' and '],
  [/\be[\s-]?mail\b/gi, ' email '],
  [/\bzip\s*\+\s*4\b/gi, ' zip '],
  [/\bco[\s-]?(borrower|signer|applicant|maker|buyer|debtor|obligor)\b/gi, ' coparty '],
  [/\bjoint\b/gi, ' coparty '],
  [/\b(charge|chg|chrg)[\s_-]*off\b/gi, ' chargeoff '],
  [/\bc\/?o[\s_-]*(date|dt|amount|amt|balance|bal)\b/gi, ' chargeoff $1 '],
  [/\b(write|wrt)[\s_-]*off\b/gi, ' writeoff '],
  [/\bbad[\s_-]*debt\b/gi, ' writeoff '],
  [/\b(c\/o|care of|in care of)\b/gi, ' careof '],
  [/\bdate[\s_]+of[\s_]+service\b/gi, ' service date '],
  [/\bdate[\s_]+of[\s_]+birth\b/gi, ' birth date '],
  [/\bsoc(ial)?[\s_.-]*sec(urity)?\b/gi, ' ssn '],
  [/\bss[\s_.-]*(n|no|num|number|#)?\b/gi, ' ssn '],
  [/\blast[\s_-]*(4|four)\b/gi, ' lastfour '],
  [/\bplace[\s_]+of[\s_]+employment\b/gi, ' employer '],
  [/\bmove[\s_-]*out\b/gi, ' moveout '],
  [/\bbill[\s_-]*to\b/gi, ' billto '],
  [/\bcard[\s_-]*holder\b/gi, ' cardholder '],
  [/\b(account|acct)[\s_-]*holder\b/gi, ' holder '],
];

/** Abbreviations and synonyms → the canonical word(s). */
const WORDS: Record<string, string[]> = {
  acct: ['account'], acc: ['account'], accnt: ['account'], acnt: ['account'], act: ['account'],
  bal: ['balance'], blnc: ['balance'], amt: ['amount'], amnt: ['amount'],
  svc: ['service'], serv: ['service'], srv: ['service'], svce: ['service'],
  addr: ['address'], adr: ['address'], addrs: ['address'], addy: ['address'], street: ['street'], str: ['street'],
  no: ['number'], num: ['number'], nbr: ['number'], nmbr: ['number'], numb: ['number'], nr: ['number'],
  dob: ['birth', 'date'], bdate: ['birth', 'date'], birthdate: ['birth', 'date'], birthday: ['birth', 'date'], bday: ['birth', 'date'], born: ['birth'],
  dos: ['service', 'date'],
  dt: ['date'], dte: ['date'],
  zip: ['zip'], zipcode: ['zip'], postal: ['zip'], postcode: ['zip'], zip5: ['zip'], postalcode: ['zip'],
  st: ['state'], stcd: ['state'], prov: ['province'],
  ph: ['phone'], phn: ['phone'], tel: ['phone'], telephone: ['phone'], phone: ['phone'], telno: ['phone'],
  cell: ['mobile'], cellular: ['mobile'], cellphone: ['mobile'], mob: ['mobile'],
  fname: ['first', 'name'], firstname: ['first', 'name'], fn: ['first', 'name'], given: ['first'], forename: ['first'],
  lname: ['last', 'name'], lastname: ['last', 'name'], ln: ['last', 'name'], surname: ['last', 'name'], family: ['last'],
  mname: ['middle', 'name'], mi: ['middle', 'initial'], mid: ['middle'], init: ['initial'],
  fullname: ['full', 'name'], nm: ['name'], nme: ['name'],
  sfx: ['suffix'], suf: ['suffix'], generation: ['suffix'],
  pt: ['patient'], pat: ['patient'], ptnt: ['patient'],
  gtr: ['guarantor'], guar: ['guarantor'], gtor: ['guarantor'], grntr: ['guarantor'], guarantor: ['guarantor'],
  resp: ['responsible'], rp: ['responsible'],
  cust: ['customer'], custmr: ['customer'], cus: ['customer'], brwr: ['borrower'], bwr: ['borrower'],
  sp: ['spouse'], spse: ['spouse'], husband: ['spouse'], wife: ['spouse'],
  emp: ['employer'], empl: ['employer'], employment: ['employer'], employername: ['employer'],
  int: ['interest'], intr: ['interest'], intrst: ['interest'], accrued: ['interest'],
  chg: ['charge'], chrg: ['charge'], pmt: ['payment'], pymt: ['payment'], paymt: ['payment'], pd: ['paid'],
  prin: ['principal'], princ: ['principal'], prncpl: ['principal'],
  orig: ['original'], org: ['original'], curr: ['current'], cur: ['current'], tot: ['total'], ttl: ['total'],
  cty: ['city'], twn: ['town'],
  apt: ['apt'], apartment: ['apt'], ste: ['suite'],
  ins: ['insurance'], insur: ['insurance'], disch: ['discharge'], dischg: ['discharge'], dc: ['discharge'], adm: ['admit'], admission: ['admit'], inv: ['invoice'], ref: ['reference'], desc: ['description'], cmt: ['comment'], cmnt: ['comment'], rmk: ['remark'], rmks: ['remark'],
  fwd: ['forwarding'], fwding: ['forwarding'], mail: ['mailing'], mailing: ['mailing'],
  delinq: ['delinquency'], dlq: ['delinquency'], lst: ['last'],
  e: [], of: [], the: [], a: [], an: [], to: [], for: [], on: [], at: [], in: [], cd: [], code: [], info: [], information: [], field: [], value: [], text: [],
};

/** Words saying whose value it is. */
const ROLE_WORDS: Record<string, Role> = {
  guarantor: 'responsible', responsible: 'responsible', debtor: 'responsible', customer: 'responsible', borrower: 'responsible',
  cardholder: 'responsible', holder: 'responsible', tenant: 'responsible', resident: 'responsible', lessee: 'responsible',
  consumer: 'responsible', member: 'responsible', subscriber: 'responsible', obligor: 'responsible', buyer: 'responsible',
  party: 'responsible', contact: 'responsible', applicant: 'responsible', primary: 'responsible', parent: 'responsible',
  patient: 'patient',
  spouse: 'spouse',
};
/** Roles that make a person or contact column someone else's (never the responsible party's). */
const OTHER_ROLE = new Set([
  'coparty', 'emergency', 'reference', 'relative', 'referral', 'physician', 'doctor', 'provider', 'attending', 'facility',
  'insurance', 'insurer', 'payer', 'payor', 'landlord', 'dealer', 'attorney', 'vendor', 'agent', 'collector', 'company',
  'business', 'lienholder', 'vehicle', 'property', 'previous', 'prior', 'old', 'former', 'user', 'rep', 'salesperson', 'sales',
  'merchant', 'bank', 'plan', 'policy', 'group', 'employer',
]);
/** Explicit responsible-party words: with one of these the file also has patient columns to keep apart. */
export const EXPLICIT_RESPONSIBLE = new Set(['guarantor', 'responsible', 'parent']);

export type Role = 'responsible' | 'patient' | 'spouse';

export interface HeaderWords {
  header: string;
  /** canonical words without role words */
  words: Set<string>;
  /** whose: null when the header does not say */
  role: Role | null;
  /** the explicit responsible word, if any */
  explicitResponsible: boolean;
  /** words of someone else (insurance, employer, co-borrower …) */
  others: Set<string>;
}

const stem = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') ? (w.endsWith('ies') ? `${w.slice(0, -3)}y` : w.slice(0, -1)) : w);

export function headerWords(header: string): HeaderWords {
  let text = header;
  for (const [re, to] of PHRASES) text = text.replace(re, to);
  const raw = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const words = new Set<string>();
  const others = new Set<string>();
  let role: Role | null = null;
  let explicitResponsible = false;
  for (const w0 of raw) {
    const mapped = WORDS[w0] ?? WORDS[stem(w0)] ?? [stem(w0)];
    for (const w of mapped) {
      if (ROLE_WORDS[w]) {
        // the first role word decides ("Patient Guarantor Name" is rare; "Guarantor of Patient" rarer)
        role ??= ROLE_WORDS[w]!;
        if (EXPLICIT_RESPONSIBLE.has(w)) explicitResponsible = true;
      } else if (OTHER_ROLE.has(w)) {
        others.add(w);
      } else {
        words.add(w);
      }
    }
  }
  return { header, words, role, explicitResponsible, others };
}
