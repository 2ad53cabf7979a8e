import type { Knex } from 'knex';

/** The Collaboration Center's folder tree, one per client (F-DOC 2). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collab_folders', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    t.integer('parent_id').unsigned().nullable().references('collab_folders.id');
    /** parent_id or 0 for the root: NULLs never collide in a unique index, 0 does */
    t.integer('parent_key').unsigned().notNullable();
    t.string('name', 200).notNullable();
    /** lower-cased NFC name: sibling folder names are unique ignoring case */
    t.string('name_key', 200).notNullable();
    t.integer('created_by_user_id').unsigned().notNullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['client_id', 'parent_key', 'name_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collab_folders');
}
