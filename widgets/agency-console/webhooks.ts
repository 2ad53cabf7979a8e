import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { CreatedEndpoint, EndpointList } from '../../api/integration/webhooks.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { copyText } from './copy.js';
import { renderSecretPanel } from './console-kit.js';
import { ManagedList } from './managed-list.js';
import './webhook-deliveries.js';

type Endpoints = z.output<typeof EndpointList>;
type Endpoint = Endpoints['data'][number];
type Created = z.output<typeof CreatedEndpoint>;

/** Event type families to pick from; any exact type or `prefix.*` can be typed as well. */
const FAMILIES = ['account.*', 'placement.*', 'payment.*', 'offer.*', 'plan.*', 'dispute.*', 'task.*', 'collab.*', '*'];

/**
 * Webhook endpoints for agency administrators: register a URL for event types (the signing secret
 * is shown once, with Copy), open an endpoint's delivery log (status, attempts, response code; one
 * delivery sent again), disable or enable an endpoint, and remove it after a confirmation.
 *
 * @summary Register webhooks and follow their deliveries.
 * @tag ck-webhooks
 *
 * @fires {CustomEvent<{ id: string }>} ck-webhook-created - An endpoint was registered.
 *
 * @csspart form - The new endpoint form.
 * @csspart secret - The signing secret, shown once.
 * @csspart table - The endpoints.
 */
export class CkWebhooks extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, cardTableStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  @state() private created: Created | null = null;
  @state() private open = '';
  @state() private copied = '';

  #endpoints = new ManagedList(this, {
    permission: 'integration.manage',
    load: (client, signal) => client.get<Endpoints>('/agency/webhooks', undefined, signal),
  });

  #onCreate = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get('hookUrl') ?? '').trim();
    const typed = String(data.get('moreTypes') ?? '').split(/[\s,]+/).filter(Boolean);
    const eventTypes = [...data.getAll('eventTypes').map(String), ...typed];
    const description = String(data.get('hookDescription') ?? '').trim();
    if (!url || !eventTypes.length) {
      this.#endpoints.invalid('Some fields are missing.', { ...(url ? {} : { url: 'Enter the https address that receives the events.' }), ...(eventTypes.length ? {} : { eventTypes: 'Choose at least one event type.' }) });
      form.querySelector<HTMLElement>(url ? 'input[name=eventTypes]' : '#hookUrl')?.focus();
      return;
    }
    const body = { url, eventTypes, ...(description ? { description } : {}) };
    const made = await this.#endpoints.change('create', (client) => client.request<Created>('POST', '/agency/webhooks', { body }), {
      done: (created) => {
        this.created = created;
        this.copied = '';
        this.emit('ck-webhook-created', { id: created.id });
        form.reset();
      },
    });
    if (!made) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part=secret]')?.focus();
  };

  async #copy(): Promise<void> {
    if (!this.created) return;
    this.copied = (await copyText(this.created.secret, this.renderRoot.querySelector<HTMLInputElement>('#new-secret'))) ? 'Copied to the clipboard.' : 'Select the secret and copy it (Ctrl+C).';
  }

  #toggle(e: Endpoint): void {
    const status = e.status === 'active' ? 'disabled' : 'active';
    void this.#endpoints.change(e.id, (client) => client.request('PATCH', `/agency/webhooks/${encodeURIComponent(e.id)}`, { body: { status } }), {
      done: () => `${e.url} is ${status === 'disabled' ? 'disabled' : 'enabled again'}.`,
    });
  }

  #remove(e: Endpoint): void {
    void this.#endpoints.change(e.id, (client) => client.request('DELETE', `/agency/webhooks/${encodeURIComponent(e.id)}`), {
      confirm: { title: 'Remove this webhook?', body: `${e.url} receives nothing more, and its delivery log is deleted.`, confirmLabel: 'Remove the webhook' },
      done: () => {
        if (this.open === e.id) this.open = '';
        return `The webhook ${e.url} is removed.`;
      },
    });
  }

  #renderList(list: Endpoints | null) {
    if (!list) return nothing;
    if (!list.data.length) return html`<p class="empty" data-field="empty">No webhooks yet. Register the address that should receive events.</p>`;
    return html`<div class="scroll" tabindex="0" role="region" aria-label="Webhooks">
      <table part="table" class="cards">
        <thead><tr><th scope="col">Address</th><th scope="col">Events</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${list.data.map(
            (e) => html`<tr data-id=${e.id}>
              <td data-label="Address"><code>${e.url}</code>${e.description ? html`<br /><span class="hint">${e.description}</span>` : nothing}</td>
              <td data-label="Events">${e.eventTypes.join(', ')}</td>
              <td data-label="Status">${e.status === 'active' ? 'Active' : html`Disabled${e.disabledReason ? html`<br /><span class="hint">${e.disabledReason}</span>` : nothing}`}</td>
              <td data-label="Created">${formatDateTime(e.createdAt)}</td>
              <td data-label="">
                <div class="actions">
                  <button type="button" data-action="log" aria-expanded=${this.open === e.id ? 'true' : 'false'} aria-controls="log-${e.id}" @click=${() => (this.open = this.open === e.id ? '' : e.id)}>Delivery log</button>
                  <button type="button" data-action="toggle" ?disabled=${this.#endpoints.busy(e.id)} @click=${() => this.#toggle(e)}>${e.status === 'active' ? 'Disable' : 'Enable'}</button>
                  <button type="button" data-action="remove" aria-label="Remove the webhook ${e.url}" ?disabled=${this.#endpoints.busy(e.id)} @click=${() => this.#remove(e)}>Remove</button>
                </div>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${this.open && list.data.some((e) => e.id === this.open)
      ? html`<ck-webhook-deliveries id="log-${this.open}" endpoint-id=${this.open} .endpointUrl=${list.data.find((e) => e.id === this.open)!.url}></ck-webhook-deliveries>`
      : nothing}`;
  }

  override render() {
    const endpoints = this.#endpoints;
    if (!endpoints.allowed) return nothing;
    const fe = endpoints.fieldErrors;
    return html`
      <div class="area-part">
        <h2 id="hooks-title">Webhooks</h2>
        <form class="panel" part="form" novalidate aria-label="Register a webhook" @submit=${this.#onCreate}>
          <div class="grid-form">
            <div class="field">
              <label for="hookUrl">Address (URL)</label>
              <input id="hookUrl" name="hookUrl" type="url" placeholder="https://collections.example.com/hooks/collectkit" aria-invalid=${fe.url ? 'true' : 'false'} aria-describedby="hookUrl-error" />
              <span class="error" id="hookUrl-error">${fe.url ?? ''}</span>
            </div>
            <div class="field"><label for="hookDescription">Description (optional)</label><input id="hookDescription" name="hookDescription" maxlength="200" /></div>
          </div>
          <fieldset aria-describedby="eventTypes-error">
            <legend>Event types</legend>
            <div class="actions">${FAMILIES.map((f) => html`<label class="check"><input type="checkbox" name="eventTypes" value=${f} /><code>${f === '*' ? '* (everything)' : f}</code></label>`)}</div>
            <div class="field"><label for="moreTypes">Other event types (comma-separated)</label><input id="moreTypes" name="moreTypes" placeholder="account.note_added" /></div>
            <span class="error" id="eventTypes-error">${fe.eventTypes ?? ''}</span>
          </fieldset>
          <p class="alert" role="alert">${endpoints.error}</p>
          <button class="primary" type="submit" ?disabled=${endpoints.busy('create')}>${endpoints.busy('create') ? 'Registering…' : 'Register webhook'}</button>
        </form>
        ${this.created
          ? renderSecretPanel({
              id: 'new-secret',
              heading: html`<strong>Webhook registered.</strong> Copy its signing secret now: it is shown only once.`,
              fieldLabel: 'The signing secret',
              value: this.created.secret,
              copied: this.copied,
              copyAction: 'copy-secret',
              onCopy: () => void this.#copy(),
              onDone: () => (this.created = null),
            })
          : nothing}
        <p class="hint" role="status">${endpoints.message}</p>
        ${endpoints.render('Loading webhooks…', (list) => this.#renderList(list))}
      </div>
    `;
  }
}

CkWebhooks.define('ck-webhooks');

declare global {
  interface HTMLElementTagNameMap {
    'ck-webhooks': CkWebhooks;
  }
}
