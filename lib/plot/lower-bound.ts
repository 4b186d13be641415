/** Figures of E4 and E5: the MnM lower bound against log J and the VMBPO objective. */
import type { VegaLiteSpec } from '../experiment';
import { figureTitle, type FigureText } from './spec';

export interface SeriesRow {
  run: string;
  iteration: number;
  series: string;
  value: number;
}

const LOG_TICKS = [1, 10, 100, 1000, 10000, 100000];

/** How the playground draws the same chart live: its size, a point per iteration, its own x title and range. */
export interface AlongStepsLook {
  width: number;
  height: number;
  xTitle: string;
  /** The last iteration shown: the log axis spans 1 to at least 10 (a single point does not stretch it to 100k). */
  lastIteration: number;
}

/**
 * One panel per value-iteration run: each objective per iteration, one line per series. With `look` (the
 * playground), points mark each iteration, the x axis ends near the last one and the y axis fits the values.
 */
export function objectivesAlongVISpec(
  rows: SeriesRow[],
  runs: string[],
  series: string[],
  text: FigureText,
  look?: AlongStepsLook,
): VegaLiteSpec {
  const xEnd = look ? Math.max(10, look.lastIteration) : 0;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, Math.round((runs.length * 350) / 6.5)),
    data: { values: rows },
    facet: { column: { field: 'run', type: 'nominal', title: null, sort: runs } },
    spec: {
      width: look?.width ?? 330,
      height: look?.height ?? 240,
      mark: look ? { type: 'line', strokeWidth: 2, point: { size: 30 } } : { type: 'line', strokeWidth: 2 },
      encoding: {
        x: {
          field: 'iteration',
          type: 'quantitative',
          title: look?.xTitle ?? 'value-iteration sweep (log scale)',
          scale: look ? { type: 'log', domain: [1, xEnd] } : { type: 'log' },
          // Only 1, 10, 100, ... are labelled: a log axis labels 200 and 300 side by side otherwise ("200300").
          axis: { values: look ? LOG_TICKS.filter((t) => t <= xEnd) : LOG_TICKS, labelOverlap: 'greedy', labelSeparation: 6, format: '~s' },
        },
        y: { field: 'value', type: 'quantitative', title: 'objective value', ...(look ? { scale: { zero: false } } : {}) },
        color: { field: 'series', type: 'nominal', sort: series, scale: { domain: series }, title: null, legend: { labelLimit: 360 } },
        strokeDash: { field: 'series', type: 'nominal', sort: series, legend: null },
      },
    },
  } satisfies VegaLiteSpec;
}

export interface BoundPointRow {
  log_j: number;
  bound: number;
  model: string;
}

/**
 * Scatter of L(π, q) against log J(π) with the diagonal L = log J: every point must lie on or below it.
 * `yMin` clips the far tail (models far from p give very negative bounds) so the diagonal stays readable.
 */
export function boundScatterSpec(
  rows: BoundPointRow[],
  diagonal: { lo: number; hi: number },
  text: FigureText,
  yMin?: number,
): VegaLiteSpec {
  const yScale = yMin === undefined ? {} : { scale: { domain: [yMin, diagonal.hi + 0.5] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, 75),
    width: 380,
    height: 320,
    layer: [
      {
        data: { values: rows },
        ...(yMin === undefined ? {} : { transform: [{ filter: `datum.bound >= ${yMin}` }] }),
        mark: { type: 'point', size: 10, opacity: 0.35, filled: true },
        encoding: {
          x: { field: 'log_j', type: 'quantitative', title: 'log J(π)' },
          y: { field: 'bound', type: 'quantitative', title: 'L_MnM(π, q), Eq. 3', ...yScale },
          color: { field: 'model', type: 'nominal', title: 'model q' },
        },
      },
      {
        data: {
          values: [
            { x: diagonal.lo, y: diagonal.lo },
            { x: diagonal.hi, y: diagonal.hi },
          ],
        },
        mark: { type: 'line', color: 'black', strokeDash: [4, 3] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  } satisfies VegaLiteSpec;
}

export interface GapRow {
  gap: number;
  group: string;
}

/** Histograms of a gap (≥ 0), one colour per group, overlaid. */
export function gapHistogramSpec(rows: GapRow[], xTitle: string, text: FigureText): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(text, 80),
    width: 420,
    height: 220,
    data: { values: rows },
    mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
    encoding: {
      x: { field: 'gap', type: 'quantitative', bin: { maxbins: 60 }, title: xTitle },
      y: { aggregate: 'count', type: 'quantitative', title: 'MDPs', stack: null },
      color: { field: 'group', type: 'nominal', title: null },
    },
  } satisfies VegaLiteSpec;
}
