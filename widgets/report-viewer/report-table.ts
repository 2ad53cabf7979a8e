/** The report viewer's results: notices, the chart and the table of one page of rows, with a pager. */
import { html, nothing } from 'lit';
import type { z } from 'zod';
import type { ReportResult, SnapshotView } from '../../api/reports/reports.schema.js';
import { formatCount, formatDate, formatDateTime, formatMoney, label as humanize, statusLabel } from '../internal/format.js';
import { barChart } from './report-chart.js';

type Result = z.output<typeof ReportResult>;
type SnapshotPage = z.output<typeof SnapshotView>;
type Column = Result['columns'][number];
type Row = Result['rows'][number];

const NUMERIC = new Set(['money', 'int', 'percent']);

export function cellText(column: Column, value: Row[string] | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (column.type) {
    case 'money': return formatMoney(Number(value));
    case 'int': return formatCount(Number(value));
    case 'percent': return `${Number(value).toFixed(1)}%`;
    case 'date': return formatDate(String(value));
    case 'datetime': return formatDateTime(String(value));
    default: return column.key === 'status' ? statusLabel(String(value)) : column.key === 'type' ? humanize(String(value)) : String(value);
  }
}

export function renderTable(result: { report: { title: string }; columns: Column[]; rows: Row[]; totals: Row | null; total: number; page: number; pageSize: number }, onPage: (page: number) => void) {
  if (result.total === 0) {
    return html`<div class="empty" part="empty" role="status"><slot name="empty">No rows match these parameters. Widen the dates or tick fewer filters.</slot></div>`;
  }
  const from = (result.page - 1) * result.pageSize + 1;
  const to = from + result.rows.length - 1;
  const last = Math.max(1, Math.ceil(result.total / result.pageSize));
  const td = (c: Column, row: Row) => html`<td class=${NUMERIC.has(c.type) ? 'num' : ''} data-label=${c.label} data-field=${c.key}>${cellText(c, row[c.key])}</td>`;
  return html`
    <div class="table-wrap" tabindex="0" role="region" aria-label="${result.report.title} table">
      <table part="table">
        <caption>${result.report.title}</caption>
        <thead><tr>${result.columns.map((c) => html`<th scope="col" class=${NUMERIC.has(c.type) ? 'num' : ''}>${c.label}</th>`)}</tr></thead>
        <tbody>${result.rows.map((row) => html`<tr>${result.columns.map((c) => td(c, row))}</tr>`)}</tbody>
        ${result.totals ? html`<tfoot><tr>${result.columns.map((c) => td(c, result.totals!))}</tr></tfoot>` : nothing}
      </table>
    </div>
    ${last > 1 || result.total > result.rows.length
      ? html`<nav class="pager" aria-label="Result pages">
          <span part="summary">Rows ${formatCount(from)}–${formatCount(to)} of ${formatCount(result.total)}</span>
          <div>
            <button part="button" type="button" data-page="previous" ?disabled=${result.page <= 1} @click=${() => onPage(result.page - 1)}>Previous</button>
            <button part="button" type="button" data-page="next" ?disabled=${result.page >= last} @click=${() => onPage(result.page + 1)}>Next</button>
          </div>
        </nav>`
      : html`<p part="summary">${formatCount(result.total)} rows</p>`}
  `;
}

export function renderResult(result: Result | SnapshotPage, onPage: (page: number) => void) {
  const money = (key: string) => result.columns.find((c) => c.key === key)?.type === 'money';
  return html`
    ${result.notices.map((n) => html`<p class="notice" part="notice">${n}</p>`)}
    ${result.chart && result.rows.length
      ? barChart({
          title: `${result.report.title} chart`, labelKey: result.chart.labelKey, series: result.chart.series, rows: result.rows,
          format: (key, v) => (money(key) ? formatMoney(v) : formatCount(v)),
          label: (v) => {
            const column = result.columns.find((c) => c.key === result.chart!.labelKey);
            return column ? cellText(column, v ?? null) : String(v ?? '');
          },
        })
      : nothing}
    ${renderTable(result, onPage)}
  `;
}
