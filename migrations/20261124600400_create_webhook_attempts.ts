import type { Knex } from 'knex';

/** The delivery log: every HTTP attempt with its response code (or the network error) and timing. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.bigIncrements('id');
    t.bigInteger('delivery_id').unsigned().notNullable().references('webhook_deliveries.id').onDelete('CASCADE');
    t.integer('attempt').notNullable();
    /** a redelivery asked for by the integration, outside the retry schedule */
    t.boolean('manual').notNullable().defaultTo(false);
    t.datetime('requested_at', { precision: 3 }).notNullable();
    t.integer('status_code').nullable();
    t.string('error', 500).nullable();
    t.string('response_excerpt', 500).nullable();
    t.integer('duration_ms').notNullable();
    t.index(['delivery_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_attempts');
}
