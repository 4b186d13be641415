/**
 * E7 (paper Fig. 7a): Q-value stability. SAC trained on MBPO's likelihood-model rollouts against SAC trained
 * on MnM-approx's model rollouts, on the point maze (a wall a learned model can let the agent pass through).
 * At every evaluation: the agent's mean Q estimate min(Q1, Q2)(s_t, a_t) on the states and actions of its own
 * evaluation episodes, and the Monte Carlo discounted return from those same steps (continued past the time
 * limit). The paper: MBPO's Q values grow far above the true returns (model exploitation), MnM-approx's
 * stay close. Stage A (stage-a-run.ts, seed 0 of every scale) shows the mechanism exactly on a gridworld.
 */
import type { SeedContext, SeedResult } from '../../experiment';
import { ALGO_LABEL, type Algo, deepRun, type MazeConfig, type Task } from '../deep-runs';
import { randomLevelRows, type RandomLevelRow, sanityRows, type SanityRow } from '../deep-sanity';
import { stageARunsIn, stageATables, type StageATables } from './stage-a-run';

export const E7_TASK: 'point-maze' = 'point-maze' satisfies Task;
export const ALGOS = ['mbpo', 'mnm'] as const satisfies readonly Algo[];

export type QRow = {
  seed: number;
  algo: Algo;
  step: number;
  q_estimate: number;
  mc_return: number;
  mc_task_return: number;
  eval_return: number;
  backend: string;
};

export type E7Tables = { q_values: QRow[]; sanity: SanityRow[]; random_level: RandomLevelRow[] } & StageATables;

export async function runSeed(ctx: SeedContext<MazeConfig>): Promise<SeedResult<E7Tables>> {
  // Stage A first: exact, seconds, in seed 0 of every scale.
  const stageA: StageATables = stageARunsIn(ctx.seed) ? stageATables() : { stage_a_states: [], stage_a_paths: [] };
  const rows: QRow[] = [];
  for (const [i, algo] of ALGOS.entries()) {
    const run = await deepRun(
      { task: E7_TASK, algo, scale: ctx.scale, seed: ctx.seed, settings: ctx.config[E7_TASK] },
      (done, total, note) => ctx.progress(i * total + done, ALGOS.length * total, `${ALGO_LABEL[algo]} ${note ?? ''}`.trim()),
    );
    for (const r of run) {
      rows.push({
        seed: ctx.seed,
        algo,
        step: r.step,
        q_estimate: r.q_estimate,
        mc_return: r.mc_return,
        mc_task_return: r.mc_task_return,
        eval_return: r.eval_return,
        backend: r.backend,
      });
    }
  }
  // Pendulum SAC and MBPO, and SAC on the maze (shared with E10): the sanity bars that decide whether this scale can answer.
  return {
    tables: {
      q_values: rows,
      sanity: await sanityRows(ctx, [E7_TASK], ctx.config),
      random_level: await randomLevelRows(ctx, [E7_TASK]),
      ...stageA,
    },
  };
}
