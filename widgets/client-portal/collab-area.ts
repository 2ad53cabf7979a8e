/** The Collaboration Center area: folders, files, versions and comments shared with the agency. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../collab-center/collab-center.js';

export const area: Area = {
  title: () => 'Collaboration Center',
  render: () => html`<ck-collab-center></ck-collab-center>`,
};
