/** The report viewer's parameter form: one field per report parameter, read back as the run's body. */
import { html } from 'lit';
import type { z } from 'zod';
import type { CatalogueResponse } from '../../api/reports/reports.schema.js';
import { ApiError } from '../internal/api-client.js';

export type Report = z.output<typeof CatalogueResponse>['data'][number];
type Parameter = Report['parameters'][number];

/** The parameters in the form, as the API takes them (empty fields left out). */
export function parametersOf(form: HTMLFormElement, report: Report): Record<string, unknown> {
  const data = new FormData(form);
  const out: Record<string, unknown> = {};
  for (const p of report.parameters) {
    if (p.type === 'dateRange') {
      for (const name of ['from', 'to']) {
        const v = String(data.get(name) ?? '');
        if (v) out[name] = v;
      }
    } else if (p.multiple) {
      const values = data.getAll(p.name).map(String);
      if (values.length) out[p.name] = values;
    } else {
      const v = String(data.get(p.name) ?? '');
      if (v) out[p.name] = v;
    }
  }
  return out;
}

/** A failed run's field errors by parameter name. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.problem.errors ?? []) {
      const key = e.path.replace(/^parameters\./, '').split('.')[0] ?? '';
      out[key] ??= e.message;
    }
  }
  return out;
}

export function renderParameter(p: Parameter, errors: Record<string, string>) {
  const error = (name: string) => html`<span class="error" part="field-error" id="${name}-error">${errors[name] ?? ''}</span>`;
  if (p.type === 'dateRange') {
    return html`
      <fieldset class="range">
        <legend>${p.label}</legend>
        ${['from', 'to'].map((name) => html`
          <div class="field">
            <label part="label" for="param-${name}">${name === 'from' ? 'From' : 'To'}</label>
            <input part="input" type="date" id="param-${name}" name=${name} aria-invalid=${errors[name] ? 'true' : 'false'} aria-describedby="${name}-error" />
            ${error(name)}
          </div>`)}
      </fieldset>
    `;
  }
  if (p.multiple) {
    return html`
      <fieldset aria-describedby="${p.name}-error">
        <legend>${p.label}</legend>
        <span class="hint">None ticked: all.</span>
        ${(p.options ?? []).map((o) => html`
          <label class="check"><input type="checkbox" name=${p.name} value=${o.value} />${o.label}</label>`)}
        ${error(p.name)}
      </fieldset>
    `;
  }
  if (p.options) {
    return html`
      <div class="field">
        <label part="label" for="param-${p.name}">${p.label}</label>
        <select part="input" id="param-${p.name}" name=${p.name} aria-describedby="${p.name}-error">
          ${p.options.map((o) => html`<option value=${o.value} ?selected=${o.value === p.default}>${o.label}</option>`)}
        </select>
        ${error(p.name)}
      </div>
    `;
  }
  return html`
    <div class="field">
      <label part="label" for="param-${p.name}">${p.label}</label>
      <input part="input" type="date" id="param-${p.name}" name=${p.name} .value=${p.default ?? ''} aria-invalid=${errors[p.name] ? 'true' : 'false'} aria-describedby="${p.name}-error" />
      ${error(p.name)}
    </div>
  `;
}
