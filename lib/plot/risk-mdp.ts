/** Figures of E3 (the 3-state risk MDP): return distributions of both sides, and which side each method picks. */
import type { VegaLiteSpec } from '../experiment';
import { figureTitle, type FigureText, type Panel, type Position } from './spec';

export interface ReturnSampleRow {
  side: string;
  return: number;
}
export interface SideMomentRow {
  side: string;
  mean: number;
  std: number;
}

const SIDE_COLORS = { domain: ['Left', 'Right'], range: ['#4c78a8', '#f58518'] };

/** Histograms of sampled discounted returns, one panel per side (own y scale, shared x), exact mean dashed. */
export function returnHistogramSpec(samples: ReturnSampleRow[], moments: SideMomentRow[], text: FigureText): VegaLiteSpec {
  const panel = (side: string): Panel => ({
    title: `policy goes ${side}`,
    width: 480,
    height: 110,
    layer: [
      {
        data: { values: samples.filter((r) => r.side === side) },
        mark: { type: 'bar', binSpacing: 0 },
        encoding: {
          x: {
            field: 'return',
            type: 'quantitative',
            bin: { extent: [lo, hi], step: (hi - lo) / 80 },
            title: 'discounted return from Center',
          },
          y: { aggregate: 'count', type: 'quantitative', title: 'episodes' },
          color: { value: side === 'Left' ? SIDE_COLORS.range[0] : SIDE_COLORS.range[1] },
        },
      },
      {
        data: { values: moments.filter((r) => r.side === side) },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 2, color: 'black' },
        encoding: {
          x: { field: 'mean', type: 'quantitative' },
          tooltip: [
            { field: 'mean', title: 'exact mean' },
            { field: 'std', title: 'exact std' },
          ],
        },
      },
    ],
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of samples) {
    lo = Math.min(lo, r.return);
    hi = Math.max(hi, r.return);
  }
  if (!(hi > lo)) hi = lo + 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, 85),
    vconcat: ['Left', 'Right'].map(panel),
    resolve: { scale: { x: 'shared' } },
  } satisfies VegaLiteSpec;
}

export interface ChoiceRow {
  reward_right: number;
  reward_center: number;
  method: string;
  side: string;
  lower_mean: boolean;
}

function choicePanel(rows: ChoiceRow[], method: string, chosen: { reward_right: number; reward_center: number }): Panel {
  const x: Position = { field: 'reward_right', type: 'ordinal', title: 'reward of Right' };
  const y: Position = { field: 'reward_center', type: 'ordinal', title: 'reward of Center', sort: 'descending' };
  return {
    title: method,
    width: 200,
    height: 170,
    layer: [
      {
        data: { values: rows.filter((r) => r.method === method) },
        mark: 'rect',
        encoding: { x, y, color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: 'side picked' } },
      },
      {
        data: { values: rows.filter((r) => r.method === method && r.lower_mean) },
        mark: { type: 'text', text: '✗', color: 'white', fontSize: 11 },
        encoding: { x, y },
      },
      {
        data: { values: [chosen] },
        mark: { type: 'point', shape: 'circle', size: 160, color: 'black', filled: false, strokeWidth: 2 },
        encoding: { x, y },
      },
    ],
  };
}

/** For each method, the side it picks over a grid of (Right reward, Center reward); ✗ marks the lower-mean side. */
export function choiceMapSpec(
  rows: ChoiceRow[],
  methods: string[],
  chosen: { reward_right: number; reward_center: number },
  text: FigureText,
): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, Math.round((methods.length * 260) / 6.5)),
    hconcat: methods.map((m) => choicePanel(rows, m, chosen)),
    resolve: { scale: { color: 'shared' } },
  } satisfies VegaLiteSpec;
}

/** A slider over the values of one grid axis (its steps land on grid points). */
function slider(name: string, label: string, values: number[], value: number) {
  const step = values.length > 1 ? Number((values[1] - values[0]).toFixed(6)) : 1;
  return { name, value, bind: { input: 'range' as const, min: values[0], max: values[values.length - 1], step, name: `${label} ` } };
}

/**
 * The risk MDP explorer: three sliders (wind, Right's reward, γ) over a precomputed grid. Left, for each method, the
 * side it picks over (Right's reward × wind) at the chosen γ, with a ring at the chosen point and ✗ where the side
 * has the lower mean return; right, each method's mean return ± 1 std at the chosen point. Static renderings (SVG,
 * classic Notebook, HTML exports) show the sliders' starting values.
 */
export function riskExplorerSpec(
  rows: {
    wind: number;
    reward_right: number;
    gamma: number;
    method: string;
    side: string;
    mean: number;
    std: number;
    lower_mean: boolean;
  }[],
  axes: { wind: number[]; rewardRight: number[]; gamma: number[] },
  start: { wind: number; rewardRight: number; gamma: number },
  text: FigureText,
): VegaLiteSpec {
  const methods = [...new Set(rows.map((r) => r.method))];
  const near = (field: string, param: string) => `abs(datum.${field} - ${param}) < 1e-9`;
  const x: Position = { field: 'reward_right', type: 'ordinal', title: "Right's reward" };
  const y: Position = { field: 'wind', type: 'ordinal', title: 'wind', sort: 'descending' };
  const map = (method: string): Panel => ({
    title: method,
    width: 160,
    height: 150,
    transform: [{ filter: `datum.method === '${method}' && ${near('gamma', 'gamma')}` }],
    layer: [
      {
        mark: 'rect',
        encoding: {
          x,
          y,
          color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: 'side picked' },
          tooltip: [
            { field: 'wind' },
            { field: 'reward_right', title: "Right's reward" },
            { field: 'side', title: 'side picked' },
            { field: 'mean', title: 'mean return', format: '.3f' },
            { field: 'std', title: 'std of return', format: '.3f' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.lower_mean' }],
        mark: { type: 'text', text: '✗', color: 'white', fontSize: 10 },
        encoding: { x, y },
      },
      {
        transform: [{ filter: `${near('wind', 'wind')} && ${near('reward_right', 'reward_right')}` }],
        mark: { type: 'point', shape: 'circle', size: 150, color: 'black', filled: false, strokeWidth: 2 },
        encoding: { x, y },
      },
    ],
  });
  const returns: Panel = {
    title: { text: ['return of the side picked', '(mean ± 1 std)'] },
    width: 170,
    height: 150,
    transform: [
      { filter: `${near('gamma', 'gamma')} && ${near('wind', 'wind')} && ${near('reward_right', 'reward_right')}` },
      { calculate: 'datum.mean - datum.std', as: 'lo' },
      { calculate: 'datum.mean + datum.std', as: 'hi' },
    ],
    layer: [
      {
        mark: { type: 'bar', width: 26 },
        encoding: {
          x: { field: 'method', type: 'nominal', sort: methods, title: null, axis: { labelAngle: 0 } },
          y: { field: 'mean', type: 'quantitative', title: 'discounted return from Center' },
          color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: 'side picked' },
          tooltip: [
            { field: 'method' },
            { field: 'side', title: 'side picked' },
            { field: 'mean', title: 'mean return', format: '.3f' },
            { field: 'std', title: 'std of return', format: '.3f' },
          ],
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x: { field: 'method', type: 'nominal', sort: methods }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
    ],
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, 120),
    params: [
      slider('wind', 'wind', axes.wind, start.wind),
      slider('reward_right', "Right's reward", axes.rewardRight, start.rewardRight),
      slider('gamma', 'γ', axes.gamma, start.gamma),
    ],
    data: { values: rows },
    hconcat: [...methods.map(map), returns],
    resolve: { scale: { color: 'shared' } },
  } satisfies VegaLiteSpec;
}

/** One cell of the playground's "which side" map: the side a method picks at (x, y) of two risk-MDP parameters. */
export interface SideMapCell {
  x: number;
  y: number;
  method: string;
  side: string;
  /** The side picked has the lower mean return. */
  lowerMean: boolean;
}

/** An axis of the side map: a parameter's label and slider range (the cells sit on an even grid over it). */
export interface SideMapAxis {
  label: string;
  min: number;
  max: number;
  /** The slider's value, ringed on the map. */
  value: number;
}

/** Each side, and each side when it has the lower mean return (paler): one colour per case, so the legend is the map's. */
const SIDE_CASES = {
  domain: ['Left', 'Left (lower mean)', 'Right', 'Right (lower mean)'],
  range: [SIDE_COLORS.range[0], '#aec2d8', SIDE_COLORS.range[1], '#fbc897'],
};

/**
 * For each method ('return', 'MnM', 'VMBPO'), the side it picks over an n×n grid of two parameters (the playground's
 * live map; E3's figure is choiceMapSpec); pale where that side has the lower mean return, a ring at the sliders.
 */
export function sideMapSpec(cells: SideMapCell[], axes: { x: SideMapAxis; y: SideMapAxis }, methods: string[], n: number): VegaLiteSpec {
  const half = (a: SideMapAxis) => (a.max - a.min) / (n - 1) / 2;
  const [dx, dy] = [half(axes.x), half(axes.y)];
  const position = (a: SideMapAxis, d: number, field: string): Position => ({
    field,
    type: 'quantitative',
    title: a.label,
    scale: { domain: [a.min - d, a.max + d], nice: false, zero: false },
  });
  const x = position(axes.x, dx, 'x0');
  const y = position(axes.y, dy, 'y0');
  const panel = (method: string): Panel => ({
    title: method,
    width: 190,
    height: 160,
    layer: [
      {
        data: { values: cells.filter((c) => c.method === method) },
        transform: [
          { calculate: `datum.x - ${dx}`, as: 'x0' },
          { calculate: `datum.x + ${dx}`, as: 'x1' },
          { calculate: `datum.y - ${dy}`, as: 'y0' },
          { calculate: `datum.y + ${dy}`, as: 'y1' },
          { calculate: `datum.lowerMean ? datum.side + ' (lower mean)' : datum.side`, as: 'case' },
        ],
        mark: 'rect',
        encoding: {
          x,
          x2: { field: 'x1' },
          y,
          y2: { field: 'y1' },
          color: { field: 'case', type: 'nominal', scale: SIDE_CASES, title: 'side picked' },
        },
      },
      {
        data: { values: [{ x0: axes.x.value, y0: axes.y.value }] },
        mark: { type: 'point', shape: 'circle', size: 120, color: 'black', filled: false, strokeWidth: 2 },
        encoding: { x, y },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Which side each method picks (pale: the side with the lower mean return; ○: the sliders)',
    hconcat: methods.map(panel),
    resolve: { scale: { color: 'shared' } },
  } satisfies VegaLiteSpec;
}
