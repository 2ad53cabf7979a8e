import type { Knex } from 'knex';

/**
 * The printed parts of a background PDF export (1,000 rows each), kept in the file store until the
 * export is done: a retry on another node (this one died) joins the parts already printed and prints
 * only the rest. One row per part; the pair (export, part number) is unique, so two workers never
 * both keep a part.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_export_parts', (t) => {
    t.increments('id').primary();
    t.integer('export_id').unsigned().notNullable().references('report_exports.id').onDelete('CASCADE');
    /** 0 for the first part */
    t.integer('part_no').notNullable();
    t.string('file_key', 80).notNullable();
    t.integer('rows').notNullable();
    t.integer('pages').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['export_id', 'part_no']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_export_parts');
}
