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

/** A table wider than this, with no more rows than WIDE_ROWS, is shown transposed (a column per row). */
const WIDE_COLUMNS = 8;
const WIDE_ROWS = 6;

/**
 * An HTML table of the first `maxRows` rows. Numbers print as a reader writes them (an integer-valued float as
 * `3`, others to 5 significant digits), so no dtype line is needed. A wide table with few rows (settings of a few
 * agents) is transposed: one row per column, one column per row, headed by the first column's values.
 */
export function tableHtml(df: pl.DataFrame, maxRows = 20): string {
  const cols = df.columns;
  const rows = df.head(maxRows).toRecords();
  const more = df.height > maxRows ? `<p><small>… ${df.height - maxRows} more rows</small></p>` : '';
  const cell = (v: unknown) => `<td>${escapeHtml(fmtCell(v))}</td>`;
  if (cols.length > WIDE_COLUMNS && rows.length <= WIDE_ROWS) {
    const [key, ...rest] = cols;
    const head = `<th>${escapeHtml(key)}</th>${rows.map((r) => `<th>${escapeHtml(fmtCell(r[key]))}</th>`).join('')}`;
    const body = rest.map((c) => `<tr><th>${escapeHtml(c)}</th>${rows.map((r) => cell(r[c])).join('')}</tr>`).join('\n');
    return `<div><table class="dataframe transposed">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}</div>`;
  }
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => cell(r[c])).join('')}</tr>`).join('\n');
  return `<div><table class="dataframe">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}</div>`;
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
