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
  /** column widths in percent (columnWidths); measured on the rows when absent */
  widths?: number[];
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

/** Roughly how wide a text prints, in ems of the table's sans-serif font. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[A-Z0-9$%#@MW]/.test(ch) ? 0.68 : /[a-z]/.test(ch) ? 0.56 : 0.36;
  return w;
}

/** Rows the column widths are measured on (the first part of a report printed in parts). */
export const WIDTH_SAMPLE_ROWS = 1_000;

/**
 * Column widths in percent, from the longest text of each column in the first rows (and the longest
 * word of its label): cells that must not wrap (numbers, dates, account numbers) get their full
 * length, text columns at most about 40 characters and then wrap. The table is laid out with these fixed
 * widths, so every part of a report printed in parts has the same columns (an automatic layout would
 * choose other widths for each part), and the browser need not measure every cell first.
 */
export function columnWidths(columns: Column[], rows: Row[], totals: Row | null): number[] {
  const sample = [...rows.slice(0, WIDTH_SAMPLE_ROWS), ...(totals ? [totals] : [])];
  const chars = columns.map((c) => {
    const wraps = !NUMERIC.has(c.type) && !c.nowrap && c.type !== 'date' && c.type !== 'datetime';
    let longest = Math.max(...c.label.split(/\s+/).map(textWidth));
    for (const row of sample) {
      const text = printCell(c, row[c.key]);
      // a text column wraps between words, never inside one
      longest = Math.max(longest, wraps ? Math.max(Math.min(textWidth(text), 24), ...text.split(/\s+/).map(textWidth)) : textWidth(text));
    }
    // (+1.5: the cell's padding)
    return Math.min(longest, wraps ? 24 : 40) + 1.5;
  });
  const sum = chars.reduce((a, b) => a + b, 0);
  return chars.map((n) => Math.round((n / sum) * 10_000) / 100);
}

/** Which part of a report one print holds: the first has the title block, the last the totals. */
export interface PrintPart {
  first: boolean;
  last: boolean;
  /** rows of the whole report (the title block says it) */
  totalRows: number;
}

/** The complete printable document of a report printed whole. */
export function reportHtml(r: PrintableReport): string {
  return reportPartHtml({ ...r, widths: r.widths ?? columnWidths(r.columns, r.rows, r.totals) }, r.rows, { first: true, last: true, totalRows: r.rows.length });
}

/**
 * One printable part of a report printed in parts (rows `rows` of it): a document of its own whose
 * table repeats the column header, with the title block, notices and chart only in the first part
 * and the totals row only in the last. Printed one after the other, the parts read as the whole.
 */
export function reportPartHtml(r: Omit<PrintableReport, 'rows'> & { rows?: Row[] }, rows: Row[], part: PrintPart): string {
  const widths = r.widths ?? columnWidths(r.columns, rows, r.totals);
  const cols = `<colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>`;
  const cls = (c: Column) => (NUMERIC.has(c.type) ? 'num' : c.nowrap || c.type === 'date' || c.type === 'datetime' ? 'nowrap' : '');
  const th = r.columns.map((c) => `<th class="${NUMERIC.has(c.type) ? 'num' : ''}">${escapeHtml(c.label)}</th>`).join('');
  const tr = (row: Row) => `<tr>${r.columns.map((c) => `<td class="${cls(c)}">${escapeHtml(printCell(c, row[c.key]))}</td>`).join('')}</tr>`;
  const heading = part.first
    ? `<h1>${escapeHtml(r.title)}</h1>
<p class="meta">Generated ${escapeHtml(r.generatedAt.replace('T', ' ').slice(0, 16))} UTC · ${escapeHtml(describeParameters(r.parameters))} · ${part.totalRows} rows</p>
${r.notices.map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join('\n')}
${r.chart ? barChartSvg(r.chart, rows, r.columns) : ''}
`
    : '';
  const totals = part.last && r.totals ? `<tfoot>${tr(r.totals)}</tfoot>` : '';
  const table = rows.length || (totals && !part.first)
    ? `<table>${cols}<thead><tr>${th}</tr></thead><tbody>${rows.map(tr).join('')}</tbody>${totals}</table>`
    : part.first ? '<p class="empty">No rows match these parameters.</p>' : '';
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
  table { border-collapse: collapse; width: 100%; table-layout: fixed; }
  td, th { overflow-wrap: anywhere; }
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
${heading}${table}
</body></html>`;
}
