/** Paths on a grid map (walls, start, goal), one colour per series, in panels side by side. */
import type { VegaLiteSpec } from '../experiment';
import { gridAxes, type GridOutline, gridPanel } from './grid-layers';

export interface PathPoint {
  panel: string;
  /** A path within the panel (e.g. a seed). */
  path: string;
  step: number;
  row: number;
  col: number;
}

export function gridPathsSpec(
  points: PathPoint[],
  grid: GridOutline,
  opts: { title: string; panels: string[]; cell?: number },
): VegaLiteSpec {
  const cell = opts.cell ?? 26;
  const axes = gridAxes(grid);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title,
    hconcat: opts.panels.map((name) =>
      gridPanel(grid, cell, name, {
        data: { values: points.filter((p) => p.panel === name) },
        mark: { type: 'line', strokeWidth: 2, opacity: 0.6, point: { size: 12 } },
        encoding: {
          x: axes.x,
          y: axes.y,
          order: { field: 'step', type: 'quantitative' },
          color: { field: 'path', type: 'nominal', title: null, legend: null },
          detail: { field: 'path' },
        },
      }),
    ),
  } satisfies VegaLiteSpec;
}
