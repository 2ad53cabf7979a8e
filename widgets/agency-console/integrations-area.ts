/** Integrations: API keys and webhooks with their delivery log. */
import { html } from 'lit';
import type { Area } from '../internal/shell.js';
import './api-keys.js';
import './webhooks.js';

export const area: Area = {
  title: () => 'Integrations',
  render: () => html`<ck-api-keys></ck-api-keys><ck-webhooks></ck-webhooks>`,
};
