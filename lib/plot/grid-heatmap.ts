/** A value per cell of a grid as a colour, walls in black (e.g. the augmented reward of E2). */
import type { VegaLiteSpec } from '../experiment';
import { gridAxes, type GridOutline, wallAndMarkerLayers } from './grid-layers';
import { type ColorScheme, figureTitle, type FigureText } from './spec';

export interface CellValue {
  row: number;
  col: number;
  value: number;
}

export function gridHeatmapSpec(
  cells: CellValue[],
  grid: GridOutline,
  opts: FigureText & {
    legend: string;
    cell?: number;
    scheme?: ColorScheme;
    /** A diverging scale's centre (e.g. 0), and whether to flip the scheme (redblue flipped: high = red). */
    domainMid?: number;
    reverse?: boolean;
  },
): VegaLiteSpec {
  const cell = opts.cell ?? 30;
  const axes = gridAxes(grid);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round((grid.cols * cell) / 6.5) + 20),
    width: grid.cols * cell,
    height: grid.rows * cell,
    layer: [
      {
        data: { values: cells },
        mark: { type: 'square', size: cell * cell, opacity: 1 },
        encoding: {
          x: axes.x,
          y: axes.y,
          color: {
            field: 'value',
            type: 'quantitative',
            title: opts.legend,
            scale: {
              scheme: opts.scheme ?? 'redblue',
              ...(opts.domainMid !== undefined ? { domainMid: opts.domainMid } : {}),
              ...(opts.reverse ? { reverse: true } : {}),
            },
          },
          tooltip: [{ field: 'row' }, { field: 'col' }, { field: 'value', format: '.2f' }],
        },
      },
      ...wallAndMarkerLayers(grid, cell),
    ],
  } satisfies VegaLiteSpec;
}
