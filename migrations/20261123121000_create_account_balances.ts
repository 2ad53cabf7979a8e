import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_balances', (t) => {
    t.integer('account_id').unsigned().notNullable().references('accounts.id').onDelete('CASCADE');
    /** principal | interest | fees | costs */
    t.string('component', 16).notNullable();
    t.bigInteger('original_cents').notNullable();
    t.bigInteger('current_cents').notNullable();
    t.primary(['account_id', 'component']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('account_balances');
}
