import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    /** SHA-256 of the current refresh token; the token itself is never stored */
    t.string('refresh_hash', 64).notNullable().unique();
    /** the hash it replaced: presenting it again means the token was stolen, and ends the session */
    t.string('previous_refresh_hash', 64).nullable().index();
    t.string('ip', 64).nullable();
    t.string('user_agent', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('last_used_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.index(['user_id', 'revoked_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
