/** Figures of E3 (the 3-state risk MDP): return distributions of both sides, and which side each method picks. */
import type { VegaLiteSpec } from '../experiment';

export interface ReturnSampleRow { side: string; return: number }
export interface SideMomentRow { side: string; mean: number; std: number }

const SIDE_COLORS = { domain: ['Left', 'Right'], range: ['#4c78a8', '#f58518'] };

/** Overlaid histograms of sampled discounted returns per side, with each side's exact mean as a dashed rule. */
export function returnHistogramSpec(samples: ReturnSampleRow[], moments: SideMomentRow[], title: string): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 220,
    layer: [
      {
        data: { values: samples },
        mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
        encoding: {
          x: { field: 'return', type: 'quantitative', bin: { maxbins: 80 }, title: 'discounted return from Center' },
          y: { aggregate: 'count', type: 'quantitative', title: 'episodes', stack: null },
          color: { field: 'side', type: 'nominal', scale: SIDE_COLORS, title: 'policy goes' },
        },
      },
      {
        data: { values: moments },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 2 },
        encoding: {
          x: { field: 'mean', type: 'quantitative' },
          color: { field: 'side', type: 'nominal', scale: SIDE_COLORS },
          tooltip: [{ field: 'side' }, { field: 'mean', title: 'exact mean' }, { field: 'std', title: 'exact std' }],
        },
      },
    ],
  } as unknown as VegaLiteSpec;
}

export interface ChoiceRow { reward_right: number; reward_center: number; method: string; side: string; lower_mean: boolean }

function choicePanel(rows: ChoiceRow[], method: string, chosen: { reward_right: number; reward_center: number }): object {
  const x = { field: 'reward_right', type: 'ordinal', title: 'reward of Right' };
  const y = { field: 'reward_center', type: 'ordinal', title: 'reward of Center', sort: 'descending' };
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
export function choiceMapSpec(rows: ChoiceRow[], methods: string[], chosen: { reward_right: number; reward_center: number }, title: string): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    hconcat: methods.map((m) => choicePanel(rows, m, chosen)),
    resolve: { scale: { color: 'shared' } },
  } as unknown as VegaLiteSpec;
}
