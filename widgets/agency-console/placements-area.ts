/** The placement review area: accept or reject placed accounts. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../placement-review/placement-review.js';

export const area: Area = {
  title: () => 'Placement review',
  render: () => html`<ck-placement-review></ck-placement-review>`,
};
