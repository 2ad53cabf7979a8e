/**
 * `ck-login`'s first-login onboarding screens: confirm the profile, replace the issued password
 * (the policy shown before typing), set up an authenticator app when the role requires it, and the
 * recovery codes to keep. Templates only; the element runs the requests, and imports this module
 * the first time a signed-in user still has a step to do (most sign-ins never need it).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { toProblem, type User } from '../internal/api-client.js';
import type { LoginKit } from './login-kit.js';

/** What `POST auth/mfa/enrol` returns. */
export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

export function renderProfile(
  kit: LoginKit, user: User, step: string, emailChanged: boolean,
  on: { submit: (e: SubmitEvent) => void; input: (e: Event) => void },
): TemplateResult {
  return html`
    <div class="steps">${step}</div>
    <h2>Confirm your profile</h2>
    <p>Check your name and email address. We use them for notices about your accounts.</p>
    <form part="form" novalidate aria-busy=${kit.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${on.submit} @input=${on.input}>
      ${kit.field('firstName', 'First name', { autocomplete: 'given-name', value: user.firstName })}
      ${kit.field('lastName', 'Last name', { autocomplete: 'family-name', value: user.lastName })}
      ${kit.field('email', 'Email', { type: 'email', autocomplete: 'email', value: user.email })}
      ${emailChanged
        ? html`<p class="hint" id="email-change-hint">To change your email, confirm with your current password. We will let your old address know.</p>
            ${kit.field('currentPassword', 'Current password', { type: 'password', autocomplete: 'current-password', describedBy: 'email-change-hint' })}`
        : nothing}
      ${kit.errorRegion()}
      <div class="actions">${kit.submit('Confirm and continue')}</div>
    </form>
  `;
}

export function renderPassword(kit: LoginKit, step: string, rules: unknown, onSubmit: (e: SubmitEvent) => void): TemplateResult {
  return html`
    <div class="steps">${step}</div>
    <h2>Choose a new password</h2>
    <p>Replace the password you were given with one only you know.</p>
    ${rules}
    <form part="form" novalidate aria-busy=${kit.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${onSubmit}>
      ${kit.field('currentPassword', 'Current (issued) password', { type: 'password', autocomplete: 'current-password' })}
      ${kit.field('newPassword', 'New password', { type: 'password', autocomplete: 'new-password', describedBy: 'policy-rules' })}
      ${kit.field('confirmPassword', 'Repeat the new password', { type: 'password', autocomplete: 'new-password' })}
      ${kit.errorRegion()}
      <div class="actions">${kit.submit('Change password')}</div>
    </form>
  `;
}

/** How the enrolment task renders: the QR code and setup key, then the first code. */
export function enrolmentRenderer(kit: LoginKit, onSubmit: (e: SubmitEvent) => void) {
  return {
    pending: () => html`<p class="hint" role="status">Preparing your setup code…</p>`,
    error: (error: unknown) => html`<p class="alert" role="alert">${toProblem(error).detail}</p>`,
    complete: (enrolment: Enrolment | null) => enrolment
      ? html`
        <ol class="enrol">
          <li>
            Scan this QR code with your authenticator app:
            <img part="qr" class="qr" width="180" height="180" alt="QR code to add this portal to your authenticator app"
              src="data:image/svg+xml;base64,${btoa(enrolment.qrCodeSvg)}" />
            <span class="hint">Cannot scan? Enter this setup key: <code part="secret" class="secret">${enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code></span>
          </li>
          <li id="enrol-hint">Enter the 6-digit code the app shows.</li>
        </ol>
        <form part="form" novalidate aria-busy=${kit.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${onSubmit}>
          ${kit.field('code', 'Code from the app', { autocomplete: 'one-time-code', inputmode: 'numeric', describedBy: 'enrol-hint' })}
          ${kit.errorRegion()}
          <div class="actions">${kit.submit('Turn on two-step sign-in')}</div>
        </form>`
      : nothing,
  };
}

export function renderEnrol(step: string, enrolment: unknown): TemplateResult {
  return html`
    <div class="steps">${step}</div>
    <h2>Set up two-step sign-in</h2>
    <p>Your role requires a code from an authenticator app at each sign-in.</p>
    ${enrolment}
  `;
}

export function renderRecoveryCodes(kit: LoginKit, codes: string[], onSaved: () => void): TemplateResult {
  return html`
    <h2 tabindex="-1">Save your recovery codes</h2>
    <p>Two-step sign-in is on. If you lose your phone, each of these codes signs you in once.
      Keep them somewhere safe: they are shown only now.</p>
    <ul part="recovery-codes" class="codes" aria-label="Recovery codes">${codes.map((c) => html`<li><code>${c}</code></li>`)}</ul>
    ${kit.errorRegion()}
    <div class="actions">
      <button class="primary" part="button submit" type="button" ?disabled=${kit.busy} @click=${onSaved}>I have saved these codes</button>
    </div>
  `;
}
