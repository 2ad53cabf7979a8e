/**
 * The report's bar chart, drawn with HTML and CSS (no chart library, no SVG scaled to fit): labels and
 * values are real text at the page's own size, so the chart stays readable on a phone, where a
 * 640-unit SVG shrank its text to ~6 px. Each row is a label beside its bars; in a narrow container
 * (report-viewer.styles.ts, a container query) the label goes above them. The table under it carries
 * the same figures, so the chart is one image with a text summary for screen readers.
 */
import { html, type TemplateResult } from 'lit';

export interface ChartSeries {
  key: string;
  label: string;
}

const COLORS = ['var(--ck-color-chart-1, #2f5d8a)', 'var(--ck-color-chart-2, #b86e12)', 'var(--ck-color-chart-3, #3f7a3e)'];

export function barChart(opts: {
  labelKey: string;
  series: ChartSeries[];
  rows: Record<string, string | number | null>[];
  format: (key: string, value: number) => string;
  /** the text of a bar's label, as the table shows it (a status reads "Business closed", not its key) */
  label?: (value: string | number | null | undefined) => string;
  title: string;
}): TemplateResult {
  const rows = opts.rows.slice(0, 30);
  const labelOf = (r: Record<string, string | number | null>) => (opts.label ? opts.label(r[opts.labelKey]) : String(r[opts.labelKey] ?? ''));
  const max = Math.max(1, ...rows.flatMap((r) => opts.series.map((s) => Number(r[s.key] ?? 0))));
  // Past 36 characters a label is shortened; the full text is its tooltip (and in the summary and the table).
  const short = (t: string) => (t.length > 36 ? `${t.slice(0, 35)}…` : t);
  const summary = rows
    .map((r) => `${labelOf(r)}: ${opts.series.map((s) => `${s.label} ${opts.format(s.key, Number(r[s.key] ?? 0))}`).join(', ')}`)
    .join('; ');
  return html`
    <figure part="chart">
      <div class="bars" role="img" aria-label=${`${opts.title}. ${summary}`}>
        ${rows.map((r) => html`
          <div class="bar-row">
            <span class="label" title=${labelOf(r)}>${short(labelOf(r))}</span>
            <span class="bar-set">
              ${opts.series.map((s, j) => {
                const v = Number(r[s.key] ?? 0);
                // the bar takes at most 80% of its line, so the value beside it always fits
                const width = Math.max(0, Math.round((v / max) * 800) / 10);
                return html`<span class="bar-line"><span class="bar" style="width:${width * 0.8}%;background:${COLORS[j % COLORS.length]}"></span><span class="value">${opts.format(s.key, v)}</span></span>`;
              })}
            </span>
          </div>`)}
      </div>
      <figcaption>
        ${opts.series.map((s, j) => html`<span class="legend"><span class="swatch" style="background:${COLORS[j % COLORS.length]}"></span>${s.label}</span>`)}
      </figcaption>
    </figure>
  `;
}
