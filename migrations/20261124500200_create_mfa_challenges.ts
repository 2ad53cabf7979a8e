import type { Knex } from 'knex';

/** The second login step: a password proved, a code still owed. Short-lived, single use. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mfa_challenges', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.integer('attempts').notNullable().defaultTo(0);
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('consumed_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mfa_challenges');
}
