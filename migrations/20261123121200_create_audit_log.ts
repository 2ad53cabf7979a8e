import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    /** user | anonymous | system | integration | debtor */
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 40).nullable();
    t.string('action', 64).notNullable();
    t.string('target_type', 32).nullable();
    t.string('target_id', 40).nullable();
    t.string('ip', 64).nullable();
    t.string('request_id', 40).nullable();
    t.text('before_json').nullable();
    t.text('after_json').nullable();
    t.index(['target_type', 'target_id']);
    t.index(['actor_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
}
