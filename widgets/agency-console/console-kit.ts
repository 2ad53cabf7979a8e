import { html, nothing } from 'lit';
import type { Query } from '../internal/api-client.js';

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

/** One page (of ten) of a filtered list; the element's own account applies unless the filter names one. */
export function pageQuery(filter: ListFilter, page: number, accountId: string): Query {
  return { ...filter, ...(accountId && !filter.accountId ? { accountId } : {}), page, pageSize: 10 };
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
