/**
 * MariaDB test databases from a template. Running all migrations costs 10–20 s of DDL on MariaDB; a
 * test file needs the same schema every time. So the migrations run once into `ck_tpl_<hash>` (the
 * hash covers every migration file's content, so a changed migration makes a new template) and each
 * test database is a copy: `SHOW CREATE TABLE` replayed (foreign keys included), the template's rows
 * (knex's migration bookkeeping and any data a migration wrote), then its triggers — about a second.
 *
 * Several vitest workers may start at once: a MariaDB named lock lets one of them build the template
 * while the others wait, and a `ck_template_ready` table marks it complete.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { createDb, migrateLatest } from '../../api/platform/db.js';

const MIGRATIONS_DIR = join(import.meta.dirname, '../../migrations');

function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort()) hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  return `ck_tpl_${hash.digest('hex').slice(0, 12)}`;
}

const withDatabase = (serverUrl: string, name: string) => Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();

async function ensureTemplate(admin: Knex, serverUrl: string, name: string): Promise<void> {
  const ready = async () =>
    ((await admin.raw('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [name, 'ck_template_ready']))[0] as { n: number }[])[0]!.n > 0;
  if (await ready()) return;
  await admin.raw('SELECT GET_LOCK(?, 600)', [name]);
  try {
    if (await ready()) return;
    await admin.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const db = createDb(withDatabase(serverUrl, name), '');
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    await admin.raw(`CREATE TABLE \`${name}\`.ck_template_ready (id INT)`);
  } finally {
    await admin.raw('SELECT RELEASE_LOCK(?)', [name]);
  }
}

/** Creates database `target` as a copy of the migrated template. */
export async function createMigratedMysqlDatabase(serverUrl: string, target: string): Promise<void> {
  // One connection: USE and FOREIGN_KEY_CHECKS are session state.
  const admin = knexFactory({ client: 'mysql2', connection: serverUrl, pool: { min: 1, max: 1 } });
  try {
    const template = templateName();
    await ensureTemplate(admin, serverUrl, template);
    await admin.raw(`CREATE DATABASE \`${target}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const tables = ((await admin.raw(
      "SELECT table_name AS name, table_rows AS approxRows FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' AND table_name <> 'ck_template_ready'",
      [template],
    ))[0] as { name: string }[]).map((t) => t.name);
    await admin.raw('SET FOREIGN_KEY_CHECKS = 0');
    await admin.raw(`USE \`${target}\``);
    for (const table of tables) {
      const [[row]] = (await admin.raw(`SHOW CREATE TABLE \`${template}\`.\`${table}\``)) as [Record<string, string>[]];
      await admin.raw(row!['Create Table']!);
    }
    for (const table of tables) {
      await admin.raw(`INSERT INTO \`${target}\`.\`${table}\` SELECT * FROM \`${template}\`.\`${table}\``);
    }
    // Triggers are schema too (the append-only ledger refuses UPDATE and DELETE with them); replayed
    // after the rows so that copying the template's data does not fire them.
    const triggers = ((await admin.raw('SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = ?', [template]))[0] as { name: string }[]).map((t) => t.name);
    for (const trigger of triggers) {
      const [[row]] = (await admin.raw(`SHOW CREATE TRIGGER \`${template}\`.\`${trigger}\``)) as [Record<string, string>[]];
      await admin.raw(row!['SQL Original Statement']!);
    }
    await admin.raw('SET FOREIGN_KEY_CHECKS = 1');
  } finally {
    await admin.destroy();
  }
}
