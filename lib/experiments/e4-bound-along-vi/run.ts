/**
 * E4 (Fig. 3b): the objectives along exact value iteration on the E1 grid (data/e1-open-10x10.txt).
 *
 * Two runs from V = 0: MnM value iteration and VMBPO value iteration. At sweep k each run has a greedy policy
 * π_k (argmax of the Q it just computed from V_{k−1}) and the model that sweep maximised over,
 * q_k ∝ p·exp(γ V_{k−1}). For each (π_k, q_k) we compute exactly: the run's own objective
 * (L_MnM(π_k, q_k) with the paper's Eq. 3, or L_VMBPO(π_k, q_k)), the true return J(π_k) and log J(π_k),
 * and, for the same policy, the best value either objective can reach over all models
 * (max_q L_MnM(π_k, q) and max_q L_VMBPO(π_k, q)). Deterministic: one run per scale.
 */
import { rules } from '../../config';
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { dot } from '../../tabular/evaluate';
import { makeGridworld, type Gridworld } from '../../tabular/gridworld';
import { dataMap, loadGridMap } from '../../tabular/map-files';
import {
  bestModelValue,
  greedyPolicy,
  mnmObjective,
  optimisticModel,
  policyReturn,
  valueIteration,
  vmbpoObjective,
} from '../../tabular/solve';
import { paperFig3bRun } from './paper-run';
import { runSeedWithSettings, withSettingConfig } from '../settings';

export const ID = 'e4-bound-along-vi';

export function e4Grid(): Gridworld {
  // dataMap finds data/ from this file's real location, so notebooks (lib/ through a symlink) work too.
  return makeGridworld(loadGridMap(dataMap('e1-open-10x10.txt')));
}

/** E4's parameter: which sweeps are evaluated (the first 10, then every `recordEvery`-th, and the last). */
export interface E4Config {
  recordEvery: number;
}

export const E4_CONFIG = {
  // Every sweep, except at smoke scale.
  defaults: (scale: Scale): E4Config => ({ recordEvery: scale === 'smoke' ? 10 : 1 }),
  rules: { recordEvery: rules.intAtLeast(1) },
};

function recorded(recordEvery: number, it: number): boolean {
  return it <= 10 || it % recordEvery === 0;
}

const TOL = 1e-10;

/** One evaluated sweep of one value-iteration run. */
export type AlongRow = {
  run: 'mnm' | 'vmbpo';
  iteration: number;
  change: number;
  value_estimate: number;
  mnm_objective: number;
  mnm_gamma_objective: number;
  vmbpo_objective: number;
  J: number;
  log_J: number;
  mnm_best_model: number;
  vmbpo_best_model: number;
};
export type E4Tables = { along: AlongRow[] };

/** Runs one value iteration and evaluates every objective at the recorded sweeps (always including the last). */
export function objectivesAlongVI(
  g: Gridworld,
  backup: 'mnm' | 'vmbpo',
  recordEvery: number,
  progress?: (sweep: number) => void,
): AlongRow[] {
  const { mdp } = g;
  const rows: AlongRow[] = [];
  let prev = new Float64Array(mdp.S); // V_{k−1}; the first sweep starts from 0
  valueIteration(mdp, backup, {
    tol: TOL,
    onSweep: (it, V, Q, change) => {
      if (recorded(recordEvery, it) || change < TOL) {
        const pi = greedyPolicy(Q, mdp.S, mdp.A);
        const q = optimisticModel(mdp, prev);
        const J = policyReturn(mdp, pi);
        rows.push({
          run: backup,
          iteration: it,
          change,
          // p0·V_k: the run's own value estimate after sweep k
          value_estimate: dot(mdp.p0, V),
          mnm_objective: mnmObjective(mdp, pi, q),
          mnm_gamma_objective: mnmObjective(mdp, pi, q, { variant: 'gamma-weighted' }),
          vmbpo_objective: vmbpoObjective(mdp, pi, q),
          J,
          log_J: Math.log(J),
          mnm_best_model: dot(mdp.p0, bestModelValue(mdp, pi, 'mnm')),
          vmbpo_best_model: dot(mdp.p0, bestModelValue(mdp, pi, 'vmbpo')),
        });
      }
      prev = V.slice();
      progress?.(it);
    },
  });
  return rows;
}

function runProjectSeed(ctx: SeedContext<E4Config>): SeedResult<E4Tables> {
  const g = e4Grid();
  const along: AlongRow[] = [];
  for (const backup of ['mnm', 'vmbpo'] as const) {
    along.push(...objectivesAlongVI(g, backup, ctx.config.recordEvery, (it) => ctx.progress(it, 900, backup)));
  }
  return { tables: { along } };
}

/** E4's parameters: the project setting's and `setting` (which setting(s) run). */
export const config = withSettingConfig(E4_CONFIG);
/** One seed: the project setting's tables, then the paper setting's (paper-run.ts). */
export const runSeed = runSeedWithSettings(runProjectSeed, paperFig3bRun);
