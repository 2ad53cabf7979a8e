import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_snapshot_files', (t) => {
    t.integer('snapshot_id').unsigned().notNullable().references('report_snapshots.id').onDelete('CASCADE');
    /** json | csv | xlsx | pdf */
    t.string('format', 8).notNullable();
    t.string('content_type', 100).notNullable();
    t.integer('byte_size').notNullable();
    t.string('sha256', 64).notNullable();
    // Kept in the database so every API process can serve it (a BLOB on MySQL stops at 64 KB).
    if (knex.client.config.client === 'mysql2') t.specificType('content', 'longblob').notNullable();
    else t.binary('content').notNullable();
    t.primary(['snapshot_id', 'format']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_snapshot_files');
}
