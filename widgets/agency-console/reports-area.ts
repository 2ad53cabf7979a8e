/** The agency's Reports area: every report across clients, exports, snapshots and schedules. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../report-viewer/report-viewer.js';

export const area: Area = {
  title: () => 'Reports',
  render: () => html`<ck-report-viewer></ck-report-viewer>`,
};
