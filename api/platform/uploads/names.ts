/**
 * Names people give files and folders. We keep them for display, so almost anything goes (spaces,
 * accents, emoji, commas); what we refuse is what can hurt: control characters (header and log
 * injection, invisible text), bidirectional overrides (`invoice‮fdp.exe`), and — where a name sits in
 * a folder tree — path separators and `.`/`..`.
 */
import { badRequest } from '../errors.js';

// C0 and C1 controls, DEL, and the bidi embedding/override/isolate characters
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export interface NameRules {
  /** the form field, for the problem's `errors[].path` */
  field: string;
  /** how the message calls it: "display name", "folder name" */
  label: string;
  /** attachments keep any display name; tree entries (collab files and folders) may not contain / or \ */
  allowPathCharacters?: boolean;
  max?: number;
}

/** The name, trimmed and NFC-normalised, or a 400 saying what is wrong with it. */
export function checkName(value: unknown, rules: NameRules): string {
  const what = rules.label;
  const max = rules.max ?? 200;
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest('name_required', `Give the ${what}.`, [{ path: rules.field, code: 'required', message: `The ${what} is required.` }]);
  }
  const name = value.normalize('NFC').trim();
  const fail = (code: string, message: string) => badRequest(code, message, [{ path: rules.field, code, message }]);
  if (FORBIDDEN.test(name)) throw fail('invalid_name', `The ${what} contains control characters.`);
  if ([...name].length > max) throw fail('name_too_long', `The ${what} is longer than ${max} characters.`);
  if (!rules.allowPathCharacters && (/[\\/]/.test(name) || name === '.' || name === '..')) {
    throw fail('invalid_name', `The ${what} may not contain / or \\ or be "." or "..".`);
  }
  return name;
}

/** The comparison key for "unique name" rules: case-insensitive, canonical Unicode. */
export const nameKey = (name: string) => name.normalize('NFC').toLowerCase();
