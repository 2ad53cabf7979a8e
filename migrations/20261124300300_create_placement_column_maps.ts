import type { Knex } from 'knex';

/** The column mapping a client last used for its spreadsheets, suggested again on the next upload. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('placement_column_maps', (t) => {
    t.integer('client_id').unsigned().notNullable().primary().references('clients.id');
    t.text('mapping_json').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('placement_column_maps');
}
