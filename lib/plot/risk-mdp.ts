/** Figures of E3 (the 3-state risk MDP): return distributions of both sides, and which side each method picks. */
import type { VegaLiteSpec } from '../experiment';
import type { Panel, Position } from './spec';

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
export function returnHistogramSpec(samples: ReturnSampleRow[], moments: SideMomentRow[], title: string): VegaLiteSpec {
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
    title,
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
  title: string,
): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    hconcat: methods.map((m) => choicePanel(rows, m, chosen)),
    resolve: { scale: { color: 'shared' } },
  } satisfies VegaLiteSpec;
}
