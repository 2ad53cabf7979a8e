/** The user menu's pages (`me/profile`, `me/password`, `me/two-step`), shared by both composite elements. */
import { html } from 'lit';
import type { Area } from './shell.js';
import '../user-settings/user-settings.js';

const TITLES: Record<string, string> = { profile: 'Edit my info', password: 'Change password', 'two-step': 'Two-step sign-in' };

const view = (segment: string | undefined) => (segment && segment in TITLES ? segment : 'profile');

export const area: Area = {
  title: (ctx) => TITLES[view(ctx.route.segments[1])]!,
  render: (ctx) => html`<ck-user-settings view=${view(ctx.route.segments[1])}></ck-user-settings>`,
};
