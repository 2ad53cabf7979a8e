import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { ApiError, toProblem, type MfaChallenge, type SupportContact, type PasswordPolicy, type User } from '../internal/api-client.js';
import { baseStyles, formStyles } from '../internal/styles.js';
import { loginStyles } from './login.styles.js';
import { errorRegion, field, noticeRegion, policyRenderer, submitButton, type LoginKit } from './login-kit.js';
import type { Enrolment } from './login-onboarding.js';
import { LoginViews } from './login-views.js';

/** Detail of `ck-login` and `ck-logout`. */
export interface LoginDetail {
  user: User;
}

type Step = 'signin' | 'forgot-password' | 'forgot-username' | 'reset' | 'mfa' | 'profile' | 'password' | 'mfa-enrol' | 'recovery-codes' | 'signed-in';

/**
 * Sign-in for client users. A user with two-step sign-in is asked for the code from their
 * authenticator app (or a recovery code) after the password. After the first sign-in with an issued
 * password the user is led through onboarding: confirm the profile (name, email), replace the issued
 * password — the password policy is shown before they type — and, when their role requires it, set up
 * an authenticator app (QR code, first code, recovery codes to keep). Signed out, it offers "forgot
 * password" (a reset link by email; opening the link's page shows the new-password form) and "forgot
 * username" (the agency's client support contact). The server decides every rule; its messages appear next
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
 * @csspart qr - The QR code image to scan when setting up two-step sign-in.
 * @csspart secret - The setup key, for typing into an app that cannot scan.
 * @csspart recovery-codes - The list of recovery codes shown once after setup.
 * @csspart link - The secondary text buttons (forgot password/username, recovery code, back).
 * @csspart notice - Success messages on the signed-out screens (a polite live region).
 * @csspart support - How to reach client support (forgot username).
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

  /** profile step: the email differs from the one on file, so the current password is asked for */
  @state() private emailChanged = false;

  /** The pending second step after a correct password, if any. */
  @state() private challenge: MfaChallenge | null = null;

  /** Second step with a recovery code instead of an app code. */
  @state() private useRecoveryCode = false;

  /** Recovery codes to show once after enrolment, until the user says they are saved. */
  @state() private recoveryCodes: string[] | null = null;

  #portal = new PortalConnection(this);

  /** the signed-out help and onboarding views, imported when first needed */
  #views = new LoginViews(this);

  #enrolment = new Task(this, {
    task: async ([client, wanted]) => (wanted ? client.request<Enrolment>('POST', '/auth/mfa/enrol') : null),
    args: () => [this.#portal.client, this.#step === 'mfa-enrol'] as const,
  });

  #policy = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? client.get<PasswordPolicy>('/auth/password-policy', undefined, signal) : null),
    args: () => [this.#portal.client, this.#step === 'password' || this.#step === 'reset'] as const,
  });

  #support = new Task(this, {
    task: async ([client, wanted], { signal }) => (wanted ? client.get<SupportContact>('/auth/forgot-username', undefined, signal) : null),
    args: () => [this.#portal.client, this.#step === 'forgot-username'] as const,
  });

  /** Signed-out screens: sign in, forgot password, forgot username, reset from an emailed link. */
  @state() private view: 'signin' | 'forgot-password' | 'forgot-username' | 'reset' = 'signin';

  /** A success message shown on the signed-out screens (a polite live region). */
  @state() private notice = '';

  /** The token of an emailed reset link, taken from the page's `#reset-password=…` fragment. */
  #resetToken = '';

  override connectedCallback(): void {
    super.connectedCallback();
    const match = /(?:^#|&)reset-password=([^&]+)/.exec(location.hash);
    if (match) {
      this.#resetToken = decodeURIComponent(match[1]!);
      this.view = 'reset';
      // Keep the token out of the address bar, history and anything that reads location later.
      history.replaceState(history.state, '', location.pathname + location.search);
    }
  }

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
    if (!user) return this.challenge ? 'mfa' : this.view;
    if (!user.onboarding.profileConfirmed) return 'profile';
    if (user.onboarding.passwordChangeRequired) return 'password';
    if (this.recoveryCodes) return 'recovery-codes';
    if (user.onboarding.mfaEnrolmentRequired) return 'mfa-enrol';
    return 'signed-in';
  }

  /** "Step n of m" for onboarding: profile, password, and the authenticator when the role requires it. */
  #stepLabel(n: number): string {
    const total = this.user?.onboarding.mfaEnrolmentRequired || this.recoveryCodes ? 3 : 2;
    return `Step ${n} of ${total}`;
  }

  /** The form pieces bound to this element's state, for the step views. */
  get #kit(): LoginKit {
    return {
      busy: this.busy,
      field: (name, label, options) => field(name, label, this.fieldErrors[name] ?? '', options),
      errorRegion: () => errorRegion(this.formError),
      submit: (label) => submitButton(label, this.busy),
      noticeRegion: () => noticeRegion(this.notice),
    };
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
      const result = await this.#portal.client.login(data.username!.trim(), data.password!);
      if ('mfaRequired' in result) {
        this.challenge = result;
        this.useRecoveryCode = false;
      }
    });
    if (ok && !this.challenge) this.#finished();
    if (ok && this.challenge) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('input')?.focus());
  };

  #onVerifyMfa = async (event: SubmitEvent) => {
    const field = this.useRecoveryCode ? 'recoveryCode' : 'code';
    const data = this.#readForm(event, [field]);
    if (!data || !this.challenge) return;
    const challenge = this.challenge;
    const proof = this.useRecoveryCode ? { recoveryCode: data.recoveryCode!.trim() } : { code: data.code!.replace(/\s+/g, '') };
    const ok = await this.#run(async () => {
      try {
        await this.#portal.client.verifyMfa(challenge, proof);
      } catch (error) {
        // The challenge is spent (expired, too many tries): back to the password, with the reason shown.
        if (error instanceof ApiError && (error.code === 'mfa_challenge_expired' || error.status === 429)) this.challenge = null;
        else if (error instanceof ApiError && error.code === 'invalid_code') {
          throw new ApiError({ ...error.problem, errors: [{ path: field, code: 'invalid_code', message: error.problem.detail }] });
        }
        throw error;
      }
    });
    if (ok) {
      this.challenge = null;
      this.#finished();
    }
  };

  #onToggleRecovery = () => {
    this.useRecoveryCode = !this.useRecoveryCode;
    this.#reset();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('form input')?.focus());
  };

  #onBackToSignIn = () => {
    this.challenge = null;
    this.view = 'signin';
    this.#reset();
  };

  #show(view: 'forgot-password' | 'forgot-username') {
    this.view = view;
    this.notice = '';
    this.#reset();
    void this.#views.load('recovery').then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
  }

  #onForgotPassword = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['email']);
    if (!data) return;
    await this.#run(async () => {
      const res = await this.#portal.client.request<{ message: string }>('POST', '/auth/forgot-password', { body: { email: data.email!.trim() } });
      this.notice = res.message;
    });
  };

  #onResetPassword = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['newPassword', 'confirmPassword']);
    if (!data) return;
    if (data.newPassword !== data.confirmPassword) {
      this.formError = 'The new passwords do not match.';
      this.fieldErrors = { confirmPassword: 'Type the same new password twice.' };
      return;
    }
    const ok = await this.#run(async () => {
      await this.#portal.client.request('POST', '/auth/reset-password', { body: { token: this.#resetToken, newPassword: data.newPassword } });
    });
    if (ok) {
      this.#resetToken = '';
      this.view = 'signin';
      this.notice = 'Your password is changed and you were signed out everywhere. Sign in with the new password.';
    }
  };

  #onConfirmEnrolment = async (event: SubmitEvent) => {
    const data = this.#readForm(event, ['code']);
    if (!data) return;
    const ok = await this.#run(async () => {
      try {
        const res = await this.#portal.client.request<{ recoveryCodes: string[] }>('POST', '/auth/mfa/enrol/confirm', { body: { code: data.code!.replace(/\s+/g, '') } });
        this.recoveryCodes = res.recoveryCodes;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'invalid_code') {
          throw new ApiError({ ...error.problem, errors: [{ path: 'code', code: 'invalid_code', message: error.problem.detail }] });
        }
        throw error;
      }
    });
    if (ok) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
  };

  #onRecoveryCodesSaved = async () => {
    const ok = await this.#run(async () => {
      await this.#portal.client.reloadUser();
    });
    if (ok) {
      this.recoveryCodes = null;
      this.#finished();
    }
  };

  #onProfileInput = (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.name !== 'email') return;
    this.emailChanged = input.value.trim().toLowerCase() !== (this.user?.email ?? '').toLowerCase();
  };

  #onConfirmProfile = async (event: SubmitEvent) => {
    // A new email address is where reset links will go: the server asks for the current password.
    const changed = this.emailChanged;
    const data = this.#readForm(event, ['firstName', 'lastName', 'email', ...(changed ? ['currentPassword'] : [])]);
    if (!data) return;
    const client = this.#portal.client;
    const ok = await this.#run(async () => {
      const body = { firstName: data.firstName, lastName: data.lastName, email: data.email, confirmProfile: true, ...(changed ? { currentPassword: data.currentPassword } : {}) };
      await client.request('PATCH', '/me', { body });
      await client.reloadUser();
    });
    if (ok) {
      this.emailChanged = false;
      this.#finished();
    }
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

  #renderSignIn(kit: LoginKit) {
    return html`
      <slot name="heading"><h2>Sign in</h2></slot>
      ${kit.noticeRegion()}
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${this.#onSignIn}>
        ${kit.field('username', 'Username', { autocomplete: 'username' })}
        ${kit.field('password', 'Password', { type: 'password', autocomplete: 'current-password' })}
        ${kit.errorRegion()}
        <div class="actions">${kit.submit('Sign in')}</div>
      </form>
      <div class="actions help">
        <button class="link" part="button link" type="button" data-action="forgot-password" @click=${() => this.#show('forgot-password')}>Forgot password?</button>
        <button class="link" part="button link" type="button" data-action="forgot-username" @click=${() => this.#show('forgot-username')}>Forgot username?</button>
      </div>
    `;
  }

  #renderMfa(kit: LoginKit) {
    const recovery = this.useRecoveryCode;
    return html`
      <h2>Two-step sign-in</h2>
      <p id="mfa-hint">${recovery
        ? 'Enter one of the recovery codes you saved when you set up two-step sign-in. Each works once.'
        : 'Enter the 6-digit code from your authenticator app.'}</p>
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${this.#onVerifyMfa}>
        ${recovery
          ? kit.field('recoveryCode', 'Recovery code', { describedBy: 'mfa-hint' })
          : kit.field('code', 'Code', { autocomplete: 'one-time-code', inputmode: 'numeric', describedBy: 'mfa-hint' })}
        ${kit.errorRegion()}
        <div class="actions">
          ${kit.submit('Verify')}
          <button class="link" part="button link" type="button" @click=${this.#onToggleRecovery}>
            ${recovery ? 'Use the app code instead' : 'Use a recovery code instead'}
          </button>
          <button class="link" part="button link" type="button" @click=${this.#onBackToSignIn}>Back to sign in</button>
        </div>
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

  /** The signed-out help screens (login-recovery.ts). */
  #renderRecovery(kit: LoginKit, step: 'forgot-password' | 'forgot-username' | 'reset') {
    const v = this.#views.get('recovery');
    if (!v) return this.#views.pending();
    if (step === 'forgot-password') return v.renderForgotPassword(kit, this.#onForgotPassword, this.#onBackToSignIn);
    if (step === 'forgot-username') return v.renderForgotUsername(this.#support.render(v.supportRenderer), this.#onBackToSignIn);
    return v.renderReset(kit, this.#policy.render(policyRenderer), this.#onResetPassword, this.#onBackToSignIn);
  }

  /** The first-login steps (login-onboarding.ts). */
  #renderOnboarding(kit: LoginKit, user: User, step: 'profile' | 'password' | 'mfa-enrol' | 'recovery-codes') {
    const v = this.#views.get('onboarding');
    if (!v) return this.#views.pending();
    if (step === 'profile') return v.renderProfile(kit, user, this.#stepLabel(1), this.emailChanged, { submit: this.#onConfirmProfile, input: this.#onProfileInput });
    if (step === 'password') return v.renderPassword(kit, this.#stepLabel(2), this.#policy.render(policyRenderer), this.#onChangePassword);
    if (step === 'mfa-enrol') return v.renderEnrol(this.#stepLabel(3), this.#enrolment.render(v.enrolmentRenderer(kit, this.#onConfirmEnrolment)));
    return v.renderRecoveryCodes(kit, this.recoveryCodes!, this.#onRecoveryCodesSaved);
  }

  override render() {
    const user = this.user;
    const step = this.#step;
    const kit = this.#kit;
    return html`
      <section part="base" aria-label=${step === 'signed-in' ? 'Session' : 'Sign in'}>
        ${step === 'mfa'
          ? this.#renderMfa(kit)
          : step === 'forgot-password' || step === 'forgot-username' || step === 'reset'
            ? this.#renderRecovery(kit, step)
            : step === 'signin' || !user
              ? this.#renderSignIn(kit)
              : step === 'signed-in'
                ? this.#renderSignedIn(user)
                : this.#renderOnboarding(kit, user, step)}
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
