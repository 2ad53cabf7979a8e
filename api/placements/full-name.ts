/**
 * One "name" column → first, middle, last and suffix, for spreadsheets that hold the whole name in
 * one cell ("Patient Name", "Debtor Name"). Two shapes, as billing systems export them:
 * "LAST, FIRST M SUFFIX" (a comma) and "First M Last Suffix" (none). The parts then go through the
 * same normalisation as the single-account form (normalize.ts: upper case, suffix moved out of a
 * name, a lone initial made the middle name), so a name split here and one typed in the form end
 * up alike.
 */
import { SUFFIXES } from './normalize.js';

export interface NameParts { firstName: string; middleName: string; lastName: string; suffix: string }

const isSuffix = (w: string) => SUFFIXES[w.toUpperCase().replace(/[.,]/g, '')] !== undefined;
/** Words that belong to the last name when they come before it: "Maria de la Cruz", "Jan van Dyke". */
const PARTICLES = new Set(['de', 'del', 'della', 'la', 'le', 'da', 'di', 'du', 'van', 'von', 'der', 'den', 'st', 'st.', 'mac', 'bin', 'al']);

export function splitFullName(text: string): NameParts {
  const parts: NameParts = { firstName: '', middleName: '', lastName: '', suffix: '' };
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return parts;
  const comma = clean.indexOf(',');
  const afterComma = comma >= 0 ? clean.slice(comma + 1).trim() : '';
  // "Jane Doe, Jr." is the second shape with its suffix after a comma, not "LAST, FIRST".
  if (comma >= 0 && !(afterComma && afterComma.split(' ').every(isSuffix))) {
    parts.lastName = clean.slice(0, comma).trim();
    const words = afterComma.replace(/,/g, ' ').split(' ').filter(Boolean);
    if (words.length > 1 && isSuffix(words[words.length - 1]!)) parts.suffix = words.pop()!;
    parts.firstName = words.shift() ?? '';
    parts.middleName = words.join(' ');
    return parts;
  }
  const words = clean.replace(/,/g, ' ').split(' ').filter(Boolean);
  if (words.length > 1 && isSuffix(words[words.length - 1]!)) parts.suffix = words.pop()!;
  if (words.length === 1) {
    parts.lastName = words[0]!;
    return parts;
  }
  let lastStart = words.length - 1;
  while (lastStart > 1 && PARTICLES.has(words[lastStart - 1]!.toLowerCase())) lastStart--;
  parts.firstName = words[0]!;
  parts.middleName = words.slice(1, lastStart).join(' ');
  parts.lastName = words.slice(lastStart).join(' ');
  return parts;
}
