import type { Knex } from 'knex';

/** A spreadsheet placed in bulk: the stored file, its column mapping, and progress of the run. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('placement_batches', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** uploaded | queued | running | validated | completed | failed | rolled_back */
    t.string('status', 16).notNullable();
    /** validate (dry run: counts and the error report, nothing placed) | place */
    t.string('mode', 12).notNullable().defaultTo('place');
    /** the name the user gave the file: display only; the file is stored under stored_name */
    t.string('file_name', 255).notNullable();
    t.string('stored_name', 80).notNullable();
    /** csv | xlsx */
    t.string('format', 8).notNullable();
    t.string('file_sha256', 64).notNullable();
    t.bigInteger('file_size').notNullable();
    t.text('headers_json').notNullable();
    t.text('mapping_json').nullable();
    t.integer('rows_total').nullable();
    /** data rows finished (placed, invalid or duplicate): the checkpoint a restarted run resumes from */
    t.integer('rows_done').notNullable().defaultTo(0);
    t.integer('rows_placed').notNullable().defaultTo(0);
    t.integer('rows_invalid').notNullable().defaultTo(0);
    t.integer('rows_duplicate').notNullable().defaultTo(0);
    t.text('failure').nullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
    t.index(['client_id', 'file_sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('placement_batches');
}
