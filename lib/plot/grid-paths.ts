/** Paths on a grid map (walls, start, goal), one colour per series, in panels wrapped into rows no wider than `maxWidth`. */
import type { VegaLiteSpec } from '../experiment';
import { gridAxes, type GridOutline, gridPanel } from './grid-layers';
import { figureTitle, type FigureText } from './spec';

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
  opts: FigureText & { panels: string[]; cell?: number; maxWidth?: number },
): VegaLiteSpec {
  const maxWidth = opts.maxWidth ?? 1200;
  // Cells shrink (down to 12 px) before a panel alone would pass the limit.
  const cell = Math.max(12, Math.min(opts.cell ?? 26, Math.floor((maxWidth - 40) / grid.cols)));
  const panelWidth = grid.cols * cell + 25; // the panel and the default gap between concatenated views (20 px)
  const columns = Math.max(1, Math.min(opts.panels.length, Math.floor(maxWidth / panelWidth)));
  const axes = gridAxes(grid);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round((columns * panelWidth) / 6.5)),
    columns,
    concat: opts.panels.map((name) =>
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
