/**
 * E8 (paper Fig. 7b): model error while training MnM-approx. The validation MSE (mean next observation,
 * held-out real transitions, elite members) of the MnM-approx model over training, one line per seed; the
 * dashed line is the best validation MSE a likelihood-trained (MBPO) model reached on the same task and
 * scale (mean over seeds of each run's minimum). Reads the same runs as E7 (its five arms; SAC has no model).
 */
import type { SeedContext, SeedResult } from '../../experiment';
import { type Arm, armRuns, type StageBConfig } from '../e7-q-value-stability/run';

export type MseRow = {
  seed: number;
  arm: Arm;
  step: number;
  /** On held-out real transitions (the replay buffer: every policy so far). */
  model_val_mse: number;
  /** On the transitions of the evaluation episodes: the current policy's own states. */
  model_policy_mse: number | null;
  /** Of the last model round: its training epochs (MBPO's plateau; null for MnM-approx's fixed steps) and rollout transitions. */
  model_epochs: number | null;
  model_rollouts: number | null;
  /** Of those rollout transitions, the fraction that stepped through the wall. */
  model_crossing: number | null;
};

export type E8Tables = { model_mse: MseRow[] };

export async function runSeed(ctx: SeedContext<StageBConfig>): Promise<SeedResult<E8Tables>> {
  const rows: MseRow[] = [];
  for (const { arm, rows: run } of await armRuns(ctx)) {
    for (const r of run) {
      if (r.model_val_mse !== null)
        rows.push({
          seed: ctx.seed,
          arm,
          step: r.step,
          model_val_mse: r.model_val_mse,
          model_policy_mse: r.model_policy_mse,
          model_epochs: r.model_epochs,
          model_rollouts: r.model_rollouts,
          model_crossing: r.model_crossing,
        });
    }
  }
  // No Pendulum runs here: E8's claim is about how the models train, read from Stage B's runs; the sanity bars of
  // the agents are E10's, which runs them.
  return { tables: { model_mse: rows } };
}
