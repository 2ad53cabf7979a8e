import type { Knex } from 'knex';

/** "Contact the agency" conversations, one or more per account. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_threads', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id');
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.string('subject', 200).notNullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('last_message_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'last_message_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('message_threads');
}
