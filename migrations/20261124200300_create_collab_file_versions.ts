import type { Knex } from 'knex';

/** Every upload of a collab file; an overwrite adds a version and keeps the old ones. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('collab_file_versions', (t) => {
    t.increments('id');
    t.string('public_id', 40).notNullable().unique();
    t.integer('file_id').unsigned().notNullable().references('collab_files.id');
    /** 1, 2, 3…; unique per file, so two concurrent overwrites cannot both become version n */
    t.integer('version').unsigned().notNullable();
    t.string('original_name', 255).notNullable();
    t.string('content_type', 100).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('storage_key', 80).notNullable();
    t.integer('uploaded_by_user_id').unsigned().notNullable().references('users.id');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['file_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('collab_file_versions');
}
