import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('activity', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    /** note | status_change | call_attempt | letter | promise_to_pay | settlement | payment | hold | recall | dispute | placement */
    t.string('type', 32).notNullable();
    /** client: shown to the client; internal: agency eyes only, never sent to a client by any route */
    t.string('visibility', 16).notNullable();
    t.text('body').notNullable();
    t.integer('actor_user_id').unsigned().nullable().references('users.id');
    t.string('actor_name', 200).notNullable();
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    t.index(['account_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('activity');
}
