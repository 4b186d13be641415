/**
 * Arrows on a grid, one per cell, in panels side by side: e.g. q − p of a learned model next to that of
 * the exact optimistic model. Each panel is scaled so that its longest arrow spans `maxLength` cells.
 */
import type { VegaLiteSpec } from '../experiment';
import { gridAxes, type GridOutline, gridPanel } from './grid-layers';
import { figureTitle, type FigureText } from './spec';

export interface ArrowRow {
  panel: string;
  row: number;
  col: number;
  /** Arrow components in cells (positive dRow = down). */
  dRow: number;
  dCol: number;
}

export function gridArrowsSpec(
  arrows: ArrowRow[],
  grid: GridOutline,
  opts: FigureText & { panels: string[]; cell?: number; maxLength?: number },
): VegaLiteSpec {
  const cell = opts.cell ?? 30;
  const maxLength = opts.maxLength ?? 0.9;
  const axes = gridAxes(grid);
  const panel = (name: string) =>
    gridPanel(grid, cell, name, {
      data: { values: arrows.filter((a) => a.panel === name) },
      transform: [
        { calculate: 'sqrt(datum.dRow * datum.dRow + datum.dCol * datum.dCol)', as: 'len' },
        { joinaggregate: [{ op: 'max', field: 'len', as: 'maxLen' }] },
        { calculate: `datum.maxLen > 0 ? ${maxLength} / datum.maxLen : 0`, as: 'k' },
        { calculate: 'datum.col - 0.5 * datum.k * datum.dCol', as: 'x0' },
        { calculate: 'datum.row - 0.5 * datum.k * datum.dRow', as: 'y0' },
        { calculate: 'datum.col + 0.5 * datum.k * datum.dCol', as: 'x1' },
        { calculate: 'datum.row + 0.5 * datum.k * datum.dRow', as: 'y1' },
        { calculate: 'atan2(datum.dCol, -datum.dRow) * 180 / PI', as: 'angle' },
      ],
      layer: [
        {
          mark: { type: 'rule', color: '#1f5fbf', strokeWidth: 1.5 },
          encoding: {
            x: { ...axes.x, field: 'x0' },
            y: { ...axes.y, field: 'y0' },
            x2: { field: 'x1' },
            y2: { field: 'y1' },
          },
        },
        {
          transform: [{ filter: 'datum.len * datum.k > 0.05' }],
          mark: { type: 'point', shape: 'triangle-up', filled: true, color: '#1f5fbf', size: cell * 1.2 },
          encoding: {
            x: { ...axes.x, field: 'x1' },
            y: { ...axes.y, field: 'y1' },
            angle: { field: 'angle', type: 'quantitative', scale: { domain: [-360, 360], range: [-360, 360] } },
          },
        },
      ],
    });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round((opts.panels.length * grid.cols * cell) / 6.5)),
    hconcat: opts.panels.map(panel),
  } satisfies VegaLiteSpec;
}
