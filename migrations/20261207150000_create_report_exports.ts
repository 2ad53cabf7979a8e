import type { Knex } from 'knex';

/**
 * Report exports rendered in the background (issue 21): a PDF of up to 20,000 rows is a job; this row
 * is its progress for the screen and, when done, the stored file (a key in the file store) until it
 * expires. An export is its requester's own: no one else reads it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_exports', (t) => {
    t.increments('id').primary();
    t.string('public_id', 40).notNullable().unique();
    t.integer('user_id').unsigned().notNullable().references('users.id');
    t.string('report_key', 40).notNullable();
    t.string('format', 8).notNullable();
    t.text('parameters_json').notNullable();
    /** the client ids the requester could see when asking (JSON array, or "all") */
    t.text('scope_json').notNullable();
    /** queued | running | done | failed | expired */
    t.string('status', 16).notNullable();
    t.integer('rows_total').notNullable().defaultTo(0);
    t.integer('rows_done').notNullable().defaultTo(0);
    t.integer('pages_done').notNullable().defaultTo(0);
    t.string('file_key', 80).nullable();
    t.string('file_name', 120).notNullable();
    t.bigInteger('byte_size').nullable();
    t.string('sha256', 64).nullable();
    t.text('failure').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('started_at', { precision: 3 }).nullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.index(['user_id', 'created_at']);
    t.index(['status', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_exports');
}
