/**
 * The committed form of an executed notebook: what a reader browsing the repository sees without running it.
 * Sources and cell metadata come from the notebook as written (so no execution timestamps), outputs from the
 * executed copy, slimmed:
 * - execution counts 1..n over the code cells that ran;
 * - progress lines (lib/notebook/progress-line.ts: a status, not a result) dropped;
 * - the repository's absolute path removed from text outputs (a clone elsewhere prints another);
 * - inside each Vega-Lite spec, a data array used more than once is stored once under `datasets` and named
 *   where it was used (Vega-Lite's own reference mechanism);
 * - each SVG without vega's per-mark accessibility labels (a heatmap of 8,000 cells carries 8,000
 *   `aria-label="col: 3; row: 7"`) and with coordinates rounded to 0.01 px;
 * - the static figure is always kept (classic Notebook, GitHub and the HTML export show it); the live Vega-Lite
 *   spec (JupyterLab, VS Code) is kept as long as the notebook stays within MAX_NOTEBOOK_BYTES, else the
 *   largest specs are dropped first; a notebook still too large then has its largest SVGs replaced by PNGs;
 * - each figure output stamped (output metadata) with the digest of the data its spec draws, so the freshness
 *   check can tell a stale figure even where the live spec was dropped.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { VEGALITE_MIME } from './display';
import { FIGURE_STAMP_KEY, figureStamp } from './freshness';
import { svgToPng } from '../plot/render';
import { type Cell, type CodeCell, type MimeBundle, type Notebook, type Output, formatNotebook, joinLines } from './format';

/** Every committed notebook stays below this size (bytes of the file). */
export const MAX_NOTEBOOK_BYTES = 1_000_000;
/** A larger SVG is committed as a PNG. */
export const MAX_SVG_BYTES = 400_000;

const ROOT = path.resolve(__dirname, '..', '..');

/** progressLine's own format: "E7: seed 2/3 · 41% · 12 s …" and "E7: done in 30 s". */
const PROGRESS_LINE = /^[^\n]+: (seed \d+\/\d+ · \d+% · \d+ s\b|done in \d+ s$)/;

function isProgressLine(o: Output): boolean {
  if (o.output_type !== 'display_data') return false;
  const keys = Object.keys(o.data);
  return keys.length === 1 && keys[0] === 'text/plain' && PROGRESS_LINE.test(joinLines(o.data['text/plain'] as string | string[]));
}

const withoutRoot = (s: string) => s.split(`${ROOT}${path.sep}`).join('').split(ROOT).join('.');

function cleanText(o: Output): Output {
  if (o.output_type === 'stream') return { ...o, text: withoutRoot(joinLines(o.text)) };
  if (o.output_type === 'error') return { ...o, evalue: withoutRoot(o.evalue), traceback: o.traceback.map(withoutRoot) };
  const data: MimeBundle = {};
  for (const [mime, v] of Object.entries(o.data)) {
    data[mime] =
      mime.startsWith('text/') && (typeof v === 'string' || Array.isArray(v)) ? withoutRoot(joinLines(v as string | string[])) : v;
  }
  return { ...o, data };
}

type Json = unknown;

/**
 * Stores every `data: {values: [...]}` array that occurs more than once in a Vega-Lite spec once, under the
 * spec's top-level `datasets`, and replaces each use by `data: {name}`. The chart is the same.
 */
export function shareVegaLiteData(spec: Record<string, Json>): Record<string, Json> {
  const counts = new Map<string, number>();
  const visit = (v: Json, f: (o: Record<string, Json>) => void): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, f));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, Json>;
      f(o);
      for (const [k, x] of Object.entries(o)) if (k !== 'datasets') visit(x, f);
    }
  };
  const inlineValues = (o: Record<string, Json>): string | null => {
    const d = o.data as Record<string, Json> | undefined;
    if (!d || typeof d !== 'object' || !Array.isArray(d.values) || Object.keys(d).length !== 1) return null;
    return JSON.stringify(d.values);
  };
  visit(spec, (o) => {
    const key = inlineValues(o);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  const shared = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
  if (shared.length === 0) return spec;
  const copy = JSON.parse(JSON.stringify(spec)) as Record<string, Json>;
  const datasets = { ...((copy.datasets as Record<string, Json> | undefined) ?? {}) };
  const names = new Map<string, string>();
  for (const key of shared) {
    let name = `shared-${names.size + 1}`;
    while (name in datasets) name += '_';
    names.set(key, name);
    datasets[name] = JSON.parse(key);
  }
  visit(copy, (o) => {
    const key = inlineValues(o);
    const name = key === null ? undefined : names.get(key);
    if (name) o.data = { name };
  });
  return { ...copy, datasets };
}

const MARK_ARIA = / (?:aria-label|aria-roledescription)="[^"]*"| role="graphics-(?:symbol|object)"/g;
const GEOMETRY = /( (?:d|transform|x|y|x1|x2|y1|y2|width|height|points|cx|cy|r)=")([^"]*)"/g;
const round2 = (n: string) => String(Number(Number(n).toFixed(2)));

/** The same picture in fewer bytes: no per-mark accessibility labels, geometry rounded to 0.01 px. */
export function slimSvg(svg: string): string {
  const root = svg.indexOf('>', svg.indexOf('<svg')) + 1; // the root element keeps its own labels
  const body = svg
    .slice(root)
    .replace(MARK_ARIA, '')
    .replace(GEOMETRY, (_, head: string, v: string) => `${head}${v.replace(/-?\d+\.\d{3,}/g, round2)}"`);
  return svg.slice(0, root) + body;
}

function slimFigure(o: Output): Output {
  if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') return o;
  const svg = o.data['image/svg+xml'];
  if (typeof svg !== 'string' && !Array.isArray(svg)) return o;
  return { ...o, data: { ...o.data, 'image/svg+xml': slimSvg(joinLines(svg as string | string[])) } };
}

function shareSpecData(o: Output): Output {
  if ((o.output_type !== 'display_data' && o.output_type !== 'execute_result') || !(VEGALITE_MIME in o.data)) return o;
  const spec = o.data[VEGALITE_MIME];
  if (!spec || typeof spec !== 'object') return o;
  // Stamped before sharing and before any dropping of the spec: the freshness check compares a fresh run with it.
  const metadata = { ...o.metadata, [FIGURE_STAMP_KEY]: figureStamp(spec) };
  return { ...o, metadata, data: { ...o.data, [VEGALITE_MIME]: shareVegaLiteData(spec as Record<string, Json>) } };
}

export interface CommitReport {
  bytes: number;
  /** Figures whose live Vega-Lite spec was dropped to stay within MAX_NOTEBOOK_BYTES, as `cell N`. */
  droppedSpecs: string[];
  /** Figures shown as PNG instead of SVG to stay within MAX_NOTEBOOK_BYTES, as `cell N`. */
  pngFigures: string[];
}

/**
 * The committed notebook: `source`'s cells with `executed`'s outputs, slimmed (see the file comment).
 * Throws when the cells do not line up or the result stays above MAX_NOTEBOOK_BYTES even with SVG alone.
 */
export function committedNotebook(source: Notebook, executed: Notebook, name: string): { notebook: Notebook; report: CommitReport } {
  if (source.cells.length !== executed.cells.length)
    throw new Error(`${name}: the executed copy has ${executed.cells.length} cells, the notebook ${source.cells.length}`);
  let count = 0;
  // nbformat 4.5 wants cell ids; Jupyter would invent random ones on the next save: derive them instead.
  const withId = <C extends Cell>(c: C, i: number): C =>
    c.id !== undefined || source.nbformat_minor < 5 ? c : { ...c, id: createHash('sha1').update(`${name}:${i}`).digest('hex').slice(0, 8) };
  const cells = source.cells.map((c, i) => {
    const cell = withId(c, i);
    if (cell.cell_type !== 'code') return cell;
    const ran = executed.cells[i] as CodeCell;
    const n = joinLines(cell.source).trim() === '' ? null : ++count;
    const outputs = ran.outputs
      .filter((o) => !isProgressLine(o))
      .map(cleanText)
      .map(shareSpecData)
      .map(slimFigure)
      .map((o): Output => (o.output_type === 'execute_result' ? { ...o, execution_count: n } : o));
    const metadata = { ...cell.metadata };
    delete metadata.execution; // timestamps
    const out: CodeCell = { ...cell, metadata, execution_count: n, outputs };
    return out;
  });
  const metadata = { ...source.metadata };
  if (!metadata.language_info && executed.metadata.language_info) metadata.language_info = executed.metadata.language_info;
  const notebook: Notebook = { ...source, metadata, cells };
  return { notebook, report: fitBudget(notebook, name) };
}

type Shown = { data: MimeBundle; cell: number };

function figures(nb: Notebook, mime: string): (Shown & { size: number })[] {
  return nb.cells
    .flatMap((c, i) => (c.cell_type === 'code' ? c.outputs.map((o) => ({ o, cell: i + 1 })) : []))
    .flatMap(({ o, cell }) =>
      (o.output_type === 'display_data' || o.output_type === 'execute_result') && mime in o.data ? [{ data: o.data, cell }] : [],
    )
    .map((x) => ({ ...x, size: JSON.stringify(x.data[mime]).length }))
    .sort((a, b) => b.size - a.size);
}

/**
 * Fits `nb` (mutated) within MAX_NOTEBOOK_BYTES. An SVG above MAX_SVG_BYTES becomes a PNG at once (a page of
 * 10,000 vector marks is slow in any viewer); then live specs are dropped, largest first; then the largest
 * remaining SVGs become PNGs (1 px per px: GitHub and the classic Notebook show PNG as well as SVG).
 */
function fitBudget(nb: Notebook, name: string): CommitReport {
  const report: CommitReport = { bytes: 0, droppedSpecs: [], pngFigures: [] };
  const measure = () => (report.bytes = Buffer.byteLength(formatNotebook(nb)));
  const toPng = ({ data, cell }: Shown) => {
    data['image/png'] = svgToPng(joinLines(data['image/svg+xml'] as string | string[]), 1).toString('base64');
    delete data['image/svg+xml'];
    report.pngFigures.push(`cell ${cell}`);
  };
  figures(nb, 'image/svg+xml')
    .filter((f) => f.size > MAX_SVG_BYTES)
    .forEach(toPng);
  measure();
  for (const f of figures(nb, VEGALITE_MIME)) {
    if (report.bytes <= MAX_NOTEBOOK_BYTES) break;
    delete f.data[VEGALITE_MIME];
    report.droppedSpecs.push(`cell ${f.cell}`);
    measure();
  }
  for (const f of figures(nb, 'image/svg+xml')) {
    if (report.bytes <= MAX_NOTEBOOK_BYTES) break;
    toPng(f);
    measure();
  }
  if (report.bytes > MAX_NOTEBOOK_BYTES)
    throw new Error(`${name}: ${(report.bytes / 1e6).toFixed(2)} MB even with static figures only (limit ${MAX_NOTEBOOK_BYTES / 1e6} MB)`);
  return report;
}
