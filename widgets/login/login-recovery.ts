/**
 * `ck-login`'s signed-out help screens: "forgot password" (a reset link by email), "forgot
 * username" (how to reach client support) and the new-password form a reset link opens. Templates
 * only; the element runs the requests, and imports this module the first time one of these is asked for.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SupportContact } from '../internal/api-client.js';
import { toProblem } from '../internal/api-client.js';
import type { LoginKit } from './login-kit.js';

const back = (onBack: () => void) => html`<button class="link" part="button link" type="button" @click=${onBack}>Back to sign in</button>`;

export function renderForgotPassword(kit: LoginKit, onSubmit: (e: SubmitEvent) => void, onBack: () => void): TemplateResult {
  return html`
    <h2 tabindex="-1">Reset your password</h2>
    <p id="forgot-hint">Enter the email address of your portal account. We will email you a link to choose a new password.</p>
    ${kit.noticeRegion()}
    <form part="form" novalidate aria-busy=${kit.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${onSubmit}>
      ${kit.field('email', 'Email', { type: 'email', autocomplete: 'email', describedBy: 'forgot-hint' })}
      ${kit.errorRegion()}
      <div class="actions">${kit.submit('Send reset link')} ${back(onBack)}</div>
    </form>
  `;
}

/** How the support contact task renders (pending, error, the contact). */
export const supportRenderer = {
  pending: () => html`<p class="hint" role="status">Loading how to reach client support…</p>`,
  error: (error: unknown) => html`<p class="alert" role="alert">${toProblem(error).detail}</p>`,
  complete: (support: SupportContact | null) => support
    ? html`<p>${support.message}</p>
      <dl class="support" part="support">
        ${support.phone ? html`<dt>Phone</dt><dd><a href="tel:${support.phone.replace(/[^0-9+]/g, '')}">${support.phone}</a></dd>` : nothing}
        ${support.email ? html`<dt>Email</dt><dd><a href="mailto:${support.email}">${support.email}</a></dd>` : nothing}
        ${support.hours ? html`<dt>Hours</dt><dd>${support.hours}</dd>` : nothing}
      </dl>`
    : nothing,
};

export function renderForgotUsername(support: unknown, onBack: () => void): TemplateResult {
  return html`
    <h2 tabindex="-1">Forgot your username?</h2>
    ${support}
    <div class="actions">${back(onBack)}</div>
  `;
}

export function renderReset(kit: LoginKit, rules: unknown, onSubmit: (e: SubmitEvent) => void, onBack: () => void): TemplateResult {
  return html`
    <h2>Choose a new password</h2>
    ${rules}
    <form part="form" novalidate aria-busy=${kit.busy ? 'true' : 'false'} aria-describedby="form-error" @submit=${onSubmit}>
      ${kit.field('newPassword', 'New password', { type: 'password', autocomplete: 'new-password', describedBy: 'policy-rules' })}
      ${kit.field('confirmPassword', 'Repeat the new password', { type: 'password', autocomplete: 'new-password' })}
      ${kit.errorRegion()}
      <div class="actions">${kit.submit('Set new password')} ${back(onBack)}</div>
    </form>
  `;
}
