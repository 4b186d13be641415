/**
 * Whether a committed notebook's text outputs are still what the code produces: its tables, claims, printed and
 * generated-markdown numbers (text/plain, text/markdown, text/html, streams, errors). Runs are deterministic, so
 * the comparison is exact, except for durations a cell prints ("ran 3 seeds in 1.2 s"), which are masked.
 * Figures are compared by the data their Vega-Lite spec draws: `mnm notebooks --commit` stamps each figure
 * output with a digest of it (`figureStamp`, kept even when the live spec is dropped to save space), and a fresh
 * run's figure must give the same digest.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Scale } from '../experiment';
import { VEGALITE_MIME } from './display';
import { type Notebook, type Output, joinLines } from './format';

/** The scale the committed notebooks are executed at (`mnm notebooks --commit`), and the freshness test re-executes at. */
export const COMMIT_SCALE: Scale = 'quick';

/** A duration as cells print it: "in 1.2 s", "in 350 ms". */
const DURATION = /\bin \d+(?:\.\d+)? ?(?:ms|s)\b/g;
const TEXT_MIMES = ['text/markdown', 'text/html', 'text/plain'];

export interface TextLine {
  /** 1-based, over all cells (as Jupyter's cell numbers and the harness's errors count). */
  cell: number;
  output: number;
  kind: string;
  line: number;
  text: string;
}

/** Every text line of every output of `nb`, in order, durations masked. */
export function textOutputs(nb: Notebook): TextLine[] {
  const lines: TextLine[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    cell.outputs.forEach((o, j) => {
      const add = (kind: string, text: string) =>
        text
          .replace(DURATION, 'in <duration>')
          .replace(/\n$/, '')
          .split('\n')
          .forEach((t, k) => lines.push({ cell: i + 1, output: j + 1, kind, line: k + 1, text: t }));
      if (o.output_type === 'stream') add(o.name, joinLines(o.text));
      else if (o.output_type === 'error') add('error', `${o.ename}: ${o.evalue}`);
      else {
        const seen = new Set<string>();
        for (const mime of TEXT_MIMES) {
          const v = o.data[mime];
          if (typeof v !== 'string' && !Array.isArray(v)) continue;
          const text = joinLines(v as string | string[]);
          if (seen.has(text)) continue; // showMarkdown sends the same text as text/plain too
          seen.add(text);
          add(mime, text);
        }
      }
    });
  });
  return lines;
}

/** The command that re-executes and rewrites committed notebooks. */
export function refreshCommand(notebooks: string[] = []): string {
  return ['npm run mnm -- notebooks --commit', ...notebooks.map((n) => path.relative(process.cwd(), n) || n)].join(' ');
}

const where = (l: TextLine) => `cell ${l.cell}, output ${l.output} (${l.kind}), line ${l.line}`;

/**
 * Null when `fresh`'s text outputs equal `committed`'s; otherwise one message naming the notebook, the cell and
 * the first differing line, and the command that refreshes it.
 */
export function staleness(notebook: string, committed: Notebook, fresh: Notebook): string | null {
  const name = path.basename(notebook);
  const before = textOutputs(committed);
  const now = textOutputs(fresh);
  if (before.length === 0 && now.length > 0)
    return `${name} has no committed outputs: execute and commit it with\n  ${refreshCommand([notebook])}`;
  const n = Math.max(before.length, now.length);
  for (let i = 0; i < n; i++) {
    const a = before[i];
    const b = now[i];
    if (a && b && a.cell === b.cell && a.output === b.output && a.kind === b.kind && a.line === b.line && a.text === b.text) continue;
    const at = a ?? b;
    return [
      `${name}: the committed outputs are out of date at ${at ? where(at) : 'the end'}:`,
      `  committed: ${a ? `${where(a)}: ${a.text}` : '(nothing more)'}`,
      `  now:       ${b ? `${where(b)}: ${b.text}` : '(nothing more)'}`,
      `Refresh it with: ${refreshCommand([notebook])}`,
    ].join('\n');
  }
  return null;
}

/** Where a committed figure output keeps the stamp of its data (output metadata, which every frontend ignores). */
export const FIGURE_STAMP_KEY = 'mnm-figure-data';

export interface FigureStamp {
  /** Rows drawn, over every data array of the spec. */
  rows: number;
  /** sha256 (16 hex) of the data arrays in the order the spec lists them. */
  digest: string;
}

/**
 * Every data array a Vega-Lite spec draws, in the order its `data` entries occur: inline `values`, and named
 * data resolved through the top-level `datasets` (so a spec whose repeated arrays were shared out draws the same).
 */
function dataArrays(spec: unknown): unknown[][] {
  const datasets = (spec && typeof spec === 'object' ? (spec as Record<string, unknown>).datasets : undefined) ?? {};
  const out: unknown[][] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'datasets') continue;
      if (k === 'data' && x && typeof x === 'object') {
        const d = x as Record<string, unknown>;
        if (Array.isArray(d.values)) out.push(d.values);
        else if (typeof d.name === 'string' && Array.isArray((datasets as Record<string, unknown>)[d.name]))
          out.push((datasets as Record<string, unknown[]>)[d.name]);
      }
      visit(x);
    }
  };
  visit(spec);
  return out;
}

/** The stamp of a figure's data: what a fresh run must draw again. */
export function figureStamp(spec: unknown): FigureStamp {
  const arrays = dataArrays(spec);
  return {
    rows: arrays.reduce((n, a) => n + a.length, 0),
    digest: createHash('sha256').update(JSON.stringify(arrays)).digest('hex').slice(0, 16),
  };
}

interface FigureAt {
  cell: number;
  output: number;
  stamp: FigureStamp | null;
}

/** Each figure output of `nb`: its stamp from the metadata (committed) or from its live spec (a fresh run). */
function figureOutputs(nb: Notebook): FigureAt[] {
  const found: FigureAt[] = [];
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== 'code') return;
    cell.outputs.forEach((o: Output, j) => {
      if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') return;
      const stamped = o.metadata[FIGURE_STAMP_KEY] as FigureStamp | undefined;
      if (stamped) found.push({ cell: i + 1, output: j + 1, stamp: stamped });
      else if (VEGALITE_MIME in o.data) found.push({ cell: i + 1, output: j + 1, stamp: figureStamp(o.data[VEGALITE_MIME]) });
      else if ('image/svg+xml' in o.data || 'image/png' in o.data) found.push({ cell: i + 1, output: j + 1, stamp: null });
    });
  });
  return found;
}

/**
 * Null when every figure of `fresh` draws the data its committed counterpart was stamped with; otherwise one
 * message naming the notebook, the cell and what changed. A committed figure without a stamp (committed before
 * stamps existed) is not compared.
 */
export function staleFigures(notebook: string, committed: Notebook, fresh: Notebook): string | null {
  const name = path.basename(notebook);
  const before = figureOutputs(committed);
  const now = figureOutputs(fresh);
  const n = Math.max(before.length, now.length);
  for (let i = 0; i < n; i++) {
    const a = before[i];
    const b = now[i];
    if (a && b && a.cell === b.cell && (a.stamp === null || b.stamp === null || a.stamp.digest === b.stamp.digest)) continue;
    const show = (f: FigureAt | undefined) =>
      !f
        ? '(no figure)'
        : `cell ${f.cell}, output ${f.output}: ${f.stamp ? `${f.stamp.rows} rows, data ${f.stamp.digest}` : 'no data stamp'}`;
    return [
      `${name}: a committed figure is out of date (its data changed):`,
      `  committed: ${show(a)}`,
      `  now:       ${show(b)}`,
      `Refresh it with: ${refreshCommand([notebook])}`,
    ].join('\n');
  }
  return null;
}
