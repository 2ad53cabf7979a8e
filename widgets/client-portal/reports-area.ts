/** The Reports area: every report the user may run, its chart and exports, snapshots and schedules. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../report-viewer/report-viewer.js';

export const area: Area = {
  title: () => 'Reports',
  render: () => html`<ck-report-viewer></ck-report-viewer>`,
};
