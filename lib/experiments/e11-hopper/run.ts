/**
 * E11 (paper Fig. 4a, Hopper): MnM-approx, MBPO and model-free SAC on MuJoCo's Hopper-v5 (Gymnasium's
 * semantics, lib/envs/mujoco), the same loop and evaluation as E10. Hopper needs far more env steps than a
 * laptop gives: its config `size: 'cluster'` trains MBPO-sized runs (125k env steps each), meant to be
 * spread over a cluster (docs/mujoco.md: measured wall time per seed, the Slurm recipe, and
 * configs/hopper-cluster.json). At smoke/quick/paper scale it runs small (a check that everything runs).
 */
import { type ConfigSpec, rules } from '../../config';
import type { SeedContext, SeedResult } from '../../experiment';
import { ALGO_LABEL, type Algo, deepRun, runConfig, type RunSize } from '../deep-runs';

const ALGOS: Algo[] = ['sac', 'mbpo', 'mnm'];

export interface HopperConfig {
  /** Which agents to train. */
  algos: Algo[];
  /** 'scale': the scale's sizes; 'cluster': MBPO-sized runs (125k env steps). */
  size: RunSize;
}

export const config: ConfigSpec<HopperConfig> = {
  defaults: () => ({ algos: [...ALGOS], size: 'scale' }),
  rules: {
    algos: rules.everyOf(rules.oneOf(ALGOS)),
    size: rules.oneOf<RunSize>(['scale', 'cluster']),
  },
};

export type HRow = {
  seed: number;
  algo: Algo;
  step: number;
  eval_return: number;
};
export type E11Tables = { returns: HRow[] };

export async function runSeed(ctx: SeedContext<HopperConfig>): Promise<SeedResult<E11Tables>> {
  const rows: HRow[] = [];
  const { algos, size } = ctx.config;
  const total = algos.reduce((a, algo) => a + runConfig('hopper', algo, ctx.scale, 1, size).totalSteps, 0);
  let before = 0;
  for (const algo of algos) {
    const run = await deepRun({ task: 'hopper', algo, scale: ctx.scale, seed: ctx.seed, size }, (done, _t, note) =>
      ctx.progress(before + done, total, `hopper ${ALGO_LABEL[algo]} ${note ?? ''}`.trim()),
    );
    before += runConfig('hopper', algo, ctx.scale, 1, size).totalSteps;
    for (const r of run) rows.push({ seed: ctx.seed, algo, step: r.step, eval_return: r.eval_return });
  }
  return { tables: { returns: rows } };
}
