import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    /** stored lower-case; unique across the agency */
    t.string('username', 100).notNullable().unique();
    t.string('email', 254).notNullable().index();
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    /** agency | client */
    t.string('kind', 16).notNullable();
    t.integer('role_id').unsigned().notNullable().references('roles.id');
    /** active | disabled */
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('password_hash', 255).notNullable();
    t.datetime('password_changed_at', { precision: 3 }).notNullable();
    t.boolean('must_change_password').notNullable().defaultTo(true);
    t.datetime('profile_confirmed_at', { precision: 3 }).nullable();
    t.datetime('last_login_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
