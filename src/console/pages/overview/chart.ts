import { html, type Html } from "../../html.ts";
import { table } from "../../ui.ts";

/** What overview-charts.js draws: Chart.js's bar or line chart from plain data, nothing executable. */
export interface ChartSpec {
  type: "bar" | "line";
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  /** Stack the datasets (counts by status or category). */
  stacked?: boolean;
  /** Values are percentages: the axis runs 0–100 and reads "…%". */
  unit?: "percent";
}

/**
 * A chart with the same numbers in a table right below it. The canvas carries its data in a
 * `data-chart` attribute (the policy forbids inline script) and is hidden from screen readers,
 * which read the table (the figure's caption names both); without JavaScript the chart's box stays hidden and the table is all there is.
 */
export function chartWithTable(options: { id: string; caption: string; spec: ChartSpec; head: string[]; rows: Html[][]; empty: string }): Html {
  const hasData = options.spec.datasets.some((d) => d.data.some((v) => v !== null && v !== 0));
  return html`<figure class="overview-chart" id="${options.id}">
<figcaption>${options.caption}</figcaption>
${hasData ? html`<div class="chart"><canvas data-chart="${JSON.stringify(options.spec)}" aria-hidden="true"></canvas></div>` : ""}
${table({ head: options.head, rows: options.rows, empty: options.empty, className: "overview-table" })}
</figure>`;
}

/** Plain text in a table cell. */
export const cell = (value: unknown): Html => html`${value}`;
