import type { Knex } from 'knex';

/** Agency tasks: the rows of the agency inbox (a client note, a dispute, a failed webhook …). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tasks', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().nullable().references('clients.id');
    t.integer('account_id').unsigned().nullable().references('accounts.id');
    t.string('kind', 48).notNullable();
    t.string('title', 255).notNullable();
    t.text('detail').nullable();
    /** open | done */
    t.string('status', 16).notNullable();
    t.string('source_type', 48).nullable();
    t.string('source_id', 64).nullable();
    t.integer('assigned_user_id').unsigned().nullable().references('users.id');
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('closed_at', { precision: 3 }).nullable();
    t.index(['status', 'created_at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('tasks');
}
