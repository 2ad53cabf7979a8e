import type { Knex } from 'knex';

/**
 * Databases seeded before report snapshots existed: give the default roles the new report
 * permissions (new databases get them from DEFAULT_ROLES at seed time). An agency that edited a
 * role keeps its edits; only the missing names are added.
 */
const GRANTS: Record<string, string[]> = {
  agency_admin: ['reports.financial', 'reports.schedule'],
  agency_staff: ['reports.financial'],
  client_manager: ['reports.financial', 'reports.schedule'],
};

async function edit(knex: Knex, change: (perms: string[], grant: string[]) => string[]) {
  for (const [key, grant] of Object.entries(GRANTS)) {
    const roles = (await knex('roles').where({ key }).select('id', 'permissions')) as { id: number; permissions: string }[];
    for (const role of roles) {
      await knex('roles').where({ id: role.id }).update({ permissions: JSON.stringify(change(JSON.parse(role.permissions) as string[], grant)) });
    }
  }
}

export async function up(knex: Knex): Promise<void> {
  await edit(knex, (p, grant) => [...p, ...grant.filter((g) => !p.includes(g))]);
}

export async function down(knex: Knex): Promise<void> {
  await edit(knex, (p, grant) => p.filter((x) => !grant.includes(x)));
}
