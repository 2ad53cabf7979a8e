/** The password policy: described in words for the user before they type, and enforced here. */
import type { PasswordPolicy } from '../settings/settings.service.js';
import type { FieldError } from '../platform/errors.js';

const CLASSES: [RegExp, string][] = [
  [/[a-z]/, 'a lower-case letter'],
  [/[A-Z]/, 'an upper-case letter'],
  [/[0-9]/, 'a digit'],
  [/[^A-Za-z0-9]/, 'a symbol'],
];

export function describePolicy(policy: PasswordPolicy): string[] {
  const rules = [`At least ${policy.minLength} characters.`];
  if (policy.minCharacterClasses > 1) {
    rules.push(`At least ${policy.minCharacterClasses} of: lower-case letter, upper-case letter, digit, symbol.`);
  }
  rules.push('Must not contain your username.');
  if (policy.historyCount > 0) rules.push(`Must differ from your last ${policy.historyCount} passwords.`);
  if (policy.maxAgeDays > 0) rules.push(`Expires after ${policy.maxAgeDays} days.`);
  return rules;
}

/** Rules that can be checked without the password history; reuse is checked by the service. */
export function checkPasswordShape(password: string, username: string, policy: PasswordPolicy): FieldError[] {
  const problems: string[] = [];
  if ([...password].length < policy.minLength) problems.push(`Use at least ${policy.minLength} characters.`);
  const classes = CLASSES.filter(([re]) => re.test(password)).length;
  if (classes < policy.minCharacterClasses) {
    problems.push(`Use at least ${policy.minCharacterClasses} kinds of character (lower case, upper case, digits, symbols).`);
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('Do not include your username.');
  if ([...password].length > 256) problems.push('Use at most 256 characters.');
  return problems.map((message) => ({ path: 'newPassword', code: 'password_policy', message }));
}
