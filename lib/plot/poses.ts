/**
 * A strip of poses of a MuJoCo task over an episode: the model's capsules (MujocoEnv.capsules()) drawn as
 * thick segments in the x–z plane, one small panel per sampled step, metres to pixels at the same scale on
 * both axes so the bodies keep their shape.
 */
import type { VegaLiteSpec } from '../experiment';

export interface PoseSegment {
  step: number;
  geom: string;
  x1: number;
  z1: number;
  x2: number;
  z2: number;
  radius: number;
}

export function poseStripSpec(
  segments: PoseSegment[],
  opts: { title: string; x: [number, number]; z: [number, number]; pxPerMetre: number; ground?: boolean },
): VegaLiteSpec {
  const width = (opts.x[1] - opts.x[0]) * opts.pxPerMetre;
  const height = (opts.z[1] - opts.z[0]) * opts.pxPerMetre;
  const x = { field: 'x1', type: 'quantitative' as const, scale: { domain: opts.x }, title: 'x (m)' };
  const y = { field: 'z1', type: 'quantitative' as const, scale: { domain: opts.z }, title: 'z (m)' };
  const layers: object[] = [
    {
      mark: { type: 'rule', strokeCap: 'round' },
      encoding: {
        x,
        y,
        x2: { field: 'x2' },
        y2: { field: 'z2' },
        // A capsule's diameter in pixels.
        strokeWidth: { field: 'px', type: 'quantitative', scale: null, legend: null },
        color: { field: 'geom', type: 'nominal', title: 'body part' },
        tooltip: [{ field: 'geom' }, { field: 'step' }],
      },
    },
  ];
  if (opts.ground) layers.unshift({ mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0 } } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title,
    data: { values: segments.map((s) => ({ ...s, px: Math.max(1, 2 * s.radius * opts.pxPerMetre) })) },
    facet: { column: { field: 'step', type: 'ordinal', title: 'env step' } },
    spec: { width, height, layer: layers },
    resolve: { scale: { color: 'shared' } },
  } as VegaLiteSpec;
}
