import type { Knex } from 'knex';

/** The history of contact updates: what changed (before/after per field), by whom, when, why. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contact_changes', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id');
    t.string('party_role', 24).nullable();
    t.text('changes_json').notNullable();
    t.text('reason').nullable();
    t.integer('changed_by_user_id').unsigned().nullable().references('users.id');
    t.string('changed_by_name', 200).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('contact_changes');
}
