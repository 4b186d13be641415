/**
 * Helpers the learned-gridworld experiments (E1, E2, E6) share: a grid's outline for
 * figures, curve summaries over seeds and paired comparisons of per-seed numbers.
 */
import { ci95, fmt, mean, std } from '../stats';
import type { Gridworld } from './gridworld';
import type { GridOutline } from '../plot/grid-layers';
import type { CurveRow } from '../plot/learning-curve';

export function gridOutline(g: Gridworld): GridOutline {
  const walls: { row: number; col: number }[] = [];
  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) if (g.stateAt(r, c) < 0) walls.push({ row: r, col: c });
  return { rows: g.rows, cols: g.cols, walls, start: g.cellOf(g.start), goal: g.cellOf(g.goal) };
}

/** Mean and 95% confidence band of `value` per (method, x) over the seeds. */
export function curveBands(rows: { method: string; x: number; value: number }[]): CurveRow[] {
  const groups = new Map<string, { method: string; x: number; values: number[] }>();
  for (const r of rows) {
    const k = `${r.method}\u0000${r.x}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { method: r.method, x: r.x, values: [] }));
    g.values.push(r.value);
  }
  return [...groups.values()].map((g) => {
    const m = mean(g.values);
    const h = ci95(g.values);
    return { method: g.method, x: g.x, mean: m, lo: m - h, hi: m + h };
  });
}

export interface Paired {
  n: number;
  meanA: number;
  stdA: number;
  meanB: number;
  stdB: number;
  /** Mean of a − b over seeds and the half-width of its 95% CI. */
  diff: number;
  ci: number;
}

/** Paired comparison of two per-seed series (same seed index = same row). */
export function paired(a: number[], b: number[]): Paired {
  if (a.length !== b.length) throw new Error(`paired: ${a.length} values against ${b.length}`);
  const d = a.map((x, i) => x - b[i]);
  return { n: a.length, meanA: mean(a), stdA: std(a), meanB: mean(b), stdB: std(b), diff: mean(d), ci: ci95(d) };
}

export function fmtPaired(p: Paired, nameA: string, nameB: string, digits = 3): string {
  return (
    `${nameA} ${fmt(p.meanA, digits)} ± ${fmt(p.stdA, digits)}, ${nameB} ${fmt(p.meanB, digits)} ± ${fmt(p.stdB, digits)} ` +
    `(mean ± std, n=${p.n}); paired difference ${fmt(p.diff, digits)} ± ${fmt(p.ci, digits)} (95% CI)`
  );
}
