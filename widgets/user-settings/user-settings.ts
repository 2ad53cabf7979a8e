import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type PasswordPolicy } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';

/** `GET auth/mfa`. */
interface MfaStatus {
  enabled: boolean;
  pending: boolean;
  enabledAt: string | null;
  recoveryCodesRemaining: number;
  requiredByRole: boolean;
}

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

export type SettingsView = 'profile' | 'password' | 'two-step';

/**
 * The signed-in user's own settings, any time after the first login: edit my info (name, email),
 * change my password (the server's policy shown before typing), and two-step sign-in (turn it on
 * with an authenticator app and keep the recovery codes; turn it off with the password unless the
 * role requires it). The server decides every rule; its messages appear next to the field.
 *
 * @summary Edit my info, change my password, turn two-step sign-in on or off.
 * @tag ck-user-settings
 *
 * @fires {CustomEvent<{ view: SettingsView }>} ck-settings-saved - A change was saved.
 *
 * @csspart form - The form of the view.
 * @csspart input - Each input.
 * @csspart button - Every button.
 * @csspart error - The form-level error (a live region).
 * @csspart notice - The success message (a live region).
 */
export class CkUserSettings extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    css`
      form {
        display: grid;
        gap: var(--ck-space-3, 0.75rem);
        max-width: 28rem;
      }
      .actions {
        display: flex;
        gap: var(--ck-space-2, 0.5rem);
        flex-wrap: wrap;
      }
      .notice {
        color: var(--ck-color-success, #146c2e);
      }
      .codes {
        columns: 2;
        font-family: ui-monospace, monospace;
      }
      .qr {
        display: block;
        background: #fff;
        margin: var(--ck-space-2, 0.5rem) 0;
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Which setting: `profile`, `password` or `two-step`. */
  @property({ reflect: true }) view: SettingsView = 'profile';

  @state() private busy = false;
  @state() private formError = '';
  @state() private fieldErrors: Record<string, string> = {};
  @state() private notice = '';
  @state() private enrolment: Enrolment | null = null;
  @state() private recoveryCodes: string[] | null = null;
  @state() private revision = 0;

  #portal = new PortalConnection(this);

  #policy = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? client.get<PasswordPolicy>('/auth/password-policy', undefined, signal) : null),
    args: () => [this.#portal.client, this.view === 'password'] as const,
  });

  #mfa = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? client.get<MfaStatus>('/auth/mfa', undefined, signal) : null),
    args: () => [this.#portal.client, this.view === 'two-step' && Boolean(this.#portal.user), this.revision] as const,
  });

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('view')) {
      this.formError = '';
      this.fieldErrors = {};
      this.notice = '';
    }
  }

  async #run(action: () => Promise<string>): Promise<void> {
    this.formError = '';
    this.fieldErrors = {};
    this.notice = '';
    this.busy = true;
    try {
      this.notice = await action();
      this.emit('ck-settings-saved', { view: this.view });
    } catch (error) {
      this.formError = toProblem(error).detail;
      this.fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  #data(event: SubmitEvent): Record<string, string> {
    event.preventDefault();
    return Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
  }

  #onProfile = (event: SubmitEvent) => {
    const d = this.#data(event);
    const client = this.#portal.client;
    void this.#run(async () => {
      await client.request('PATCH', '/me', { body: { firstName: d.firstName, lastName: d.lastName, email: d.email } });
      await client.reloadUser();
      return 'Your details are saved.';
    });
  };

  #onPassword = (event: SubmitEvent) => {
    const d = this.#data(event);
    const form = event.target as HTMLFormElement;
    if (d.newPassword !== d.confirmPassword) {
      this.formError = 'The new passwords do not match.';
      this.fieldErrors = { confirmPassword: 'Type the same new password twice.' };
      return;
    }
    const client = this.#portal.client;
    void this.#run(async () => {
      await client.request('POST', '/auth/password', { body: { currentPassword: d.currentPassword, newPassword: d.newPassword } });
      await client.reloadUser();
      form.reset();
      return 'Your password is changed.';
    });
  };

  #onStartEnrol = () => {
    const client = this.#portal.client;
    void this.#run(async () => {
      this.enrolment = await client.request<Enrolment>('POST', '/auth/mfa/enrol');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
      return '';
    });
  };

  #onConfirmEnrol = (event: SubmitEvent) => {
    const d = this.#data(event);
    const client = this.#portal.client;
    void this.#run(async () => {
      const { recoveryCodes } = await client.request<{ recoveryCodes: string[] }>('POST', '/auth/mfa/enrol/confirm', { body: { code: d.code } });
      this.enrolment = null;
      this.recoveryCodes = recoveryCodes;
      this.revision += 1;
      return 'Two-step sign-in is on.';
    });
  };

  #onDisable = (event: SubmitEvent) => {
    const d = this.#data(event);
    const client = this.#portal.client;
    void this.#run(async () => {
      await client.request('POST', '/auth/mfa/disable', { body: { password: d.password } });
      this.recoveryCodes = null;
      this.revision += 1;
      return 'Two-step sign-in is off.';
    });
  };

  #field(name: string, label: string, options: { type?: string; autocomplete?: string; value?: string; inputmode?: string } = {}) {
    const error = this.fieldErrors[name] ?? '';
    return html`
      <div class="field">
        <label for=${name}>${label}</label>
        <input part="input" id=${name} name=${name} type=${options.type ?? 'text'} .value=${options.value ?? ''}
          autocomplete=${options.autocomplete ?? 'off'} inputmode=${options.inputmode ?? nothing} required
          aria-invalid=${error ? 'true' : 'false'} aria-describedby="${name}-error" />
        <span class="error" id="${name}-error">${error}</span>
      </div>
    `;
  }

  #messages() {
    return html`
      <p class="alert" part="error" role="alert" id="form-error">${this.formError}</p>
      <p class="notice" part="notice" role="status">${this.notice}</p>
    `;
  }

  #submit(label: string) {
    return html`<div class="actions"><button class="primary" part="button" type="submit" ?disabled=${this.busy}>${this.busy ? 'Saving…' : label}</button></div>`;
  }

  #renderProfile() {
    const user = this.#portal.user!;
    return html`
      <form part="form" novalidate aria-label="Edit my info" @submit=${this.#onProfile}>
        ${this.#field('firstName', 'First name', { autocomplete: 'given-name', value: user.firstName })}
        ${this.#field('lastName', 'Last name', { autocomplete: 'family-name', value: user.lastName })}
        ${this.#field('email', 'Email', { type: 'email', autocomplete: 'email', value: user.email })}
        ${this.#messages()} ${this.#submit('Save my info')}
      </form>
    `;
  }

  #renderPassword() {
    const policy = this.#policy.value;
    return html`
      <form part="form" novalidate aria-label="Change password" @submit=${this.#onPassword}>
        ${this.#field('currentPassword', 'Current password', { type: 'password', autocomplete: 'current-password' })}
        ${this.#field('newPassword', 'New password', { type: 'password', autocomplete: 'new-password' })}
        ${policy ? html`<ul class="hint" data-field="rules" aria-label="Password rules">${policy.rules.map((r) => html`<li>${r}</li>`)}</ul>` : nothing}
        ${this.#field('confirmPassword', 'New password again', { type: 'password', autocomplete: 'new-password' })}
        ${this.#messages()} ${this.#submit('Change password')}
      </form>
    `;
  }

  #renderTwoStep() {
    if (this.recoveryCodes) {
      return html`
        ${this.#messages()}
        <p>Keep these recovery codes somewhere safe: each signs you in once if you lose your phone. They are shown only now.</p>
        <ul class="codes" aria-label="Recovery codes">${this.recoveryCodes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
        <button part="button" type="button" @click=${() => (this.recoveryCodes = null)}>I have saved these codes</button>
      `;
    }
    if (this.enrolment) {
      const e = this.enrolment;
      return html`
        <p>Scan this QR code with your authenticator app, then enter the 6-digit code it shows.</p>
        <img class="qr" width="180" height="180" alt="QR code to add this portal to your authenticator app" src="data:image/svg+xml;base64,${btoa(e.qrCodeSvg)}" />
        <p class="hint">Cannot scan? Setup key: <code data-field="secret">${e.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
        <form part="form" novalidate aria-label="Confirm two-step sign-in" @submit=${this.#onConfirmEnrol}>
          ${this.#field('code', 'Code from the app', { autocomplete: 'one-time-code', inputmode: 'numeric' })}
          ${this.#messages()} ${this.#submit('Turn on two-step sign-in')}
        </form>
      `;
    }
    return this.#mfa.render({
      pending: () => html`<p class="hint" role="status">Loading…</p>`,
      error: (error) => html`<p class="alert" role="alert">${toProblem(error).detail}</p>`,
      complete: (status) => {
        if (!status) return nothing;
        if (!status.enabled) {
          return html`
            <p data-field="mfa-status">Two-step sign-in is <strong>off</strong>. With it on, signing in also asks for a code from an app on your phone.</p>
            ${this.#messages()}
            <button class="primary" part="button" type="button" ?disabled=${this.busy} @click=${this.#onStartEnrol}>Set up two-step sign-in</button>
          `;
        }
        return html`
          <p data-field="mfa-status">Two-step sign-in is <strong>on</strong>. ${status.recoveryCodesRemaining} recovery codes left.</p>
          ${status.requiredByRole
            ? html`${this.#messages()}<p class="hint">Your role requires it, so it cannot be turned off.</p>`
            : html`<form part="form" novalidate aria-label="Turn off two-step sign-in" @submit=${this.#onDisable}>
                ${this.#field('password', 'Your password', { type: 'password', autocomplete: 'current-password' })}
                ${this.#messages()} ${this.#submit('Turn off two-step sign-in')}
              </form>`}
        `;
      },
    });
  }

  override render() {
    if (!this.#portal.user) return html`<p class="hint">Sign in to change your settings.</p>`;
    const busy = this.busy || this.#mfa.status === TaskStatus.PENDING;
    return html`<div part="base" aria-busy=${busy ? 'true' : 'false'}>
      ${this.view === 'password' ? this.#renderPassword() : this.view === 'two-step' ? this.#renderTwoStep() : this.#renderProfile()}
    </div>`;
  }
}

CkUserSettings.define('ck-user-settings');

declare global {
  interface HTMLElementTagNameMap {
    'ck-user-settings': CkUserSettings;
  }
}
