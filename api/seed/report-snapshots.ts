/**
 * Demo report snapshots: a weekly inventory schedule for one client and its first snapshot, so the
 * catalogue shows a last-snapshot date and the viewer's Snapshots tab has something to open.
 * Used by the widget-test API and the demo; PDF is included when a browser is available.
 */
import type { AppDeps } from '../platform/http/context.js';
import { newId } from '../platform/ids.js';
import { produceSnapshot } from '../reports/snapshots.service.js';

export async function seedDemoSnapshot(deps: AppDeps, opts: { clientCode: string; reportKey: string; at: Date }): Promise<string | null> {
  const client = (await deps.db('clients').where({ code: opts.clientCode }).first('id')) as { id: number } | undefined;
  if (!client) return null;
  const publicId = newId('rsch');
  await deps.db('report_schedules').insert({
    publicId, reportKey: opts.reportKey, clientId: client.id, frequency: 'weekly', parametersJson: '{}', status: 'active',
    createdByUserId: null, nextRunAt: new Date(opts.at.getTime() + 7 * 86_400_000), createdAt: opts.at,
  });
  return produceSnapshot(deps, publicId, opts.at.toISOString().slice(0, 10), opts.at);
}
