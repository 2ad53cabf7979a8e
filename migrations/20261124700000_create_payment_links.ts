import type { Knex } from 'knex';

/**
 * Personalised payment links: a random token, only its SHA-256 stored, scoped to one account and
 * expiring. Whoever holds the link reaches that account's pay page and nothing else.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_links', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    t.integer('use_count').notNullable().defaultTo(0);
    t.datetime('last_used_at', { precision: 3 }).nullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_links');
}
