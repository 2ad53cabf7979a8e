/**
 * The form pieces every step of `ck-login` is built from: a labelled input with its error, the
 * form-level error and notice live regions, the primary button. `LoginKit` is what the step views
 * (login-recovery.ts, login-onboarding.ts) get from the element: these pieces bound to its state.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { toProblem, type PasswordPolicy } from '../internal/api-client.js';

export interface FieldOptions {
  type?: string;
  autocomplete?: string;
  value?: string;
  describedBy?: string;
  inputmode?: string;
}

export interface LoginKit {
  /** a request of the current step is in flight */
  busy: boolean;
  field(name: string, label: string, options?: FieldOptions): TemplateResult;
  errorRegion(): TemplateResult;
  submit(label: string): TemplateResult;
  noticeRegion(): TemplateResult;
}

export function field(name: string, label: string, error: string, options: FieldOptions = {}): TemplateResult {
  return html`
    <div class="field" part="field">
      <label part="label" for=${name}>${label}</label>
      <input
        part="input"
        id=${name}
        name=${name}
        type=${options.type ?? 'text'}
        autocomplete=${options.autocomplete ?? 'off'}
        inputmode=${options.inputmode ?? nothing}
        .value=${options.value ?? ''}
        required
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${[options.describedBy, `${name}-error`].filter(Boolean).join(' ')}
      />
      <span class="error" part="field-error" id="${name}-error">${error}</span>
    </div>
  `;
}

export const errorRegion = (text: string) => html`<div class="alert" part="error" id="form-error" role="status" aria-live="polite">${text}</div>`;

export const submitButton = (label: string, busy: boolean) =>
  html`<button class="primary" part="button submit" type="submit" ?disabled=${busy}>${busy ? 'Please wait…' : label}</button>`;

export const noticeRegion = (text: string) => html`<div class="notice" part="notice" role="status" aria-live="polite">${text}</div>`;

/** How the password policy task renders (the rules, before the person types). */
export const policyRenderer = {
  pending: () => html`<p class="hint" id="policy-rules">Loading the password rules…</p>`,
  complete: (policy: PasswordPolicy | null) =>
    policy
      ? html`<div id="policy-rules"><p class="hint">Your new password must follow these rules:</p>
          <ul part="rules">${policy.rules.map((rule) => html`<li>${rule}</li>`)}</ul></div>`
      : nothing,
  error: (error: unknown) => html`<p class="alert" id="policy-rules">${toProblem(error).detail}</p>`,
};

