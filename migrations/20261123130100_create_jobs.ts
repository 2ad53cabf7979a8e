import type { Knex } from 'knex';

/**
 * The job queue: rows claimed by workers (FOR UPDATE SKIP LOCKED on MySQL, one writer on SQLite),
 * retried with exponential backoff. `dedupe_key` is unique, so two schedulers enqueueing the same
 * due work produce one job.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('jobs', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('type', 64).notNullable();
    t.text('payload_json', 'mediumtext').notNullable();
    /** queued | running | done | dead */
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(8);
    t.datetime('run_at', { precision: 3 }).notNullable();
    t.string('locked_by', 80).nullable();
    t.datetime('locked_until', { precision: 3 }).nullable();
    t.text('last_error').nullable();
    t.string('dedupe_key', 191).nullable().unique();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
    t.index(['status', 'run_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('jobs');
}
