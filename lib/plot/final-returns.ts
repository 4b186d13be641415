/**
 * Final returns per group: one dot per seed, the mean as a tick with a ±1 std bar (computed by the caller),
 * optionally a shaded reference range (e.g. published returns) — for E9 (x = rollout horizon) and E10
 * (x = algorithm, one panel per task).
 */
import type { VegaLiteSpec } from '../experiment';
import { mean, std } from '../stats';
import { figureTitle, type FigureText, type Layer, wrapLines } from './spec';

export interface SeedPoint {
  panel: string;
  x: string;
  seed: number;
  value: number;
}
export interface GroupSummary {
  panel: string;
  x: string;
  mean: number;
  lo: number;
  hi: number;
  /** Seeds behind the mean: with one there is no spread to draw, and the bar is left out rather than drawn as ± 0. */
  seeds?: number;
}
/** One group's mean with a ±1 std bar, as finalReturnsSpec draws it, and its spread and seed count (the tables). */
export function groupSummary(panel: string, x: string, values: number[]): GroupSummary & { std: number; seeds: number } {
  const m = mean(values);
  const sd = std(values);
  return { panel, x, mean: m, lo: m - sd, hi: m + sd, std: sd, seeds: values.length };
}

export interface ReferenceRange {
  panel: string;
  lo: number;
  hi: number;
  label: string;
}

export function finalReturnsSpec(
  points: SeedPoint[],
  summary: GroupSummary[],
  opts: FigureText & {
    xTitle: string;
    yTitle: string;
    order?: string[];
    references?: ReferenceRange[];
    /** Per panel, the values a return can take ([min, max], null for unbounded): a ±1 std bar is cut there. */
    bounds?: Record<string, [number | null, number | null]>;
  },
): VegaLiteSpec {
  const cut = (panel: string, v: number) => {
    const [min, max] = opts.bounds?.[panel] ?? [null, null];
    return Math.min(max ?? Infinity, Math.max(min ?? -Infinity, v));
  };
  const bars = summary.filter((g) => (g.seeds ?? 2) > 1).map((g) => ({ ...g, lo: cut(g.panel, g.lo), hi: cut(g.panel, g.hi) }));
  // The column's centre for the mean and its bar (the dots' offsets spread around it: the band's offset scale).
  const centre = { datum: 0, type: 'quantitative' as const };
  const x = {
    field: 'x',
    type: 'nominal' as const,
    title: opts.xTitle,
    ...(opts.order ? { sort: opts.order } : {}),
    axis: { labelAngle: 0 },
  };
  const panels = [...new Set(points.map((p) => p.panel))];
  // Dots of one group spread across its column by seed order, so equal values (many seeds at a task's maximum)
  // stay countable instead of drawing one over another.
  const spread = points.map((p) => {
    const group = points.filter((q) => q.panel === p.panel && q.x === p.x).map((q) => q.seed);
    const rank = group.filter((s) => s < p.seed).length;
    return { ...p, offset: group.length > 1 ? rank / (group.length - 1) - 0.5 : 0 };
  });
  const layer = (panel: string) => {
    const layers: Layer[] = [];
    const ref = opts.references?.find((r) => r.panel === panel);
    if (ref) {
      layers.push({
        data: { values: [ref] },
        mark: { type: 'rect', opacity: 0.15, color: 'green' },
        encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, tooltip: { field: 'label' } },
      });
    }
    layers.push(
      {
        data: { values: bars.filter((s) => s.panel === panel) },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, xOffset: centre, y: { field: 'lo', type: 'quantitative', title: opts.yTitle }, y2: { field: 'hi' } },
      },
      {
        data: { values: summary.filter((s) => s.panel === panel) },
        mark: { type: 'tick', thickness: 3, size: 28 },
        encoding: { x, xOffset: centre, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'mean', format: '.1f' }] },
      },
      {
        data: { values: spread.filter((p) => p.panel === panel) },
        mark: { type: 'circle', size: 45, opacity: 0.7 },
        encoding: {
          x,
          xOffset: { field: 'offset', type: 'quantitative', scale: { domain: [-0.8, 0.8] } },
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'seed', type: 'nominal', title: 'seed' },
          tooltip: [{ field: 'seed' }, { field: 'value', format: '.1f' }],
        },
      },
    );
    // The reference's label goes under the panel's title, in the band's colour: inside the plot it would cover the dots.
    const title = ref ? { text: panel, subtitle: wrapLines(ref.label, 44), subtitleColor: '#2a6a2a', subtitleFontSize: 10 } : panel;
    return { title, width: 260, height: 240, layer: layers };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round((panels.length * 290) / 6.5)),
    hconcat: panels.map(layer),
    resolve: { scale: { y: 'independent' } },
  } satisfies VegaLiteSpec;
}
