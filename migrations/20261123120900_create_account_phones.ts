import type { Knex } from 'knex';

/** Every phone of every party, as 10 digits, so "search by phone" is one indexed lookup. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_phones', (t) => {
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    t.string('phone', 15).notNullable();
    t.primary(['phone', 'account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_phones');
}
