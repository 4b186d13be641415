/** Shared layers of gridworld figures: the cells' axes, walls, start and goal (rows grow downward). */
import { type Layer, type Panel, type Position, wrapLines } from './spec';

export interface GridOutline {
  rows: number;
  cols: number;
  walls: { row: number; col: number }[];
  start: [number, number];
  goal: [number, number];
}

/** x = column, y = row (row 0 at the top), one unit per cell. */
export function gridAxes(g: GridOutline): { x: Position; y: Position } {
  return {
    x: { field: 'col', type: 'quantitative', scale: { domain: [-0.5, g.cols - 0.5], nice: false, zero: false }, axis: null },
    y: { field: 'row', type: 'quantitative', scale: { domain: [g.rows - 0.5, -0.5], nice: false, zero: false }, axis: null },
  };
}

/** Wall squares, and S / G letters. */
export function wallAndMarkerLayers(g: GridOutline, cell: number): Layer[] {
  const axes = gridAxes(g);
  return [
    {
      data: { values: g.walls },
      mark: { type: 'square', size: cell * cell, color: '#222', opacity: 1 },
      encoding: { x: axes.x, y: axes.y },
    },
    {
      data: {
        values: [
          { row: g.start[0], col: g.start[1], t: 'S' },
          { row: g.goal[0], col: g.goal[1], t: 'G' },
        ],
      },
      mark: { type: 'text', fontSize: cell * 0.6, fontWeight: 'bold', color: '#c00' },
      encoding: { x: axes.x, y: axes.y, text: { field: 't' } },
    },
  ];
}

/** A light grid of cell borders. */
export function cellBorderLayer(g: GridOutline, cell: number): Layer {
  const cells: { row: number; col: number }[] = [];
  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) cells.push({ row: r, col: c });
  const axes = gridAxes(g);
  return {
    data: { values: cells },
    mark: { type: 'square', size: cell * cell, filled: false, stroke: '#ddd', strokeWidth: 0.5 },
    encoding: { x: axes.x, y: axes.y },
  };
}

/** One panel of a grid figure: cell borders, walls, S and G, then the panel's own data layer on top. */
export function gridPanel(g: GridOutline, cell: number, title: string, dataLayer: Layer): Panel {
  // A long panel title would widen the panel's bounds (and the gaps between wrapped panels): wrap it to the width.
  return {
    title: { text: wrapLines(title, Math.max(12, Math.floor((g.cols * cell) / 8))) },
    width: g.cols * cell,
    height: g.rows * cell,
    layer: [cellBorderLayer(g, cell), ...wallAndMarkerLayers(g, cell), dataLayer],
  };
}
