import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { CreatedKey, KeyList } from '../../api/integration/keys.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { copyText } from './copy.js';
import { renderSecretPanel } from './console-kit.js';
import { ManagedList } from './managed-list.js';

type Keys = z.output<typeof KeyList>;
type Key = Keys['data'][number];
type Created = z.output<typeof CreatedKey>;

/** The scopes a key may hold (the API's INTEGRATION_SCOPES; it refuses any other). */
const SCOPES: { value: string; text: string }[] = [
  { value: 'accounts:write', text: 'Upsert accounts, parties, balances and status changes' },
  { value: 'activity:write', text: 'Upsert account activity' },
  { value: 'clients:write', text: 'Create and update clients' },
  { value: 'events:read', text: 'Read the event feed' },
  { value: 'webhooks:manage', text: 'Register webhooks, read deliveries, redeliver' },
];

/**
 * Integration API keys for agency administrators: the keys (never their secrets) with scopes and
 * last use, a new key whose secret is shown once with a Copy button, and revocation after a
 * confirmation (the key's next request is refused).
 *
 * @summary Create, copy once and revoke integration API keys.
 * @tag ck-api-keys
 *
 * @fires {CustomEvent<{ id: string }>} ck-api-key-created - A key was created (the detail never holds the secret).
 *
 * @csspart form - The new key form.
 * @csspart secret - The new key, shown once.
 * @csspart table - The keys.
 */
export class CkApiKeys extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, cardTableStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  @state() private created: Created | null = null;
  @state() private copied = '';

  #keys = new ManagedList(this, {
    permission: 'integration.manage',
    load: (client, signal) => client.get<Keys>('/agency/integration-keys', undefined, signal),
  });

  #onCreate = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('keyName') ?? '').trim();
    const scopes = data.getAll('scopes').map(String);
    if (!name || !scopes.length) {
      this.#keys.invalid('Some fields are missing.', { ...(name ? {} : { name: 'Name the key after what uses it.' }), ...(scopes.length ? {} : { scopes: 'Choose at least one scope.' }) });
      form.querySelector<HTMLElement>(name ? 'input[name=scopes]' : '#keyName')?.focus();
      return;
    }
    const made = await this.#keys.change('create', (client) => client.request<Created>('POST', '/agency/integration-keys', { body: { name, scopes } }), {
      done: (created) => {
        this.created = created;
        this.copied = '';
        this.emit('ck-api-key-created', { id: created.id });
        form.reset();
      },
    });
    if (!made) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[part=secret]')?.focus();
  };

  async #copy(): Promise<void> {
    if (!this.created) return;
    const field = this.renderRoot.querySelector<HTMLInputElement>('#new-key');
    this.copied = (await copyText(this.created.key, field)) ? 'Copied to the clipboard.' : 'Select the key and copy it (Ctrl+C).';
  }

  #revoke(key: Key): void {
    void this.#keys.change(key.id, (client) => client.request('DELETE', `/agency/integration-keys/${encodeURIComponent(key.id)}`), {
      confirm: {
        title: `Revoke “${key.name}”?`,
        body: `Whatever uses the key ${key.prefix}… is refused from its next request. This cannot be undone.`,
        confirmLabel: 'Revoke the key',
      },
      done: () => `The key “${key.name}” is revoked.`,
    });
  }

  #renderList(keys: Keys | null) {
    if (!keys) return nothing;
    if (!keys.data.length) return html`<p class="empty" data-field="empty">No API keys yet. Create one for the collection system that syncs accounts.</p>`;
    return html`<div class="scroll" tabindex="0" role="region" aria-label="API keys">
      <table part="table" class="cards">
        <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          ${keys.data.map(
            (k) => html`<tr data-id=${k.id}>
              <td data-label="Name">${k.name}</td>
              <td data-label="Key"><code>${k.prefix}…</code></td>
              <td data-label="Scopes">${k.scopes.join(', ')}</td>
              <td data-label="Created">${formatDateTime(k.createdAt)}</td>
              <td data-label="Last used">${k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}</td>
              <td data-label="Status" data-field="status">${k.revokedAt ? `Revoked ${formatDateTime(k.revokedAt)}` : 'Active'}</td>
              <td data-label="">${k.revokedAt ? nothing : html`<button type="button" data-action="revoke" aria-label="Revoke the key ${k.name}" ?disabled=${this.#keys.busy(k.id)} @click=${() => this.#revoke(k)}>Revoke</button>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const keys = this.#keys;
    if (!keys.allowed) return nothing;
    const fe = keys.fieldErrors;
    return html`
      <div class="area-part">
        <h2 id="keys-title">API keys</h2>
        <form class="panel" part="form" novalidate aria-label="Create an API key" @submit=${this.#onCreate}>
          <div class="field">
            <label for="keyName">Name</label>
            <input id="keyName" name="keyName" maxlength="100" placeholder="Core collection system (prod)" aria-invalid=${fe.name ? 'true' : 'false'} aria-describedby="keyName-error" />
            <span class="error" id="keyName-error">${fe.name ?? ''}</span>
          </div>
          <fieldset aria-describedby="scopes-error">
            <legend>Scopes</legend>
            ${SCOPES.map((s) => html`<label class="check"><input type="checkbox" name="scopes" value=${s.value} /><span><code>${s.value}</code> — ${s.text}</span></label>`)}
            <span class="error" id="scopes-error">${fe.scopes ?? ''}</span>
          </fieldset>
          <p class="alert" role="alert">${keys.error}</p>
          <button class="primary" type="submit" ?disabled=${keys.busy('create')}>${keys.busy('create') ? 'Creating…' : 'Create API key'}</button>
        </form>
        ${this.created
          ? renderSecretPanel({
              id: 'new-key',
              heading: html`<strong>Key “${this.created.name}” created.</strong> Copy it now: it is shown only once.`,
              fieldLabel: 'The new API key',
              value: this.created.key,
              copied: this.copied,
              copyAction: 'copy',
              doneAction: 'done',
              onCopy: () => void this.#copy(),
              onDone: () => (this.created = null),
            })
          : nothing}
        <p class="hint" role="status">${keys.message}</p>
        ${keys.render('Loading API keys…', (list) => this.#renderList(list))}
      </div>
    `;
  }
}

CkApiKeys.define('ck-api-keys');

declare global {
  interface HTMLElementTagNameMap {
    'ck-api-keys': CkApiKeys;
  }
}
