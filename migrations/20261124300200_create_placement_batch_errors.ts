import type { Knex } from 'knex';

/** The rows of a batch that were not placed, with why: the downloadable error report. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('placement_batch_errors', (t) => {
    t.increments('id');
    t.integer('batch_id').unsigned().notNullable().references('placement_batches.id').onDelete('CASCADE');
    t.integer('row_number').notNullable();
    t.string('client_account_number', 64).nullable();
    /** invalid | duplicate */
    t.string('kind', 12).notNullable();
    t.text('reason').notNullable();
    t.index(['batch_id', 'row_number']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('placement_batch_errors');
}
