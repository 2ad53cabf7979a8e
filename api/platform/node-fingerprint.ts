/**
 * Several API nodes on one database must share their secrets and public URL: a node with another
 * JWT_SECRET has its tokens refused by the others; one with another DATA_KEY cannot read what they
 * encrypted (webhook secrets, SSNs). Such a node used to start anyway and fail request by request.
 *
 * So `serve` outside --demo with DATABASE_URL set refuses to start unless all four are set in its
 * environment (no silent fallback to secrets generated into its own DATA_DIR), and every `serve`
 * compares a fingerprint of its keys with the one stored in the database by the first node to start,
 * refusing clearly on a mismatch. The fingerprint is an HMAC under each key of a fixed label — it
 * proves equality without storing or revealing a key.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config.js';
import type { Db } from './db.js';
import { now } from './db.js';
import { isUniqueViolation } from './unique-violation.js';

export const SHARED_SETTINGS = ['JWT_SECRET', 'DATA_KEY', 'LOOKUP_KEY', 'PUBLIC_URL'] as const;
const SETTING_KEY = 'node_fingerprint';

export class NodeSettingsError extends Error {}

/** The shared settings missing from the environment of a node that must have them all. */
export function missingSharedSettings(env: NodeJS.ProcessEnv): string[] {
  return SHARED_SETTINGS.filter((name) => !env[name]?.trim());
}

export function requireSharedSettings(env: NodeJS.ProcessEnv): void {
  const missing = missingSharedSettings(env);
  if (!missing.length) return;
  throw new NodeSettingsError(
    `DATABASE_URL is set (a shared database, perhaps several nodes) but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not. ` +
      `Set all of ${SHARED_SETTINGS.join(', ')} to the same values on every node (keys: \`openssl rand -base64 32\`); ` +
      'a node never generates its own here, because the other nodes would refuse its tokens and could not read what it encrypts. (`serve --demo` is for trials.)',
  );
}

interface Fingerprint {
  JWT_SECRET: string;
  DATA_KEY: string;
  LOOKUP_KEY: string;
  /** compared only where all nodes must agree on it (DATABASE_URL, not --demo) */
  PUBLIC_URL: string;
}

const mark = (key: string, name: string) => createHmac('sha256', key).update(`collectkit/key-fingerprint/v1/${name}`).digest('base64url').slice(0, 22);

export function fingerprintOf(config: Config): Fingerprint {
  return {
    JWT_SECRET: mark(config.secrets.jwtSecret, 'jwt'),
    DATA_KEY: mark(config.secrets.dataKey, 'data'),
    LOOKUP_KEY: mark(config.secrets.lookupKey, 'lookup'),
    PUBLIC_URL: config.publicUrl.replace(/\/+$/, ''),
  };
}

/**
 * Stores this node's fingerprint when the database has none (first start), else compares.
 * `comparePublicUrl` is false for a single embedded node, whose URL may follow its PORT.
 */
export async function checkNodeFingerprint(db: Db, config: Config, opts: { comparePublicUrl: boolean }): Promise<'stored' | 'matched'> {
  const mine = fingerprintOf(config);
  const read = async () => (await db('settings').where({ key: SETTING_KEY }).first('value_json')) as { valueJson: string } | undefined;
  let row = await read();
  if (!row) {
    try {
      await db('settings').insert({ key: SETTING_KEY, valueJson: JSON.stringify(mine), updatedAt: now() });
      return 'stored';
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      row = await read(); // another node stored its own at the same moment: compare with that
    }
  }
  const stored = JSON.parse(row!.valueJson) as Partial<Fingerprint>;
  const names = (['JWT_SECRET', 'DATA_KEY', 'LOOKUP_KEY', ...(opts.comparePublicUrl ? ['PUBLIC_URL' as const] : [])] as const).filter(
    (name) => stored[name] !== undefined && stored[name] !== mine[name],
  );
  if (names.length) {
    const url = names.includes('PUBLIC_URL') ? ` (the database's nodes use PUBLIC_URL=${stored.PUBLIC_URL}, this one ${mine.PUBLIC_URL})` : '';
    throw new NodeSettingsError(
      `${names.join(', ')} ${names.length > 1 ? 'differ' : 'differs'} from the value the database was first started with${url}. ` +
        `Every node must use the same ${SHARED_SETTINGS.join(', ')}; with other keys this node's tokens would be refused and encrypted data unreadable. ` +
        '(Only the keys\' HMAC fingerprints are stored, never the keys.)',
    );
  }
  return 'matched';
}
