/**
 * E9 (paper Fig. 12): the model rollout horizon k. MnM-approx on the point maze with k = 1, 3, 5, 10 model
 * steps per rollout (everything else fixed); the final evaluation return of each. The paper (App. C) finds
 * that performance degrades, roughly linearly, as the horizon grows. k = 1 is the run E10 uses.
 */
import { rules } from '../../config';
import type { SeedContext, SeedResult } from '../../experiment';
import { deepRun, type Task } from '../deep-runs';
import { randomLevelRows, type RandomLevelRow, sanityRows, type SanityRow } from '../deep-sanity';

export const HORIZONS = [1, 3, 5, 10];
export const TASK: Task = 'point-maze';

export type HRow = {
  seed: number;
  horizon: number;
  step: number;
  eval_return: number;
};

/** E9's parameter: the rollout horizons compared (the claim compares the first with the last). */
export interface E9Config {
  horizons: number[];
}

export const E9_CONFIG = {
  defaults: (): E9Config => ({ horizons: [...HORIZONS] }),
  rules: {
    horizons: (ks: number[]) => rules.everyOf(rules.intAtLeast(1))(ks) ?? (ks.length < 2 ? 'must hold at least 2 horizons' : null),
  },
};

export type E9Tables = { horizon_returns: HRow[]; sanity: SanityRow[]; random_level: RandomLevelRow[] };

export async function runSeed(ctx: SeedContext<E9Config>): Promise<SeedResult<E9Tables>> {
  const { horizons } = ctx.config;
  const rows: HRow[] = [];
  for (const [i, horizon] of horizons.entries()) {
    const run = await deepRun({ task: TASK, algo: 'mnm', scale: ctx.scale, seed: ctx.seed, horizon }, (done, total, note) =>
      ctx.progress(i * total + done, horizons.length * total, `k=${horizon} ${note ?? ''}`.trim()),
    );
    for (const r of run) rows.push({ seed: ctx.seed, horizon, step: r.step, eval_return: r.eval_return });
  }
  // Pendulum SAC, standard SAC and MBPO at E9's own settings: the sanity bars that decide whether this scale can answer.
  return { tables: { horizon_returns: rows, sanity: await sanityRows(ctx, [TASK]), random_level: await randomLevelRows(ctx, [TASK]) } };
}
