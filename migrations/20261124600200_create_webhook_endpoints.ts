import type { Knex } from 'knex';

/**
 * Webhook endpoints registered by the agency's integration. The signing secret must be readable
 * to sign each delivery, so it is stored AES-256-GCM encrypted with the data key, never in clear.
 * `cursor` is the last event id the fan-out has looked at for this endpoint.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('url', 2000).notNullable();
    t.string('description', 200).nullable();
    /** JSON array of event types; `*` and `prefix.*` match several */
    t.text('event_types').notNullable();
    t.string('secret_encrypted', 200).notNullable();
    /** active | disabled */
    t.string('status', 16).notNullable();
    t.string('disabled_reason', 500).nullable();
    t.datetime('disabled_at', { precision: 3 }).nullable();
    t.bigInteger('cursor').unsigned().notNullable().defaultTo(0);
    t.integer('created_by_key_id').unsigned().nullable().references('integration_keys.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('webhook_endpoints');
}
