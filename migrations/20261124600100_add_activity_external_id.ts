import type { Knex } from 'knex';

/**
 * The agency system's own id for an activity row (a collector note, a call attempt …), so that
 * sending the same activity twice updates one row instead of adding a second. NULL for activity
 * created in the portal; unique otherwise (both engines allow many NULLs in a unique index).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activity', (t) => {
    t.string('external_id', 64).nullable();
    t.unique(['external_id'], { indexName: 'uq_activity_external_id' });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('activity', (t) => {
    t.dropUnique(['external_id'], 'uq_activity_external_id');
    t.dropColumn('external_id');
  });
}
