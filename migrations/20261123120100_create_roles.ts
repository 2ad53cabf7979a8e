import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roles', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('key', 64).notNullable().unique();
    t.string('name', 120).notNullable();
    /** agency: staff of the agency, see every client; client: scoped to linked clients */
    t.string('scope', 16).notNullable();
    /** JSON array of permission names, e.g. ["accounts.read","payments.report"] */
    t.text('permissions').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('roles');
}
