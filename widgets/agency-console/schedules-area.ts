/** Report schedules with "Run now"; `report-schedules/snapshots/<id>` opens a snapshot. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import './report-schedules.js';
import './snapshot-view.js';

export const area: Area = {
  title: (ctx) => (ctx.route.segments[1] === 'snapshots' ? 'Snapshot' : 'Report schedules'),
  render(ctx) {
    const snapshotId = ctx.route.segments[1] === 'snapshots' ? ctx.route.segments[2] ?? '' : '';
    if (snapshotId) return html`<p><a href=${ctx.href('report-schedules')}>← All schedules</a></p><ck-snapshot-view snapshot-id=${snapshotId}></ck-snapshot-view>`;
    return html`<ck-report-schedules .snapshotHref=${(id: string) => ctx.href(`report-schedules/snapshots/${id}`)}></ck-report-schedules>`;
  },
};
