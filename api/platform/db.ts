/**
 * The database: knex on embedded SQLite (default) or MySQL/MariaDB (`DATABASE_URL=mysql://…`).
 * JSON is camelCase and SQL is snake_case; the conversion happens here, once, for every query
 * built with knex (identifiers on the way in, row keys on the way out).
 */
import knexFactory, { type Knex } from 'knex';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSource } from '../../migrations/index.js';

export type Db = Knex;
export type Trx = Knex.Transaction | Knex;

/**
 * Identifiers and column names are a small, fixed set, converted on every query and every row: each
 * conversion is computed once (a regex replace per key per row showed up in request profiles).
 */
function remembered(convert: (s: string) => string): (s: string) => string {
  const known = new Map<string, string>();
  return (s) => {
    let out = known.get(s);
    if (out === undefined) {
      out = convert(s);
      if (known.size < 10_000) known.set(s, out);
    }
    return out;
  };
}
const toSnake = remembered((s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const toCamel = remembered((s) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()));

export function camelRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object' || Array.isArray(row) || row instanceof Date || Buffer.isBuffer(row)) {
    return row;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row)) out[toCamel(k)] = (row as Record<string, unknown>)[k];
  return out;
}

function postProcessResponse(result: unknown): unknown {
  // Row arrays from select; a single row from .first(). Raw results are left alone: their shape
  // differs per dialect and callers of raw() read them knowingly.
  if (Array.isArray(result)) return result.map(camelRow);
  return camelRow(result);
}

/** Prepared statements one pooled connection keeps (× 20 connections per node; the server allows 16,382). */
const PREPARED_PER_CONNECTION = 100;

export function isMysql(db: Knex | Knex.Transaction): boolean {
  return db.client.config.client === 'mysql2';
}

export function createDb(databaseUrl: string, dataDir: string): Db {
  const common = {
    wrapIdentifier: (value: string, original: (v: string) => string) =>
      original(typeof value !== 'string' || value === '*' ? value : toSnake(value)),
    postProcessResponse,
    migrations: { migrationSource, tableName: 'knex_migrations' },
  };
  if (databaseUrl.startsWith('mysql://')) {
    return knexFactory({
      client: 'mysql2',
      connection: {
        uri: databaseUrl,
        // DATETIME values are stored and read as UTC.
        timezone: 'Z',
        dateStrings: false,
        supportBigNumbers: true,
        bigNumberStrings: false,
        charset: 'utf8mb4',
        // hot-query.ts prepares its statements; the least recently used are closed past this many
        maxPreparedStatements: PREPARED_PER_CONNECTION,
      } as unknown as Knex.MySql2ConnectionConfig,
      pool: { min: 0, max: 20 },
      ...common,
    });
  }
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : join(dataDir, 'collectkit.sqlite');
  if (file !== ':memory:') {
    // Personal data at rest: the file is the owner's alone (0600) in a 0700 folder, whatever the
    // umask; SQLite gives its -wal and -shm files the database file's permissions.
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma: (s: string) => void }, done: (err: Error | null, conn: unknown) => void) {
        // WAL lets readers run beside the single writer; foreign keys are off by default in SQLite.
        conn.pragma('journal_mode = WAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
    ...common,
  });
}

export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest();
}

/** Dates are stored as UTC DATETIME; both drivers give Date objects or ISO-ish strings back. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  const s = String(value);
  // SQLite returns 'YYYY-MM-DD HH:MM:SS(.sss)' for values we wrote as UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`).toISOString();
}

/** A date-only column as `YYYY-MM-DD`. */
export function toDateOnly(value: unknown): string | null {
  const iso = toIso(value);
  return iso ? iso.slice(0, 10) : null;
}

/** The value to write into a DATETIME column (a Date works on both drivers): the app's one clock. */
export { now } from './clock.js';

/** Booleans come back as 0/1 from both engines. */
export const bool = (v: unknown) => v === true || v === 1 || v === '1';
