/** Shared pieces of the widget tests: the real API's URL, sign-in, and the axe-core check. */
import 'axe-core/axe.min.js';
import type { AxeResults } from 'axe-core';
import { expect, waitUntil } from '@open-wc/testing';
import { clientFor, type ApiClient } from '../../widgets/internal/api-client.js';

declare global {
  interface Window {
    CK_TEST_API: string;
    CK_TEST_API_SHORT_TOKENS: string;
    CK_TEST_API_FLAKY: string;
    axe: { run(context: Element, options?: object): Promise<AxeResults> };
  }
}

/** The base URL of the real API started by web-test-runner.config.mjs. */
export const API = window.CK_TEST_API;

/** The same API and database, but access tokens expire after one second. */
export const API_SHORT_TOKENS = window.CK_TEST_API_SHORT_TOKENS;

/** The same API behind a switch: `outage(ms)` makes it unreachable (connections dropped) for `ms`. */
export const API_FLAKY = window.CK_TEST_API_FLAKY;

export async function outage(ms: number): Promise<void> {
  await fetch(`${API_FLAKY}/__outage?ms=${ms}`);
}

export const DEMO = {
  client: { username: 'demo.client', password: 'Cascade-Demo-2026!' },
  group: { username: 'demo.group', password: 'Brigid-Group-2026!' },
  agency: { username: 'demo.agency', password: 'Northwind-Admin-2026!' },
} as const;

/** Matches serve-test-api.ts: agency staff (offers and plans; no integrations, no report schedules). */
export const STAFF = { username: 'staff.user', password: 'Staff-Widget-Pass-2026!' } as const;

/** Matches serve-test-api.ts. */
export const ONBOARDING_PASSWORD = 'Issued-Pass-2026!';

/** Matches serve-test-api.ts: users whose role requires two-step sign-in, not yet enrolled. */
export const MFA_PASSWORD = 'Mfa-Widget-Pass-2026!';

/** Matches serve-test-api.ts: a user with a pending password reset link whose token is known. */
export const RESET_USER = { username: 'reset.user', password: 'Old-Reset-Pass-2026!', token: 'widget-test-reset-token-0123456789abcdef' };

/** Signs the shared client of the test API in as `who` (after signing out whoever was in). */
export async function signIn(who: { username: string; password: string }): Promise<ApiClient> {
  const client = clientFor(API);
  if (client.user) await client.logout();
  await client.login(who.username, who.password);
  return client;
}

export async function signOut(): Promise<void> {
  const client = clientFor(API);
  if (client.user) await client.logout();
  sessionStorage.clear();
}

/** axe-core on the element (its shadow DOM included): zero violations, with readable failures. */
export async function expectAccessible(el: Element): Promise<void> {
  const results = await window.axe.run(el, { resultTypes: ['violations'] });
  const summary = results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, summary.join('\n')).to.deep.equal([]);
}

/** The element's shadow root, typed for queries. */
export const shadow = (el: Element): ShadowRoot => el.shadowRoot!;

/** Waits until `selector` matches inside the element's shadow root and returns the match. */
export async function find<T extends Element = HTMLElement>(el: Element, selector: string, message?: string, timeout = 10000): Promise<T> {
  await waitUntil(() => shadow(el).querySelector(selector), message ?? `${selector} to appear`, { timeout });
  return shadow(el).querySelector<T>(selector)!;
}

/** Sets a shadow input's value as a person typing would (input events included). */
export function type(el: Element, name: string, value: string): void {
  const input = shadow(el).querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  if (!input) throw new Error(`no field ${name}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}

/** Chooses a CSV file in an element's file input (as a person picking it would) and waits for its mapping step. */
export async function chooseSpreadsheet(el: Element, text: string, name: string): Promise<void> {
  const input = await find<HTMLInputElement>(el, 'input[type=file]');
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], name, { type: 'text/csv' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await find(el, '[part~=mapping]', 'the mapping step');
}
