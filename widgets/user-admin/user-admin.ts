import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { z } from 'zod';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { userAdminStyles } from './user-admin.styles.js';
import type { AdminUser, CreatedUserResponse, RoleListResponse, UserListResponse } from '../../api/users/users-admin.schema.js';

export type ManagedUser = z.output<typeof AdminUser>;
type UserPage = z.output<typeof UserListResponse>;
type Role = z.output<typeof RoleListResponse>['data'][number];

/** Detail of `ck-user-created` and `ck-user-updated`. */
export interface UserAdminDetail {
  user: ManagedUser;
}

const PAGE_SIZE = 10;

/**
 * User administration for agency administrators (every user) and client administrators (the users
 * of their own clients): find users, create one with an issued password (shown once; the user changes
 * it at first sign-in), disable (every session ends at once) or enable, issue a new password, and
 * remove a lost authenticator. The server decides who may do what; its messages are shown as given.
 *
 * @summary Create, find, disable and reset portal users.
 * @tag ck-user-admin
 *
 * @fires {CustomEvent<UserAdminDetail>} ck-user-created - A user was created.
 * @fires {CustomEvent<UserAdminDetail>} ck-user-updated - A user was disabled, enabled or reset.
 *
 * @csspart base - The whole element.
 * @csspart form - The search form and the new-user form.
 * @csspart input - Inputs and selects.
 * @csspart table - The users table.
 * @csspart row - One user's row.
 * @csspart button - Every button.
 * @csspart notice - Announcements (issued passwords, done actions), a polite live region.
 * @csspart error - Errors, a polite live region.
 * @csspart empty - The message when no user matches.
 *
 * @cssprop --ck-color-primary - Primary buttons and notices.
 * @cssprop --ck-color-danger - Errors.
 */
export class CkUserAdmin extends CkElement {
  static override styles = [baseStyles, formStyles, userAdminStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  @state() private query = '';
  @state() private page = 1;
  @state() private creating = false;
  @state() private busy = false;
  @state() private notice = '';
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private roleId = '';
  /** bumps to reload the list after a change */
  @state() private version = 0;

  #portal = new PortalConnection(this);

  #users = new Task(this, {
    task: async ([client, signedIn, q, page], { signal }) =>
      signedIn ? client.get<UserPage>('/users', { q, page, pageSize: PAGE_SIZE }, signal) : null,
    args: () => [this.#portal.client, Boolean(this.#portal.user), this.query, this.page, this.version] as const,
  });

  #roles = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? (await client.get<{ data: Role[] }>('/roles', undefined, signal)).data : null),
    args: () => [this.#portal.client, this.creating] as const,
  });

  #onSearch = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.query = String(data.get('q') ?? '').trim();
    this.page = 1;
  };

  #toggleCreate = async () => {
    this.creating = !this.creating;
    this.formError = '';
    this.fieldErrors = {};
    // the button pressed goes away with the form it opens or closes: the focus follows to what replaced it
    await this.updateComplete;
    this.#focus(this.creating ? '#new-firstName' : '[data-action=new]');
  };

  /** Moves the focus into the element (a control, or a message made focusable for it). */
  #focus(selector: string): void {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  async #act(action: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.formError = '';
    this.fieldErrors = {};
    try {
      await action();
      return true;
    } catch (error) {
      this.formError = toProblem(error).detail;
      this.fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      return false;
    } finally {
      this.busy = false;
    }
  }

  #onCreate = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      firstName: String(data.get('firstName') ?? '').trim(),
      lastName: String(data.get('lastName') ?? '').trim(),
      username: String(data.get('username') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      roleId: String(data.get('roleId') ?? ''),
      clientIds: data.getAll('clientIds').map(String),
    };
    const ok = await this.#act(async () => {
      const res = await this.#portal.client.request<z.output<typeof CreatedUserResponse>>('POST', '/users', { body });
      this.notice = `Created ${res.user.username}. Give them this password, shown only now: ${res.issuedPassword} — they choose their own at first sign-in.`;
      this.emit<UserAdminDetail>('ck-user-created', { user: res.user });
      // the list shows the new user (sorted by username, it may be on any page): found by name
      this.query = res.user.username;
      this.page = 1;
    });
    if (ok) {
      form.reset();
      this.creating = false;
      this.version++;
      // the form went away with the focus in it: the focus goes to the issued password, read once
      await this.updateComplete;
      this.#focus('[part=notice]');
    } else {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('form.create [aria-invalid="true"]')?.focus();
    }
  };

  async #rowAction(user: ManagedUser, path: string, done: (result: unknown) => string) {
    const ok = await this.#act(async () => {
      const result = await this.#portal.client.request<unknown>('POST', `/users/${user.id}/${path}`);
      this.notice = done(result);
      if (result && typeof result === 'object' && 'id' in result) this.emit<UserAdminDetail>('ck-user-updated', { user: result as ManagedUser });
      this.version++;
    });
    // every button was disabled while the request ran, which dropped the focus to the page: it goes to
    // what happened (a new password is read there once)
    await this.updateComplete;
    this.#focus(ok ? '[part=notice]' : '.alert[part=error]');
  }

  #field(name: string, label: string, type = 'text', autocomplete = 'off') {
    const error = this.fieldErrors[name] ?? '';
    return html`
      <div class="field">
        <label part="label" for="new-${name}">${label}</label>
        <input part="input" id="new-${name}" name=${name} type=${type} autocomplete=${autocomplete} required
          aria-invalid=${error ? 'true' : 'false'} aria-describedby="new-${name}-error" />
        <span class="error" id="new-${name}-error">${error}</span>
      </div>
    `;
  }

  #renderCreate() {
    const user = this.#portal.user!;
    const roles = this.#roles.value ?? [];
    const selected = roles.find((r) => r.id === this.roleId) ?? roles[0];
    const roleError = this.fieldErrors.roleId ?? '';
    return html`
      <form class="create" part="form" novalidate aria-label="New user" aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.#onCreate}>
        ${this.#field('firstName', 'First name', 'text', 'off')}
        ${this.#field('lastName', 'Last name')}
        ${this.#field('username', 'Username')}
        ${this.#field('email', 'Email', 'email')}
        <div class="field">
          <label part="label" for="new-roleId">Role</label>
          <select part="input" id="new-roleId" name="roleId" aria-describedby="new-roleId-error"
            @change=${(e: Event) => (this.roleId = (e.target as HTMLSelectElement).value)}>
            ${this.#roles.status === TaskStatus.PENDING ? html`<option value="">Loading roles…</option>` : nothing}
            ${roles.map((r) => html`<option value=${r.id} ?selected=${r.id === selected?.id}>${r.name}${r.mfaRequired ? ' (two-step sign-in)' : ''}</option>`)}
          </select>
          <span class="error" id="new-roleId-error">${roleError}</span>
        </div>
        ${selected?.scope === 'client'
          ? html`<fieldset aria-describedby="new-clientIds-error">
              <legend>Clients this user works for</legend>
              ${user.clients.map((c, i) => html`<label><input type="checkbox" name="clientIds" value=${c.id} ?checked=${user.clients.length === 1 && i === 0} /> ${c.name}</label>`)}
              <span class="error" id="new-clientIds-error">${this.fieldErrors.clientIds ?? ''}</span>
            </fieldset>`
          : nothing}
        <div class="alert" part="error" role="status" aria-live="polite">${this.formError}</div>
        <div class="actions">
          <button class="primary" part="button" type="submit" ?disabled=${this.busy}>${this.busy ? 'Creating…' : 'Create user'}</button>
          <button part="button" type="button" @click=${this.#toggleCreate}>Cancel</button>
        </div>
      </form>
    `;
  }

  #renderRow(u: ManagedUser) {
    const name = `${u.firstName} ${u.lastName}`;
    return html`
      <tr part="row" data-user=${u.username}>
        <td data-label="Name"><div>${name}<br /><span class="muted">${u.email}</span></div></td>
        <td data-label="Username">${u.username}</td>
        <td data-label="Role">${u.role.name}</td>
        <td data-label="Clients">${u.kind === 'agency' ? html`<span class="muted">All clients</span>` : u.clients.map((c) => c.name).join(', ')}</td>
        <td data-label="Status" data-field="status"><div>${u.status === 'active' ? 'Active' : 'Disabled'}${u.mfaEnabled ? html`<br /><span class="muted">Two-step on</span>` : nothing}</div></td>
        <td data-label="Actions">
          <div class="actions">
            ${u.status === 'active'
              ? html`<button part="button" type="button" data-action="disable" aria-label="Disable ${name}" ?disabled=${this.busy}
                  @click=${() => this.#rowAction(u, 'disable', () => `${u.username} is disabled; their sessions have ended.`)}>Disable</button>`
              : html`<button part="button" type="button" data-action="enable" aria-label="Enable ${name}" ?disabled=${this.busy}
                  @click=${() => this.#rowAction(u, 'enable', () => `${u.username} can sign in again.`)}>Enable</button>`}
            <button part="button" type="button" data-action="issue-password" aria-label="Issue a new password for ${name}" ?disabled=${this.busy}
              @click=${() => this.#rowAction(u, 'issue-password', (r) => `New password for ${u.username}, shown only now: ${(r as { issuedPassword: string }).issuedPassword}`)}>New password</button>
            ${u.mfaEnabled
              ? html`<button part="button" type="button" data-action="reset-mfa" aria-label="Reset two-step sign-in for ${name}" ?disabled=${this.busy}
                  @click=${() => this.#rowAction(u, 'reset-mfa', () => `${u.username} will set up two-step sign-in again.`)}>Reset two-step</button>`
              : nothing}
          </div>
        </td>
      </tr>
    `;
  }

  #renderList() {
    const task = this.#users;
    if (task.status === TaskStatus.ERROR) {
      const problem = toProblem(task.error);
      return html`<div class="alert" part="error" role="alert">${problem.status === 403 ? 'You do not have permission to manage users.' : problem.detail}</div>`;
    }
    const result = task.value;
    if (!result) return html`<p class="muted" role="status">Loading users…</p>`;
    if (!result.data.length) return html`<div class="empty" part="empty" role="status">No users match “${this.query}”. Check the spelling or clear the search.</div>`;
    const last = Math.max(1, Math.ceil(result.total / result.pageSize));
    return html`
      <table part="table">
        <caption class="visually-hidden">Users</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Username</th><th scope="col">Role</th><th scope="col">Clients</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
        <tbody>${result.data.map((u) => this.#renderRow(u))}</tbody>
      </table>
      <div class="pager">
        <span role="status">${result.total} user${result.total === 1 ? '' : 's'} · page ${result.page} of ${last}</span>
        <span>
          <button part="button" type="button" ?disabled=${result.page <= 1} @click=${() => (this.page = result.page - 1)}>Previous</button>
          <button part="button" type="button" ?disabled=${result.page >= last} @click=${() => (this.page = result.page + 1)}>Next</button>
        </span>
      </div>
    `;
  }

  override render() {
    if (!this.#portal.user) return html`<div part="base"><p class="muted">Sign in to manage users.</p></div>`;
    return html`
      <div part="base">
        <h2>Users</h2>
        <div class="toolbar">
          <form part="form" role="search" aria-label="Find users" class="toolbar" @submit=${this.#onSearch}>
            <div class="field">
              <label part="label" for="q">Find by name, username or email</label>
              <input part="input" id="q" name="q" type="search" .value=${this.query} />
            </div>
            <button part="button" type="submit">Find</button>
          </form>
          ${this.creating ? nothing : html`<button class="primary" part="button" type="button" data-action="new" @click=${this.#toggleCreate}>New user</button>`}
        </div>
        ${this.creating ? this.#renderCreate() : nothing}
        <div class="notice" part="notice" role="status" aria-live="polite" tabindex="-1">${this.notice}</div>
        ${this.creating ? nothing : html`<div class="alert" part="error" role="status" aria-live="polite" tabindex="-1">${this.formError}</div>`}
        <div aria-busy=${this.#users.status === TaskStatus.PENDING ? 'true' : 'false'}>${this.#renderList()}</div>
      </div>
    `;
  }
}

CkUserAdmin.define('ck-user-admin');

declare global {
  interface HTMLElementTagNameMap {
    'ck-user-admin': CkUserAdmin;
  }
  interface GlobalEventHandlersEventMap {
    'ck-user-created': CustomEvent<UserAdminDetail>;
    'ck-user-updated': CustomEvent<UserAdminDetail>;
  }
}
