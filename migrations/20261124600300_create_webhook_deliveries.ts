import type { Knex } from 'knex';

/** One row per (endpoint, event): the delivery and its outcome. Unique, so fan-out is idempotent. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('endpoint_id').unsigned().notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.bigInteger('event_id').unsigned().notNullable().references('events.id');
    t.string('event_type', 64).notNullable();
    /** pending | succeeded | failed | cancelled */
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code').nullable();
    t.string('last_error', 500).nullable();
    t.datetime('last_attempt_at', { precision: 3 }).nullable();
    t.datetime('delivered_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['endpoint_id', 'event_id']);
    t.index(['endpoint_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_deliveries');
}
