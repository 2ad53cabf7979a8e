/**
 * Secrets inside queued messages (a payment link, a password-reset link). A message may wait in
 * the outbox for hours (the 8 am–9 pm window), so its stored body must not hold a usable token:
 * the sender writes `sealSecret(url, config.secrets.dataKey)` into the text, which stores only an
 * AES-256-GCM box (the key is in config, never in the database). The outbox opens the box just
 * before handing the message to SMTP or the SMS provider, and once the message is sent, cancelled
 * or given up, the box itself is replaced by a marker — nothing left at rest could ever be opened.
 */
import { decrypt, encrypt } from './crypto.js';

const SEALED = /\[\[ck-secret:([A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+)\]\]/g;

/** What a reader of the stored message sees where the secret was, after sending. */
export const REMOVED = '[link removed after sending]';

export function sealSecret(value: string, dataKey: string): string {
  return `[[ck-secret:${encrypt(value, dataKey)}]]`;
}

/** The text as it is delivered: each sealed secret opened. */
export function unsealSecrets(text: string, dataKey: string): string {
  return text.replace(SEALED, (_, box: string) => decrypt(box, dataKey));
}

/** The text as it stays at rest once delivered (or dropped): each sealed secret replaced by a marker. */
export function dropSecrets(text: string): string {
  return text.replace(SEALED, REMOVED);
}

export const hasSealedSecret = (text: string | null): boolean => text !== null && text.includes('[[ck-secret:');
