/**
 * The report's bar chart as SVG (no chart library: a few rects keep the bundle small). The table
 * under it carries the same figures, so the chart is one image with a text summary for screen readers.
 */
import { svg, html, type TemplateResult } from 'lit';

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
  const bar = 14;
  const band = bar * opts.series.length + 10;
  // The label column fits the longest label (11px text, ~6.2px a character) so none is cut at the
  // left edge; past 36 characters a label is shortened and the full text is its tooltip.
  const short = (t: string) => (t.length > 36 ? `${t.slice(0, 35)}…` : t);
  const labelW = Math.min(240, Math.max(90, Math.ceil(Math.max(0, ...rows.map((r) => short(labelOf(r)).length)) * 6.2) + 12));
  const width = 640;
  const plotW = width - labelW - 110;
  const height = rows.length * band;
  const summary = rows
    .map((r) => `${labelOf(r)}: ${opts.series.map((s) => `${s.label} ${opts.format(s.key, Number(r[s.key] ?? 0))}`).join(', ')}`)
    .join('; ');
  return html`
    <figure part="chart">
      <svg role="img" aria-label=${`${opts.title}. ${summary}`} viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet">
        ${rows.map((r, i) => svg`
          <text x=${labelW - 8} y=${i * band + band / 2 + 4} text-anchor="end" class="label"><title>${labelOf(r)}</title>${short(labelOf(r))}</text>
          ${opts.series.map((s, j) => {
            const v = Number(r[s.key] ?? 0);
            const w = Math.max(0, Math.round((v / max) * plotW));
            return svg`<rect x=${labelW} y=${i * band + 5 + j * bar} width=${w} height=${bar - 2} fill=${COLORS[j % COLORS.length]}></rect>
              <text x=${labelW + w + 4} y=${i * band + 5 + j * bar + bar - 4} class="value">${opts.format(s.key, v)}</text>`;
          })}`)}
      </svg>
      <figcaption>
        ${opts.series.map((s, j) => html`<span class="legend"><span class="swatch" style="background:${COLORS[j % COLORS.length]}"></span>${s.label}</span>`)}
      </figcaption>
    </figure>
  `;
}
