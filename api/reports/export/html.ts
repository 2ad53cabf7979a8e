/**
 * The printable HTML of a report, for the PDF renderer: a title block, the parameters, notices, an
 * inline SVG bar chart (no JavaScript needed) and the table, whose header repeats on every printed
 * page. Every value is escaped; the page's own Content-Security-Policy forbids loading anything, so
 * even a value that slipped through could not make the browser fetch a file or a local address.
 */
import type { Cell, ChartSpec, Column, Row } from '../report.types.js';
import { printCell } from './cells.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export const PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

export interface PrintableReport {
  title: string;
  generatedAt: string;
  parameters: Record<string, unknown>;
  notices: string[];
  columns: Column[];
  rows: Row[];
  totals: Row | null;
  chart: ChartSpec | null;
}

const NUMERIC = new Set<Column['type']>(['money', 'int', 'percent']);

function describeParameters(p: Record<string, unknown>): string {
  const parts = Object.entries(p)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return parts.length ? parts.join(' · ') : 'No filters';
}

const COLORS = ['#2f5d8a', '#d08b2c', '#5b8c5a', '#8a4f7d'];

/** A horizontal bar chart: one band per row, one bar per series, scaled to the largest value. */
export function barChartSvg(chart: ChartSpec, rows: Row[], columns: Column[]): string {
  const data = rows.slice(0, 30);
  if (!data.length) return '';
  const max = Math.max(1, ...data.flatMap((r) => chart.series.map((s) => Number(r[s.key] ?? 0))));
  const band = 14 * chart.series.length + 8;
  const labelW = 170;
  const barW = 480;
  const height = data.length * band + 24;
  const col = (key: string) => columns.find((c) => c.key === key) ?? { key, label: key, type: 'int' as const };
  const bars = data.map((r, i) => {
    const y = i * band;
    const label = `<text x="${labelW - 6}" y="${y + band / 2 + 4}" text-anchor="end">${escapeHtml(String(r[chart.labelKey] ?? ''))}</text>`;
    const series = chart.series.map((s, j) => {
      const v = Number(r[s.key] ?? 0);
      const w = Math.max(0, Math.round((v / max) * barW));
      return `<rect x="${labelW}" y="${y + 4 + j * 14}" width="${w}" height="12" fill="${COLORS[j % COLORS.length]}"/>` +
        `<text x="${labelW + w + 4}" y="${y + 14 + j * 14}">${escapeHtml(printCell(col(s.key), v as Cell))}</text>`;
    }).join('');
    return label + series;
  }).join('');
  const legend = chart.series.map((s, j) => `<rect x="${labelW + j * 120}" y="${height - 14}" width="10" height="10" fill="${COLORS[j % COLORS.length]}"/><text x="${labelW + j * 120 + 14}" y="${height - 5}">${escapeHtml(s.label)}</text>`).join('');
  return `<svg class="chart" role="img" aria-label="Chart" xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 90}" height="${height}" font-size="10" font-family="sans-serif">${bars}${legend}</svg>`;
}

export function reportHtml(r: PrintableReport): string {
  const cls = (c: Column) => (NUMERIC.has(c.type) ? 'num' : c.nowrap || c.type === 'date' || c.type === 'datetime' ? 'nowrap' : '');
  const th = r.columns.map((c) => `<th class="${NUMERIC.has(c.type) ? 'num' : ''}">${escapeHtml(c.label)}</th>`).join('');
  const tr = (row: Row) => `<tr>${r.columns.map((c) => `<td class="${cls(c)}">${escapeHtml(printCell(c, row[c.key]))}</td>`).join('')}</tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}">
<title>${escapeHtml(r.title)}</title>
<style>
  body { font: 8pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #1d232b; margin: 0; }
  h1 { font-size: 15pt; margin: 0 0 2pt; }
  .meta { color: #555; margin: 0 0 8pt; }
  .notice { background: #fff6e0; border-left: 3pt solid #d08b2c; padding: 3pt 6pt; margin: 0 0 6pt; }
  .chart { margin: 4pt 0 10pt; }
  table { border-collapse: collapse; width: 100%; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }
  tr { page-break-inside: avoid; }
  th { text-align: left; border-bottom: 1pt solid #1d232b; padding: 3pt 4pt; }
  td { border-bottom: 0.5pt solid #d5d9de; padding: 2pt 4pt; }
  .num { text-align: right; white-space: nowrap; }
  .nowrap { white-space: nowrap; }
  tfoot td { font-weight: bold; border-top: 1pt solid #1d232b; border-bottom: none; }
  .empty { padding: 12pt; color: #555; }
</style></head>
<body>
<h1>${escapeHtml(r.title)}</h1>
<p class="meta">Generated ${escapeHtml(r.generatedAt.replace('T', ' ').slice(0, 16))} UTC · ${escapeHtml(describeParameters(r.parameters))} · ${r.rows.length} rows</p>
${r.notices.map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join('\n')}
${r.chart ? barChartSvg(r.chart, r.rows, r.columns) : ''}
${r.rows.length ? `<table><thead><tr>${th}</tr></thead><tbody>${r.rows.map(tr).join('')}</tbody>${r.totals ? `<tfoot>${tr(r.totals)}</tfoot>` : ''}</table>` : '<p class="empty">No rows match these parameters.</p>'}
</body></html>`;
}
