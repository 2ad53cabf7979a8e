import { html, css, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { z } from 'zod';
import type { PlanPage } from '../../api/pay/agency-pay.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { formatDate, formatMoney, label } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { type ListFilter, pageQuery, readListFilter, renderPager } from './console-kit.js';
import { ManagedList } from './managed-list.js';

type Page = z.output<typeof PlanPage>;
type Plan = Page['data'][number];
type Instalment = Plan['schedule'][number];

const INSTALMENT_TEXT: Record<string, string> = { paid: 'Paid', pending: 'Pending', declined: 'Declined', cancelled: 'Cancelled' };

/**
 * The debtors' payment plans for agency staff: each plan's instalments with Paid / Pending /
 * Declined (and the retry date) / Cancelled, filtered by account, client and status; a plan paused
 * and resumed (its instalments move later by the days paused), or cancelled after a confirmation
 * (the remaining instalments stop; the debtor is told).
 *
 * @summary See, pause, resume and cancel debtors' payment plans.
 * @tag ck-plan-list
 *
 * @fires {CustomEvent<{ planId: string }>} ck-plan-cancelled - A plan was cancelled.
 *
 * @csspart filters - The filter form.
 * @csspart table - The plans.
 */
export class CkPlanList extends CkElement {
  static override styles = [
    baseStyles,
    formStyles,
    dataTableStyles,
    cardTableStyles,
    areaStyles,
    css`
      ol {
        margin: 0;
        padding-left: 1.25rem;
      }
      .inst[data-status='declined'] {
        color: var(--ck-color-danger, #b42318);
      }
      .inst[data-status='paid'] {
        color: var(--ck-color-status-active, #146c2e);
      }
    `,
  ];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** Only this account's plans (`acct_…`). */
  @property({ attribute: 'account-id' }) accountId = '';

  @state() private filter: ListFilter = {};
  @state() private page = 1;

  #plans = new ManagedList(this, {
    permission: 'payments.offers',
    args: () => [this.filter, this.page, this.accountId] as const,
    load: (client, signal, [filter, page, accountId]) => client.get<Page>('/agency/plans', pageQuery(filter, page, accountId), signal),
  });

  #onFilter = (event: SubmitEvent) => {
    this.filter = readListFilter(event);
    this.page = 1;
  };

  #cancel(plan: Plan): void {
    void this.#plans.change(plan.id, (client, reason) => client.request('POST', `${this.#path(plan)}/cancel`, { body: reason ? { reason } : {} }), {
      confirm: {
        title: 'Cancel this payment plan?',
        body: `The ${plan.schedule.filter((i) => i.status === 'scheduled').length} remaining instalments of ${plan.account.debtorName}'s plan (${plan.account.agencyAccountNumber}) stop and the debtor is told. Payments already made stay applied.`,
        confirmLabel: 'Cancel the plan',
        reasonLabel: 'Reason (optional)',
      },
      done: () => {
        this.emit('ck-plan-cancelled', { planId: plan.id });
        return `The plan of ${plan.account.debtorName} is cancelled.`;
      },
    });
  }

  #pauseOrResume(plan: Plan): void {
    const pause = plan.status === 'active';
    void this.#plans.change(plan.id, (client) => client.request('POST', `${this.#path(plan)}/${pause ? 'pause' : 'resume'}`, { body: {} }), {
      done: () =>
        pause
          ? `The plan of ${plan.account.debtorName} is paused: no instalment is charged until you resume it.`
          : `The plan of ${plan.account.debtorName} is resumed; the remaining instalments moved later by the days it was paused.`,
    });
  }

  #path(plan: Plan): string {
    return `/agency/accounts/${encodeURIComponent(plan.account.id)}/plans/${encodeURIComponent(plan.id)}`;
  }

  #instalment(i: Instalment) {
    const when = formatDate(i.scheduledFor ?? i.completedAt ?? i.createdAt);
    const text = i.planStatus === 'declined' && i.retryOn ? `Declined, retry on ${formatDate(i.retryOn)}` : INSTALMENT_TEXT[i.planStatus] ?? label(i.planStatus);
    return html`<li class="inst" data-status=${i.planStatus}>${formatMoney(i.amount.amountCents, i.amount.currency)} · ${when} · <strong>${text}</strong></li>`;
  }

  #renderPage(page: Page | null) {
    if (!page) return nothing;
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    if (!page.data.length) return html`<p class="empty" data-field="empty">No payment plans match. Plans appear when a debtor accepts a plan offer.</p>`;
    return html`
      <p role="status" data-field="total">${page.total} ${page.total === 1 ? 'plan' : 'plans'}</p>
      <div class="scroll" tabindex="0" role="region" aria-label="Payment plans">
        <table part="table" class="cards">
          <thead><tr><th scope="col">Account</th><th scope="col">Client</th><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Instalments</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            ${page.data.map(
              (p) => html`<tr data-id=${p.id} data-status=${p.status}>
                <td data-label="Account"><strong>${p.account.debtorName}</strong><br /><code>${p.account.agencyAccountNumber}</code></td>
                <td data-label="Client">${p.client.name}</td>
                <td data-label="Plan">${p.instalments} × ${label(p.frequency)}, ${formatMoney(p.total.amountCents, p.total.currency)}<br /><span class="hint">Paid ${formatMoney(p.paid.amountCents, p.paid.currency)}</span></td>
                <td data-label="Status" data-field="status">${label(p.status)}${p.pausedAt ? html`<br /><span class="hint">since ${formatDate(p.pausedAt)}</span>` : nothing}${p.cancelReason ? html`<br /><span class="hint">${p.cancelReason}</span>` : nothing}</td>
                <td data-label="Instalments"><ol aria-label="Instalments of ${p.account.debtorName}'s plan">${p.schedule.map((i) => this.#instalment(i))}</ol></td>
                <td data-label="">
                  ${p.status === 'active' || p.status === 'paused'
                    ? html`<div class="actions">
                        <button type="button" data-action=${p.status === 'active' ? 'pause' : 'resume'} ?disabled=${this.#plans.busy(p.id)}
                          aria-label="${p.status === 'active' ? 'Pause' : 'Resume'} plan of ${p.account.debtorName} (${p.account.agencyAccountNumber})" @click=${() => this.#pauseOrResume(p)}>${p.status === 'active' ? 'Pause' : 'Resume'}</button>
                        <button type="button" data-action="cancel" ?disabled=${this.#plans.busy(p.id)} aria-label="Cancel plan of ${p.account.debtorName} (${p.account.agencyAccountNumber})" @click=${() => this.#cancel(p)}>Cancel plan</button>
                      </div>`
                    : nothing}
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${renderPager(this.page, pages, 'Plan pages', (p) => (this.page = p))}
    `;
  }

  override render() {
    const plans = this.#plans;
    if (!plans.allowed) return html`<p class="hint">Sign in with an agency account that may manage offers and plans.</p>`;
    const clients = plans.portal.user?.clients ?? [];
    return html`
      <form class="toolbar" part="filters" aria-label="Filter plans" @submit=${this.#onFilter}>
        <div class="field"><label for="f-account">Account id</label><input id="f-account" name="accountId" placeholder="acct_…" .value=${this.filter.accountId ?? this.accountId} /></div>
        <div class="field">
          <label for="f-client">Client</label>
          <select id="f-client" name="clientId">
            <option value="">All clients</option>
            ${clients.map((c) => html`<option value=${c.id} ?selected=${this.filter.clientId === c.id}>${c.name}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="f-status">Status</label>
          <select id="f-status" name="status">
            <option value="">Any</option>
            ${['active', 'paused', 'completed', 'cancelled'].map((s) => html`<option value=${s} ?selected=${this.filter.status === s}>${label(s)}</option>`)}
          </select>
        </div>
        <button class="primary" type="submit">Filter</button>
      </form>
      <p class="hint" role="status" data-field="message">${plans.message}</p>
      <p class="alert" role="alert">${plans.error}</p>
      ${plans.render('Loading plans…', (page) => this.#renderPage(page))}
    `;
  }
}

CkPlanList.define('ck-plan-list');

declare global {
  interface HTMLElementTagNameMap {
    'ck-plan-list': CkPlanList;
  }
}
