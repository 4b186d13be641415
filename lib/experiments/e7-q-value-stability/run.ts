/**
 * E7 (paper Fig. 7a): Q-value stability. Stage A (stage-a-run.ts, seed 0 of every scale) shows the mechanism
 * exactly on a gridworld. Stage B (docs/EXPERIMENTS.md, "Stage B: pre-registration") asks it of deep agents on the
 * point maze, with a dynamics model that can be exploited by construction: it sees the position only to the centre
 * of a 0.2-wide cell, so for points just below the wall it predicts steps into or through it. Five arms per seed,
 * common random numbers (one seed key, lib/experiments/deep-runs.ts runSeedKey):
 *   sac        model-free SAC, the same G and τ: the lag control (its critic must match its return);
 *   mbpo       MBPO, capacity-limited model: the arm expected to over-estimate;
 *   mnm        MnM-approx (Eq. 9), the same capacity limit, task reward only: the paper's practical method;
 *   mnm-eq5    MnM-approx with the classifier term in the policy's reward (Eq. 5): the paper's theory;
 *   mbpo-full  MBPO with the full-resolution model: the negative control.
 * At every evaluation each arm records its mean Q estimate min(Q1, Q2)(s_t, a_t) on its own evaluation episodes,
 * their soft Monte Carlo return, and the fraction of its last model round's rollout transitions that step
 * through the wall (the positive control).
 */
import type { ConfigSpec } from '../../config';
import type { SeedContext, SeedResult } from '../../experiment';
import { STAGE_B } from './stage-b-measure';
import {
  type Algo,
  DEEP_SETTINGS_RULES,
  type DeepSettings,
  deepRun,
  type MazeConfig,
  type RunRow,
  type Task,
  taskSettings,
} from '../deep-runs';
import { randomLevelRows, type RandomLevelRow } from '../deep-sanity';
import { stageARunsIn, stageATables, type StageATables } from './stage-a-run';
import type { Scale } from '../../experiment';

export const E7_TASK: 'point-maze' = 'point-maze' satisfies Task;

export const ARMS = ['sac', 'mbpo', 'mnm', 'mnm-eq5', 'mbpo-full'] as const;
export type Arm = (typeof ARMS)[number];
export const ARM_LABEL: Record<Arm, string> = {
  sac: 'SAC (model-free)',
  mbpo: 'MBPO',
  mnm: 'MnM-approx',
  'mnm-eq5': 'MnM-approx + Eq. 5 term',
  'mbpo-full': 'MBPO, full-resolution model',
};

/** E7's config (E8 reads the same runs with it): the maze settings of every arm, the Pendulum ones, and the capacity limit. */
export interface StageBConfig extends MazeConfig {
  /** The cell width of the capacity-limited arms' model input (mbpo, mnm, mnm-eq5); mbpo-full sees the exact position. */
  cell: number;
}

/**
 * The maze settings of Stage B at a scale: the scale's, with τ chosen from the budget so the target critic's lag
 * is removed at the window (τ(1−γ)u ≥ 4 at its first evaluation; paper: the pre-registered 0.04, which gives 6.0).
 */
export function stageBSettings(scale: Scale): DeepSettings {
  const s = taskSettings(E7_TASK, scale);
  const firstInWindow = Math.floor((2 * s.envSteps) / 3 / s.evalEvery + 1) * s.evalEvery;
  const u = Math.max(1, (Math.min(firstInWindow, s.envSteps) - s.randomSteps) * s.updatesPerStep);
  return { ...s, tau: Math.min(1, Math.max(STAGE_B.tau, STAGE_B.minLagDecay / ((1 - s.gamma) * u))) };
}

export const STAGE_B_CONFIG: ConfigSpec<StageBConfig> = {
  defaults: (scale) => ({ 'point-maze': stageBSettings(scale), pendulum: taskSettings('pendulum', scale), cell: 0.2 }),
  rules: {
    'point-maze': DEEP_SETTINGS_RULES,
    pendulum: DEEP_SETTINGS_RULES,
    cell: (x) => (x > 0 && x <= 2 ? null : 'must be in (0, 2] (a cell of the [−1, 1] arena)'),
  },
};

/**
 * The run of one arm: its algorithm, settings and name. Every arm has a variant, since its settings (Stage B's τ,
 * the coarse model) are not the point maze's defaults that E9 and E10 train with: runs that share a name would
 * share a file in the reference.
 */
export function armRun(arm: Arm, c: StageBConfig): { algo: Algo; settings: DeepSettings; variant: string } {
  const s = c[E7_TASK];
  switch (arm) {
    case 'sac':
      return { algo: 'sac', settings: s, variant: 'stage-b' };
    case 'mbpo':
      return { algo: 'mbpo', settings: { ...s, modelInputCell: c.cell }, variant: 'coarse' };
    case 'mnm':
      return { algo: 'mnm', settings: { ...s, modelInputCell: c.cell }, variant: 'coarse' };
    case 'mnm-eq5':
      return { algo: 'mnm', settings: { ...s, modelInputCell: c.cell, classifierRewardWeight: 1 }, variant: 'coarse-eq5' };
    case 'mbpo-full':
      return { algo: 'mbpo', settings: { ...s, modelInputCell: 0 }, variant: 'full' };
  }
}

/** The evaluation rows of every arm of one seed (memoised and cached: E7 and E8 share them). */
export async function armRuns(ctx: SeedContext<StageBConfig>): Promise<{ arm: Arm; rows: RunRow[] }[]> {
  const out: { arm: Arm; rows: RunRow[] }[] = [];
  for (const [i, arm] of ARMS.entries()) {
    const { algo, settings, variant } = armRun(arm, ctx.config);
    const rows = await deepRun({ task: E7_TASK, algo, scale: ctx.scale, seed: ctx.seed, settings, variant }, (done, total, note) =>
      ctx.progress(i * total + done, ARMS.length * total, `${ARM_LABEL[arm]} ${note ?? ''}`.trim()),
    );
    out.push({ arm, rows });
  }
  return out;
}

export type QRow = {
  seed: number;
  arm: Arm;
  step: number;
  q_estimate: number;
  mc_return: number;
  mc_task_return: number;
  eval_return: number;
  /** Of the last model round's rollout transitions, the fraction that stepped through the wall (null: no model yet, or SAC). */
  model_crossing: number | null;
  backend: string;
};

export type E7Tables = { q_values: QRow[]; random_level: RandomLevelRow[] } & StageATables;

export async function runSeed(ctx: SeedContext<StageBConfig>): Promise<SeedResult<E7Tables>> {
  // Stage A first: exact, seconds, in seed 0 of every scale.
  const stageA: StageATables = stageARunsIn(ctx.seed) ? stageATables() : { stage_a_states: [], stage_a_paths: [] };
  const rows: QRow[] = [];
  for (const { arm, rows: run } of await armRuns(ctx)) {
    for (const r of run) {
      rows.push({
        seed: ctx.seed,
        arm,
        step: r.step,
        q_estimate: r.q_estimate,
        mc_return: r.mc_return,
        mc_task_return: r.mc_task_return,
        eval_return: r.eval_return,
        model_crossing: r.model_crossing,
        backend: r.backend,
      });
    }
  }
  return { tables: { q_values: rows, random_level: await randomLevelRows(ctx, [E7_TASK]), ...stageA } };
}
