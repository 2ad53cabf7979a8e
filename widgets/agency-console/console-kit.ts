import { html, nothing, type TemplateResult } from 'lit';
import { TaskStatus, type Task } from '@lit/task';
import { toProblem } from '../internal/api-client.js';

/** The filters the offer and plan lists share. */
export interface ListFilter { accountId?: string; clientId?: string; status?: string }

/** Reads the account, client and status filters from a submitted filter form (blank ones left out). */
export function readListFilter(event: SubmitEvent): ListFilter {
  event.preventDefault();
  const data = new FormData(event.target as HTMLFormElement);
  const filter: ListFilter = {};
  for (const k of ['accountId', 'clientId', 'status'] as const) {
    const v = String(data.get(k) ?? '').trim();
    if (v) filter[k] = v;
  }
  return filter;
}

/**
 * A loaded list inside an `aria-busy` region: the last value while it reloads, a loading line the
 * first time, the problem with a Try again button on failure.
 */
export function renderLoaded<T>(task: Task<readonly unknown[], T>, loading: string, render: (value: T) => unknown): TemplateResult {
  return html`<div aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
    ${task.render({
      pending: () => (task.value ? render(task.value) : html`<p class="hint" role="status">${loading}</p>`),
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail} <button type="button" @click=${() => void task.run()}>Try again</button></p>`,
      complete: (value) => render(value),
    })}
  </div>`;
}

/** Previous / Page n of m / Next, only when there is more than one page. */
export function renderPager(page: number, pages: number, label: string, go: (page: number) => void) {
  return pages > 1
    ? html`<nav class="toolbar" aria-label=${label}>
        <button type="button" ?disabled=${page <= 1} @click=${() => go(page - 1)}>Previous</button>
        <span>Page ${page} of ${pages}</span>
        <button type="button" ?disabled=${page >= pages} @click=${() => go(page + 1)}>Next</button>
      </nav>`
    : nothing;
}

/** A secret shown once (focusable panel `part=secret`), with Copy and Done buttons. */
export function renderSecretPanel(o: {
  id: string;
  heading: unknown;
  fieldLabel: string;
  value: string;
  copied: string;
  copyAction: string;
  doneAction?: string;
  onCopy: () => void;
  onDone: () => void;
}) {
  return html`<div class="panel" part="secret" tabindex="-1" role="status" aria-labelledby="${o.id}-title">
    <p id="${o.id}-title">${o.heading}</p>
    <div class="secret">
      <label class="visually-hidden" for=${o.id}>${o.fieldLabel}</label>
      <input id=${o.id} readonly .value=${o.value} data-field="secret" @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
      <button type="button" data-action=${o.copyAction} @click=${o.onCopy}>Copy</button>
      <button type="button" data-action=${o.doneAction ?? nothing} @click=${o.onDone}>Done</button>
    </div>
    <p class="hint" aria-live="polite">${o.copied}</p>
  </div>`;
}
