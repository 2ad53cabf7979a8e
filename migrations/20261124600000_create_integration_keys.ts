import type { Knex } from 'knex';

/**
 * API keys for the agency's integrations (its collection system). The secret is shown once at
 * creation; only its SHA-256 is stored (the secret is 32 random bytes, so a plain hash suffices and
 * lets us find the key by an indexed lookup). `prefix` is the first characters, shown in lists.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('integration_keys', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('name', 100).notNullable();
    t.string('prefix', 16).notNullable();
    t.string('secret_hash', 64).notNullable().unique();
    /** JSON array of scope names (api/integration/scopes.ts) */
    t.text('scopes').notNullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('last_used_at', { precision: 3 }).nullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.integer('revoked_by_user_id').unsigned().nullable().references('users.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('integration_keys');
}
