/**
 * The E-SIGN disclosure (15 U.S.C. §7001(c)) a debtor reads before agreeing to electronic delivery.
 * Every version ever shown stays here: a consent row names its version and the hash of the exact text.
 * To change the wording, add a new version and point CURRENT_ESIGN_VERSION at it.
 */
import { sha256Hex } from '../platform/crypto.js';

export interface EsignStatement {
  version: string;
  title: string;
  /** plain text, paragraphs separated by blank lines */
  text: string;
}

const STATEMENTS: EsignStatement[] = [
  {
    version: '2026-11-v1',
    title: 'Consent to electronic notices and receipts',
    text: [
      'You may receive notices, receipts and payment agreements about this account on paper by mail. You do not have to agree to electronic delivery, and saying no has no cost and does not affect your account.',
      'If you agree, we will send these documents by email and, if you give a mobile number, by text message instead of on paper. Your consent covers notices about this account, payment receipts, payment agreements and plan schedules, and replies to disputes or requests you make online.',
      'You may withdraw your consent at any time, free of charge: use the link in any email, reply STOP to any text, call us, or write to us. Withdrawal takes effect at once; documents after that come on paper. You may ask for a paper copy of any document at no charge.',
      'To update your email address or mobile number, enter it again here or tell us by phone or mail.',
      'To open the documents you need a device with a current web browser and an email program, and a way to view PDF files (most browsers do). By agreeing you confirm you can open this page, which shows you can read the documents we send.',
    ].join('\n\n'),
  },
];

export const CURRENT_ESIGN_VERSION = '2026-11-v1';

export function esignStatement(version: string = CURRENT_ESIGN_VERSION): (EsignStatement & { hash: string }) | null {
  const s = STATEMENTS.find((x) => x.version === version);
  return s ? { ...s, hash: sha256Hex(s.text) } : null;
}
