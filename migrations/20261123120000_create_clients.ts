import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('clients', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.string('code', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    /** hospital | clinic | utility | landlord | b2b */
    t.string('kind', 32).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('clients');
}
