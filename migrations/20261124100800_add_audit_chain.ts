import type { Knex } from 'knex';

/**
 * The hash chain over the audit trail. Rows are written as they happen (no lock on the request
 * path); a sealer gives each new row the next chain position and hash = SHA-256(previous hash +
 * the row's canonical content). Changing or deleting a sealed row breaks the chain, which
 * `admin audit-verify` (and GET agency/audit/verify) detects.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.bigInteger('chain_seq').nullable().unique();
    t.string('prev_hash', 64).nullable();
    t.string('hash', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropUnique(['chain_seq']);
    t.dropColumn('chain_seq');
    t.dropColumn('prev_hash');
    t.dropColumn('hash');
  });
}
