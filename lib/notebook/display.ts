/**
 * Inline display in tslab notebooks.
 *
 * `show(spec)` sends ONE display message carrying several representations of the same plot: the
 * Vega-Lite spec (JupyterLab and VS Code draw it interactively), an SVG (classic Notebook, nbconvert
 * HTML and GitHub show that), and plain text. Each frontend picks the richest it can render, so the
 * plot never appears twice (one message: `writeOutput` in kernel.ts).
 */
import pl from 'nodejs-polars';
import type { VegaLiteSpec } from '../experiment';
import { specToSvg } from '../plot/render';
import { dataMap, loadGridMap } from '../tabular/map-files';
import { writeOutput } from './kernel';

/** Sends a MIME bundle as one display output; outside a notebook prints the text/plain part. */
export function displayBundle(bundle: Record<string, unknown>): void {
  if (!writeOutput(bundle)) console.log(String(bundle['text/plain'] ?? '[rich output: open this in a notebook]'));
}

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** Shows a Vega-Lite chart inline: interactive where the frontend renders Vega-Lite, a static SVG elsewhere. */
export async function show(spec: VegaLiteSpec): Promise<void> {
  const svg = await specToSvg(spec);
  const title = typeof spec.title === 'string' ? spec.title : 'Vega-Lite chart';
  displayBundle({ [VEGALITE_MIME]: spec, 'image/svg+xml': svg, 'text/plain': `<${title}>` });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmtCell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(5)).toString();
  if (v === null || v === undefined) return 'null';
  return String(v);
}

/** An HTML table of the first `maxRows` rows, with the shape and dtypes in the header. */
export function tableHtml(df: pl.DataFrame, maxRows = 20): string {
  const cols = df.columns;
  const dtypes = df.dtypes.map((d) => String(d));
  const rows = df.head(maxRows).toRecords();
  const head = cols.map((c, i) => `<th>${escapeHtml(c)}<br><small>${escapeHtml(dtypes[i])}</small></th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(fmtCell(r[c]))}</td>`).join('')}</tr>`).join('\n');
  const more = df.height > maxRows ? `<p><small>… ${df.height - maxRows} more rows</small></p>` : '';
  return `<div><small>shape: (${df.height}, ${df.width})</small><table class="dataframe">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}</div>`;
}

/** Shows a Polars DataFrame as a readable table (HTML, with Polars' own text form as fallback). */
export function showTable(df: pl.DataFrame, maxRows = 20): void {
  displayBundle({ 'text/html': tableHtml(df, maxRows), 'text/plain': df.head(maxRows).toString() });
}

/** Shows one object (a config with a notebook's changes over it, say) as a one-row table, a column per field. */
export function showRecord(record: object): void {
  showTable(pl.DataFrame([Object.fromEntries(Object.entries(record))]));
}

/** Prints grid maps of data/ (as the experiments read them), each under its label. */
export function printGridMaps(maps: readonly { label: string; map: string }[]): void {
  console.log(
    maps
      .map(
        (m) => `${m.label}:
${loadGridMap(dataMap(m.map)).cells.join('\n')}`,
      )
      .join('\n'),
  );
}

/** Shows Markdown text (for computed prose, e.g. a claims table). */
export function showMarkdown(md: string): void {
  displayBundle({ 'text/markdown': md, 'text/plain': md });
}
