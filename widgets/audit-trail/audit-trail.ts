import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { z } from 'zod';
import type { AuditPage, AuditQuery, VerifyResponse } from '../../api/audit/audit.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { formatDateTime } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';

type Page = z.output<typeof AuditPage>;
type Verify = z.output<typeof VerifyResponse>;
type Filter = Partial<Pick<z.input<typeof AuditQuery>, 'userId' | 'accountId' | 'action' | 'from' | 'to'>>;

const FILTERS: { name: keyof Filter; label: string; type: string; hint?: string }[] = [
  { name: 'userId', label: 'User id', type: 'text', hint: 'usr_…' },
  { name: 'accountId', label: 'Account id', type: 'text', hint: 'acct_…' },
  { name: 'action', label: 'Action', type: 'text', hint: 'e.g. placement.accept' },
  { name: 'from', label: 'From', type: 'date' },
  { name: 'to', label: 'To', type: 'date' },
];

/**
 * The audit trail for agency staff: every change, newest first, filtered by user, account, action and
 * dates, and the state of its hash chain ("Check the chain" re-verifies it on the server).
 *
 * @summary Read and filter the audit trail; verify its hash chain.
 * @tag ck-audit-trail
 *
 * @csspart filters - The filter form.
 * @csspart table - The entries.
 * @csspart chain - The chain status (a live region).
 */
export class CkAuditTrail extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    dataTableStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: var(--ck-space-2, 0.5rem);
        align-items: end;
      }
      .scroll {
        margin-top: var(--ck-space-3, 0.75rem);
      }
      code {
        word-break: break-all;
      }
      .pager,
      .chain {
        display: flex;
        flex-wrap: wrap;
        gap: var(--ck-space-2, 0.5rem);
        align-items: center;
        margin-top: var(--ck-space-3, 0.75rem);
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Entries per page (1–200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;

  @state() private filter: Filter = {};
  @state() private page = 1;
  @state() private verifying = false;
  @state() private chain: Verify | null = null;
  @state() private chainError = '';
  /** From later than To: said at To, and nothing is asked of the server (it would only say "no entries") */
  @state() private rangeError = '';

  #portal = new PortalConnection(this);

  #entries = new Task(this, {
    task: async ([client, userId, filter, page, pageSize], { signal }) =>
      userId ? client.get<Page>('/agency/audit', { ...filter, page, pageSize }, signal) : null,
    args: () => [this.#portal.client, this.#userId, this.filter, this.page, this.pageSize] as const,
  });

  get #userId(): string {
    const user = this.#portal.user;
    return user && user.permissions.includes('audit.read') ? user.id : '';
  }

  #onFilter = (event: SubmitEvent) => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const filter: Filter = {};
    for (const f of FILTERS) {
      const v = String(data.get(f.name) ?? '').trim();
      if (v) filter[f.name] = v;
    }
    // ISO dates compare as strings
    this.rangeError = filter.from && filter.to && filter.from > filter.to
      ? `The range is backwards: To (${filter.to}) is before From (${filter.from}). Choose a To date on or after From.`
      : '';
    if (this.rangeError) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#f-to')?.focus());
      return;
    }
    this.filter = filter;
    this.page = 1;
  };

  #verify = async () => {
    this.verifying = true;
    this.chainError = '';
    try {
      this.chain = await this.#portal.client.get<Verify>('/agency/audit/verify');
    } catch (error) {
      this.chainError = toProblem(error).detail;
    } finally {
      this.verifying = false;
    }
  };

  #renderPage(page: Page | null) {
    if (!page) return nothing;
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    return html`
      <p data-field="total" role="status">${page.total} ${page.total === 1 ? 'entry' : 'entries'}</p>
      ${page.data.length
        ? html`<div class="scroll" tabindex="0" role="region" aria-label="Audit entries">
            <table part="table">
              <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">IP</th></tr></thead>
              <tbody>
                ${page.data.map(
                  (e) => html`<tr data-action=${e.action}>
                    <td><time datetime=${e.occurredAt}>${formatDateTime(e.occurredAt)}</time></td>
                    <td>${e.actor.type}${e.actor.id ? html` <code>${e.actor.id}</code>` : nothing}</td>
                    <td><code>${e.action}</code></td>
                    <td>${e.target ? html`${e.target.type} <code>${e.target.id}</code>` : '—'}</td>
                    <td>${e.ip ?? '—'}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : html`<p class="hint">No entries match these filters.</p>`}
      ${pages > 1
        ? html`<nav class="pager" aria-label="Audit pages">
            <button type="button" ?disabled=${this.page <= 1} @click=${() => (this.page -= 1)}>Previous</button>
            <span>Page ${this.page} of ${pages}</span>
            <button type="button" ?disabled=${this.page >= pages} @click=${() => (this.page += 1)}>Next</button>
          </nav>`
        : nothing}
    `;
  }

  #chainText(): string {
    const c = this.chain;
    if (!c) return '';
    if (c.ok) return `The chain is intact: ${c.checked} entries checked${c.pending ? `, ${c.pending} not sealed yet` : ''}.`;
    return `The chain is broken at entry ${c.broken?.auditId ?? '?'}: ${c.broken?.reason ?? 'unknown'}.`;
  }

  override render() {
    if (!this.#userId) return html`<p class="hint">Sign in with an agency account that may read the audit trail.</p>`;
    const task = this.#entries;
    return html`
      <form part="filters" aria-label="Filter the audit trail" @submit=${this.#onFilter}>
        ${FILTERS.map(
          (f) => html`<div class="field">
            <label for="f-${f.name}">${f.label}</label>
            <input id="f-${f.name}" name=${f.name} type=${f.type} placeholder=${f.hint ?? nothing} .value=${this.filter[f.name] ?? ''}
              aria-invalid=${f.name === 'to' && this.rangeError ? 'true' : nothing} aria-describedby=${f.name === 'to' && this.rangeError ? 'f-to-error' : nothing} />
            ${f.name === 'to' ? html`<span class="error" id="f-to-error">${this.rangeError}</span>` : nothing}
          </div>`,
        )}
        <button class="primary" type="submit">Filter</button>
      </form>
      <div class="chain" part="chain">
        <button type="button" data-action="verify" ?disabled=${this.verifying} @click=${this.#verify}>${this.verifying ? 'Checking…' : 'Check the chain'}</button>
        <span role="status" data-field="chain">${this.chainError || this.#chainText()}</span>
      </div>
      <div aria-busy=${task.status === TaskStatus.PENDING ? 'true' : 'false'}>
        ${task.render({
          pending: () => (task.value ? this.#renderPage(task.value) : html`<p class="hint" role="status">Loading the audit trail…</p>`),
          error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>`,
          complete: (page) => this.#renderPage(page),
        })}
      </div>
    `;
  }
}

CkAuditTrail.define('ck-audit-trail');

declare global {
  interface HTMLElementTagNameMap {
    'ck-audit-trail': CkAuditTrail;
  }
}
