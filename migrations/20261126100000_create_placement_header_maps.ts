import type { Knex } from 'knex';

/**
 * The agency's most recent column mapping per header set (the file's headers, compared as a set,
 * case and punctuation ignored): a new client whose billing system exports the same columns as
 * another client's gets that mapping suggested (issue 22), after its own remembered one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('placement_header_maps', (t) => {
    /** sha256 hex of the sorted, squashed headers */
    t.string('header_set_sha', 64).notNullable().primary();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.text('mapping_json').notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('placement_header_maps');
}
