/** Learning curves: the mean of each method as a line, with its confidence band as a shaded area. */
import type { VegaLiteSpec } from '../experiment';
import type { Layer } from './spec';

export interface CurveRow {
  method: string;
  /** x value (e.g. number of updates). */
  x: number;
  mean: number;
  lo: number;
  hi: number;
}

export interface CurveOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  /** Draw a dashed horizontal reference line here (e.g. the optimum). */
  reference?: { y: number; label: string };
  /** Legend order of the methods. */
  order?: string[];
  width?: number;
  height?: number;
}

export function learningCurveSpec(rows: CurveRow[], opts: CurveOptions): VegaLiteSpec {
  // Both layers carry the same legend definition (Vega-Lite merges them into one legend; differing ones warn).
  const color = {
    field: 'method',
    type: 'nominal' as const,
    title: null,
    legend: { labelLimit: 320, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
    ...(opts.order ? { sort: opts.order, scale: { domain: opts.order } } : {}),
  };
  const layers: Layer[] = [
    {
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: opts.xTitle },
        y: { field: 'lo', type: 'quantitative', title: opts.yTitle },
        y2: { field: 'hi' },
        color,
      },
    },
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'mean', type: 'quantitative' },
        color,
      },
    },
  ];
  if (opts.reference) {
    layers.push({
      data: { values: [{ y: opts.reference.y, label: opts.reference.label }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
      encoding: { y: { field: 'y', type: 'quantitative' }, tooltip: { field: 'label' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title,
    width: opts.width ?? 480,
    height: opts.height ?? 280,
    data: { values: rows },
    layer: layers,
  } satisfies VegaLiteSpec;
}
