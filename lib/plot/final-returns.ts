/**
 * Final returns per group: one dot per seed, the mean as a tick with a ±1 std bar (computed by the caller),
 * optionally a shaded reference range (e.g. published returns) — for E9 (x = rollout horizon) and E10
 * (x = algorithm, one panel per task).
 */
import type { VegaLiteSpec } from '../experiment';
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
  opts: FigureText & { xTitle: string; yTitle: string; order?: string[]; references?: ReferenceRange[] },
): VegaLiteSpec {
  const x = {
    field: 'x',
    type: 'nominal' as const,
    title: opts.xTitle,
    ...(opts.order ? { sort: opts.order } : {}),
    axis: { labelAngle: 0 },
  };
  const panels = [...new Set(points.map((p) => p.panel))];
  const layer = (panel: string) => {
    const layers: Layer[] = [];
    const ref = opts.references?.find((r) => r.panel === panel);
    if (ref) {
      layers.push({
        data: { values: [ref] },
        mark: { type: 'rect', opacity: 0.15, color: 'green' },
        encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, tooltip: { field: 'label' } },
      });
      // The band's label, inside it at the top left (wrapped: it names the source).
      layers.push({
        data: { values: [{ ...ref, lines: wrapLines(ref.label, 40) }] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, color: '#2a6a2a', fontSize: 10, lineHeight: 11 },
        encoding: { y: { field: 'hi', type: 'quantitative' }, x: { value: 0 }, text: { field: 'lines' } },
      });
    }
    layers.push(
      {
        data: { values: summary.filter((s) => s.panel === panel) },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative', title: opts.yTitle }, y2: { field: 'hi' } },
      },
      {
        data: { values: summary.filter((s) => s.panel === panel) },
        mark: { type: 'tick', thickness: 3, size: 28 },
        encoding: { x, y: { field: 'mean', type: 'quantitative' }, tooltip: [{ field: 'mean', format: '.1f' }] },
      },
      {
        data: { values: points.filter((p) => p.panel === panel) },
        mark: { type: 'circle', size: 45, opacity: 0.7 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative' },
          color: { field: 'seed', type: 'nominal', title: 'seed' },
          tooltip: [{ field: 'seed' }, { field: 'value', format: '.1f' }],
        },
      },
    );
    return { title: panel, width: 260, height: 240, layer: layers };
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round((panels.length * 290) / 6.5)),
    hconcat: panels.map(layer),
    resolve: { scale: { y: 'independent' } },
  } satisfies VegaLiteSpec;
}
