import type { Knex } from 'knex';

/**
 * The column mapping a person is still editing for an upload not yet started (bulk placement left at
 * the mapping step: a reload, a closed tab): saved as it changes so the upload can be picked up again
 * from "My placements". Kept apart from `mapping_json`, which is the mapping a run used.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('placement_batches', (t) => {
    t.text('draft_mapping_json').nullable();
    t.datetime('draft_saved_at', { precision: 3 }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('placement_batches', (t) => {
    t.dropColumn('draft_saved_at');
    t.dropColumn('draft_mapping_json');
  });
}
