/** The users area: create, find, disable and reset portal users. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import '../user-admin/user-admin.js';

export const area: Area = {
  title: () => 'Users',
  render: () => html`<ck-user-admin></ck-user-admin>`,
};
