import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task } from '@lit/task';
import type { z } from 'zod';
import type { SnapshotView } from '../../api/reports/reports.schema.js';
import { CkElement } from '../internal/ck-element.js';
import { PortalConnection } from '../internal/context.js';
import { toProblem } from '../internal/api-client.js';
import { formatCount, formatDate, formatDateTime, formatMoney } from '../internal/format.js';
import { baseStyles, dataTableStyles, formStyles } from '../internal/styles.js';
import { areaStyles, cardTableStyles } from './area.styles.js';
import { renderPager } from './console-kit.js';

type View = z.output<typeof SnapshotView>;
type Column = View['columns'][number];

const FORMAT_LABELS: Record<string, string> = { csv: 'CSV', xlsx: 'Excel', pdf: 'PDF', json: 'JSON' };
const PAGE_SIZE = 25;

/**
 * One report snapshot as it was stored: its rows a page at a time and its files to download.
 *
 * @summary View and download one report snapshot.
 * @tag ck-snapshot-view
 *
 * @csspart table - The rows.
 */
export class CkSnapshotView extends CkElement {
  static override styles = [baseStyles, formStyles, dataTableStyles, cardTableStyles, areaStyles];

  /** Base URL of the portal API when the element is not inside a `ck-portal`. */
  @property() api = '';

  /** The snapshot (`rsnap_…`). */
  @property({ attribute: 'snapshot-id' }) snapshotId = '';

  @state() private page = 1;
  @state() private error = '';

  #portal = new PortalConnection(this);

  #view = new Task(this, {
    task: async ([client, id, page], { signal }) =>
      id ? client.get<View>(`/reports/snapshots/${encodeURIComponent(id)}`, { page, pageSize: PAGE_SIZE }, signal) : null,
    args: () => [this.#portal.client, this.snapshotId, this.page] as const,
  });

  async #download(format: string): Promise<void> {
    this.error = '';
    try {
      const { blob, fileName } = await this.#portal.client.download('GET', `/reports/snapshots/${encodeURIComponent(this.snapshotId)}/download`, { query: { format } });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.error = toProblem(error).detail;
    }
  }

  #cell(c: Column, v: unknown): string {
    if (v === null || v === undefined || v === '') return '—';
    if (c.type === 'money') return formatMoney(Number(v));
    if (c.type === 'int') return formatCount(Number(v));
    if (c.type === 'percent') return `${Number(v).toFixed(1)}%`;
    if (c.type === 'date') return formatDate(String(v));
    if (c.type === 'datetime') return formatDateTime(String(v));
    return String(v);
  }

  #render(v: View | null) {
    if (!v) return nothing;
    const pages = Math.max(1, Math.ceil(v.total / v.pageSize));
    return html`
      <h2 data-field="snapshot-title">${v.report.title}: snapshot of ${formatDateTime(v.snapshot.generatedAt)}</h2>
      <p>${v.snapshot.client?.name ?? 'All clients'} · ${formatCount(v.snapshot.rowCount)} rows</p>
      <div class="actions" role="group" aria-label="Download the snapshot">
        ${v.snapshot.formats.filter((f) => f !== 'json').map((f) => html`<button type="button" data-format=${f} @click=${() => void this.#download(f)}>Download ${FORMAT_LABELS[f] ?? f}</button>`)}
      </div>
      <p class="alert" role="alert">${this.error}</p>
      ${v.rows.length
        ? html`<div class="scroll" tabindex="0" role="region" aria-label="Snapshot rows">
            <table part="table" class="cards">
              <thead><tr>${v.columns.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
              <tbody>${v.rows.map((r) => html`<tr>${v.columns.map((c) => html`<td data-label=${c.label}>${this.#cell(c, r[c.key])}</td>`)}</tr>`)}</tbody>
            </table>
          </div>`
        : html`<p class="empty">This snapshot has no rows.</p>`}
      ${renderPager(this.page, pages, 'Snapshot pages', (p) => (this.page = p))}
    `;
  }

  override render() {
    const task = this.#view;
    return task.render({
      pending: () => (task.value ? this.#render(task.value) : html`<p class="hint" role="status">Loading the snapshot…</p>`),
      error: (e) => html`<p class="alert" role="alert">${toProblem(e).detail}</p>`,
      complete: (v) => this.#render(v),
    });
  }
}

CkSnapshotView.define('ck-snapshot-view');

declare global {
  interface HTMLElementTagNameMap {
    'ck-snapshot-view': CkSnapshotView;
  }
}
