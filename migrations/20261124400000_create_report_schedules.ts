import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_schedules', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('report_key', 40).notNullable();
    /** null: across every client (agency users only) */
    t.integer('client_id').unsigned().nullable().references('clients.id');
    /** daily | weekly | monthly */
    t.string('frequency', 16).notNullable();
    /** the report parameters, JSON (client ids as public ids, as the caller gave them) */
    t.text('parameters_json').notNullable();
    /** active | paused */
    t.string('status', 16).notNullable();
    t.integer('created_by_user_id').unsigned().nullable().references('users.id');
    /** the next period boundary at which a snapshot is due (UTC) */
    t.datetime('next_run_at', { precision: 3 }).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['status', 'next_run_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_schedules');
}
