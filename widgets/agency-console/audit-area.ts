/** The audit trail area. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../audit-trail/audit-trail.js';

export const area: Area = {
  title: () => 'Audit trail',
  render: () => html`<ck-audit-trail></ck-audit-trail>`,
};
