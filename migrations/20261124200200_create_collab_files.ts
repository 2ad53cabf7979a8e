import type { Knex } from 'knex';

/** A file in a client's Collaboration Center; its bytes are in collab_file_versions. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collab_files', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('client_id').unsigned().notNullable().references('clients.id');
    /** null: the root folder */
    t.integer('folder_id').unsigned().nullable().references('collab_folders.id');
    t.string('name', 200).notNullable();
    /** lower-cased NFC name: unique within the client's whole center (F-DOC 2) */
    t.string('name_key', 200).notNullable();
    t.integer('current_version').unsigned().notNullable();
    t.integer('created_by_user_id').unsigned().notNullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.unique(['client_id', 'name_key']);
    t.index(['client_id', 'folder_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collab_files');
}
