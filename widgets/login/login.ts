import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type PasswordPolicy, type User } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { loginStyles } from './login.styles.js';

/** Detail of `ck-login` and `ck-logout`. */
export interface LoginDetail {
  user: User;
}

type Step = 'signin' | 'profile' | 'password' | 'signed-in';

/**
 * Sign-in for client users. After the first sign-in with an issued password the user is led through
 * onboarding: step 1 confirms the profile (name, email), step 2 replaces the issued password — the
 * password policy is shown before they type. The server decides every rule; its messages appear next
 * to the field they concern. Once signed in it shows who is signed in and a sign-out button.
 *
 * @summary Username/password sign-in with first-login onboarding and sign-out.
 * @tag ck-login
 *
 * @slot heading - Replaces the "Sign in" heading.
 *
 * @fires {CustomEvent<LoginDetail>} ck-login - The user is signed in and onboarding is complete.
 * @fires {CustomEvent<LoginDetail>} ck-logout - The user signed out with the button or `logout()`.
 *
 * @csspart base - The card around the form.
 * @csspart form - Each form.
 * @csspart field - A label, input and error group.
 * @csspart label - A field label.
 * @csspart input - A text or password input.
 * @csspart field-error - The error under a field.
 * @csspart error - The form-level error (a polite live region).
 * @csspart rules - The password policy list.
 * @csspart button - Every button.
 * @csspart submit - The primary button of a step.
 *
 * @cssprop --ck-color-primary - Background of the primary button.
 * @cssprop --ck-color-danger - Colour of errors.
 * @cssprop --ck-color-surface - Background of the card and inputs.
 * @cssprop --ck-radius - Corner radius.
 * @cssprop --ck-font-family - Font.
 */
export class CkLogin extends CkElement {
  static override styles = [baseStyles, formStyles, loginStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** True while a request of the current step is in flight. */
  @state() private busy = false;

  /** The form-level error (the API's problem `detail`). */
  @state() private formError = '';

  /** Errors by field name, from the server's `errors[]` or required-field checks. */
  @state() private fieldErrors: Record<string, string> = {};

  #portal = new PortalConnection(this);

  #policy = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? client.get<PasswordPolicy>('/auth/password-policy', undefined, signal) : null),
    args: () => [this.#portal.client, this.#step === 'password'] as const,
  });

  /** The signed-in user, or null. */
  get user(): User | null {
    return this.#portal.user;
  }

  /** Signs out (ends the session on the server) and fires `ck-logout`. */
  async logout(): Promise<void> {
    const user = this.user;
    await this.#portal.client.logout();
    this.#reset();
    if (user) this.emit<LoginDetail>('ck-logout', { user });
  }

  get #step(): Step {
    const user = this.user;
    if (!user) return 'signin';
    if (!user.onboarding.profileConfirmed) return 'profile';
    if (user.onboarding.passwordChangeRequired) return 'password';
    return 'signed-in';
  }

  #reset(): void {
    this.formError = '';
    this.fieldErrors = {};
  }

  /** Runs one step's request with the shared busy/error handling; true on success. */
  async #run(action: () => Promise<void>): Promise<boolean> {
    this.#reset();
    this.busy = true;
    try {
      await action();
      return true;
    } catch (error) {
      const problem = toProblem(error);
      this.fieldErrors = error instanceof ApiError ? error.fieldErrors() : {};
      this.formError = problem.detail;
      await this.updateComplete;
      const invalid = this.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]');
      invalid?.focus();
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Required fields are checked here only to say which one is empty; every other rule is the server's. */
  #readForm(event: SubmitEvent, required: string[]): Record<string, string> | null {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
    const missing: Record<string, string> = {};
    for (const name of required) if (!data[name]?.trim()) missing[name] = 'This field is required.';
    if (Object.keys(missing).length) {
      this.formError = 'Some fields are missing.';
      this.fieldErrors = missing;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input[aria-invalid="true"]')?.focus());
      return null;
    }
    return data;
  }

  #finished(): void {
    const user = this.user;
    if (user && !user.onboarding.required) this.emit<LoginDetail>('ck-login', { user });
  }

  #onSignIn = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['username', 'password']);
    if (!data) return;
    const ok = await this.#run(async () => {
      await this.#portal.client.login(data.username!.trim(), data.password!);
    });
    if (ok) this.#finished();
  };

  #onConfirmProfile = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['firstName', 'lastName', 'email']);
    if (!data) return;
    const client = this.#portal.client;
    const ok = await this.#run(async () => {
      await client.request('PATCH', '/me', { body: { firstName: data.firstName, lastName: data.lastName, email: data.email, confirmProfile: true } });
      await client.reloadUser();
    });
    if (ok) this.#finished();
  };

  #onChangePassword = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['currentPassword', 'newPassword', 'confirmPassword']);
    if (!data) return;
    if (data.newPassword !== data.confirmPassword) {
      this.formError = 'The new passwords do not match.';
      this.fieldErrors = { confirmPassword: 'Type the same new password twice.' };
      return;
    }
    const client = this.#portal.client;
    const ok = await this.#run(async () => {
      await client.request('POST', '/auth/password', { body: { currentPassword: data.currentPassword, newPassword: data.newPassword } });
      await client.reloadUser();
    });
    if (ok) this.#finished();
  };

  #onSignOut = () => void this.logout();

  #field(name: string, label: string, options: { type?: string; autocomplete?: string; value?: string; describedBy?: string } = {}) {
    const error = this.fieldErrors[name] ?? '';
    return html`
      <div class="field" part="field">
        <label part="label" for=${name}>${label}</label>
        <input
          part="input"
          id=${name}
          name=${name}
          type=${options.type ?? 'text'}
          autocomplete=${options.autocomplete ?? 'off'}
          .value=${options.value ?? ''}
          required
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${[options.describedBy, `${name}-error`].filter(Boolean).join(' ')}
        />
        <span class="error" part="field-error" id="${name}-error">${error}</span>
      </div>
    `;
  }

  #errorRegion() {
    return html`<div class="alert" part="error" id="form-error" role="status" aria-live="polite">${this.formError}</div>`;
  }

  #submit(label: string) {
    return html`<button class="primary" part="button submit" type="submit" ?disabled=${this.busy}>${this.busy ? 'Please wait…' : label}</button>`;
  }

  #renderSignIn() {
    return html`
      <slot name="heading"><h2>Sign in</h2></slot>
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${this.#onSignIn}>
        ${this.#field('username', 'Username', { autocomplete: 'username' })}
        ${this.#field('password', 'Password', { type: 'password', autocomplete: 'current-password' })}
        ${this.#errorRegion()}
        <div class="actions">${this.#submit('Sign in')}</div>
      </form>
    `;
  }

  #renderProfile(user: User) {
    return html`
      <div class="steps">Step 1 of 2</div>
      <h2>Confirm your profile</h2>
      <p>Check your name and email address. We use them for notices about your accounts.</p>
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${this.#onConfirmProfile}>
        ${this.#field('firstName', 'First name', { autocomplete: 'given-name', value: user.firstName })}
        ${this.#field('lastName', 'Last name', { autocomplete: 'family-name', value: user.lastName })}
        ${this.#field('email', 'Email', { type: 'email', autocomplete: 'email', value: user.email })}
        ${this.#errorRegion()}
        <div class="actions">${this.#submit('Confirm and continue')}</div>
      </form>
    `;
  }

  #renderPassword() {
    const rules = this.#policy.render({
      pending: () => html`<p class="hint" id="policy-rules">Loading the password rules…</p>`,
      complete: (policy) =>
        policy
          ? html`<div id="policy-rules"><p class="hint">Your new password must follow these rules:</p>
              <ul part="rules">${policy.rules.map((rule) => html`<li>${rule}</li>`)}</ul></div>`
          : nothing,
      error: (error) => html`<p class="alert" id="policy-rules">${toProblem(error).detail}</p>`,
    });
    return html`
      <div class="steps">Step 2 of 2</div>
      <h2>Choose a new password</h2>
      <p>Replace the password you were given with one only you know.</p>
      ${rules}
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${this.#onChangePassword}>
        ${this.#field('currentPassword', 'Current (issued) password', { type: 'password', autocomplete: 'current-password' })}
        ${this.#field('newPassword', 'New password', { type: 'password', autocomplete: 'new-password', describedBy: 'policy-rules' })}
        ${this.#field('confirmPassword', 'Repeat the new password', { type: 'password', autocomplete: 'new-password' })}
        ${this.#errorRegion()}
        <div class="actions">${this.#submit('Change password')}</div>
      </form>
    `;
  }

  #renderSignedIn(user: User) {
    return html`
      <div class="signed-in">
        <p>Signed in as <strong>${user.firstName} ${user.lastName}</strong></p>
        <button part="button" type="button" @click=${this.#onSignOut}>Sign out</button>
      </div>
    `;
  }

  override render() {
    const user = this.user;
    const step = this.#step;
    return html`
      <section part="base" aria-label=${step === 'signed-in' ? 'Session' : 'Sign in'}>
        ${step === 'signin' || !user
          ? this.#renderSignIn()
          : step === 'profile'
            ? this.#renderProfile(user)
            : step === 'password'
              ? this.#renderPassword()
              : this.#renderSignedIn(user)}
      </section>
    `;
  }
}

CkLogin.define('ck-login');

declare global {
  interface HTMLElementTagNameMap {
    'ck-login': CkLogin;
  }
  interface GlobalEventHandlersEventMap {
    'ck-login': CustomEvent<LoginDetail>;
    'ck-logout': CustomEvent<LoginDetail>;
  }
}
