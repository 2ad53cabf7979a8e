/** Agency settings stored as JSON under a key, with typed defaults for keys never set. */
import type { Trx } from '../platform/db.js';
import { now } from '../platform/db.js';

export interface PasswordPolicy {
  minLength: number;
  /** how many of: lower case, upper case, digit, symbol */
  minCharacterClasses: number;
  /** a new password may not repeat any of the last N */
  historyCount: number;
  /** days until a password must be changed; 0 = never expires */
  maxAgeDays: number;
}

export interface SupportContact {
  phone: string;
  email: string;
  hours: string;
}

export interface SettingTypes {
  password_policy: PasswordPolicy;
  support_contact: SupportContact;
}

export const SETTING_DEFAULTS: SettingTypes = {
  // NIST 800-63B favours length over composition; 12 with 3 classes is what agencies' auditors ask for.
  password_policy: { minLength: 12, minCharacterClasses: 3, historyCount: 5, maxAgeDays: 0 },
  support_contact: { phone: '', email: '', hours: '' },
};

export async function getSetting<K extends keyof SettingTypes>(trx: Trx, key: K): Promise<SettingTypes[K]> {
  const row = (await trx('settings').where({ key }).first('value_json')) as { valueJson: string } | undefined;
  return row ? { ...SETTING_DEFAULTS[key], ...(JSON.parse(row.valueJson) as object) } : SETTING_DEFAULTS[key];
}

export async function putSetting<K extends keyof SettingTypes>(trx: Trx, key: K, value: SettingTypes[K]): Promise<void> {
  const valueJson = JSON.stringify(value);
  const updated = await trx('settings').where({ key }).update({ valueJson, updatedAt: now() });
  if (!updated) await trx('settings').insert({ key, valueJson, updatedAt: now() });
}
