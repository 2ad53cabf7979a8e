/**
 * The E-SIGN disclosure (15 U.S.C. §7001(c)) a debtor reads before agreeing to electronic delivery.
 * Every version ever shown stays here: a consent row names its version and the hash of the exact text.
 * To change the wording, add a new version and point CURRENT_ESIGN_VERSION at it.
 */
import { sha256Hex } from '../platform/crypto.js';
import { say, type Lang } from '../../i18n/catalogue.js';
import type { DocumentWords } from '../../i18n/en/documents.js';

type DocKey = keyof DocumentWords;

export interface EsignStatement {
  version: string;
  title: string;
  /** plain text, paragraphs separated by blank lines */
  text: string;
}

/**
 * Each version's words in each language, from the catalogue (documents module). A version's keys are
 * never reworded: a new wording is a new version with new keys. The hash is of the text in the
 * language shown, so a consent names exactly what the debtor read.
 */
const STATEMENTS: { version: string; title: DocKey; paragraphs: DocKey[] }[] = [
  { version: '2026-11-v1', title: 'esignTitle', paragraphs: ['esign1', 'esign2', 'esign3', 'esign4', 'esign5'] },
];

export const CURRENT_ESIGN_VERSION = '2026-11-v1';

export function esignStatement(version: string = CURRENT_ESIGN_VERSION, lang: Lang = 'en'): (EsignStatement & { hash: string; lang: Lang }) | null {
  const s = STATEMENTS.find((x) => x.version === version);
  if (!s) return null;
  const text = s.paragraphs.map((key) => say(lang, 'documents', key)).join('\n\n');
  return { version: s.version, title: say(lang, 'documents', s.title), text, hash: sha256Hex(text), lang };
}
