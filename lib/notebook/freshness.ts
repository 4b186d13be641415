/**
 * Whether a committed notebook's text outputs are still what the code produces: its tables, claims, printed and
 * generated-markdown numbers (text/plain, text/markdown, text/html, streams, errors). Runs are deterministic, so
 * the comparison is exact, except for durations a cell prints ("ran 3 seeds in 1.2 s"), which are masked.
 * Figures (SVG, Vega-Lite) are not compared: their numbers are the tables'.
 */
import * as path from 'node:path';
import type { Scale } from '../experiment';
import { type Notebook, joinLines } from './format';

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
