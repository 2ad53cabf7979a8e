import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_snapshots', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('schedule_id').unsigned().nullable().references('report_schedules.id').onDelete('SET NULL');
    t.string('report_key', 40).notNullable();
    t.integer('client_id').unsigned().nullable().references('clients.id');
    /** the period this snapshot stands for: 2026-11-24 (daily), 2026-W48 (weekly), 2026-11 (monthly) */
    t.string('period_key', 16).notNullable();
    t.text('parameters_json').notNullable();
    t.integer('row_count').notNullable();
    t.datetime('generated_at', { precision: 3 }).notNullable();
    // One snapshot per schedule and period, whatever the number of job runners.
    t.unique(['schedule_id', 'period_key']);
    t.index(['report_key', 'generated_at']);
    t.index(['client_id', 'generated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_snapshots');
}
