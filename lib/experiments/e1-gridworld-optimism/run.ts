/**
 * E1 (Fig. 2a): learned MnM on the open 10×10 gridworld with noise and sparse reward, against Q-learning
 * on the true model and VMBPO; the learned model's q − p drawn as arrows next to the exact q*.
 *
 * Every learner does the same number of Q-learning updates (one per simulated step) and draws one
 * transition from the true p per update; progress is the exact true return of its greedy policy.
 * MnM uses the paper's Eq. 5 reward (log r + clipped classifier logit). Three rows are not in the paper:
 * 'MnM (sampled gradient)' (Eq. 9 by the score-function estimator instead of the exact gradient); the
 * control 'Q-learning (true model, log r)', which has MnM's reward transform but no model, to test the
 * paper's hypothesis that MnM's speed comes from its optimistic dynamics (on this map it is exactly
 * Q-learning with r started at Q0 = r_max/(1−γ)); and 'diagnostic: VMBPO with exact log p/q'.
 */
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { mean } from '../../stats';
import { gridKeys } from '../../tabular/classifier';
import { learnerConfigSpec, optimalReturn } from '../grid-learning';
import { makeGridworld, type Gridworld } from '../../tabular/gridworld';
import { dataMap, loadGridMap } from '../../tabular/map-files';
import { gridMoveStructure } from '../../tabular/learned-model';
import {
  DEFAULT_LEARNER,
  trainLearner,
  updatesToReach,
  type LearnerConfig,
  type LearnerProblem,
  type Method,
} from '../../tabular/mnm-agent';
import { arrowCosine, eq5OptimisticModel, fractionTowardGoal, modelShift } from '../../tabular/model-shift';
import { paperFig2aRun } from './paper-run';
import { runSeedWithSettings, withSettingConfig } from '../settings';

export const E1_MAP = 'e1-open-10x10.txt';

/** The methods E1 compares, by id. */
export type E1MethodId = 'mnm' | 'mnm-sampled' | 'q-true' | 'q-true-log' | 'vmbpo' | 'mnm-no-classifier' | 'vmbpo-oracle';

export interface Variant {
  key: E1MethodId;
  label: string;
  method: Method;
  gradient: 'exact' | 'sampled';
  /** Diagnostic rows: the exact log p/q in place of the learned classifier (still clipped). */
  oracle?: boolean;
}

export const E1_VARIANTS: Variant[] = [
  { key: 'mnm', label: 'MnM', method: 'mnm', gradient: 'exact' },
  { key: 'mnm-sampled', label: 'MnM (sampled gradient)', method: 'mnm', gradient: 'sampled' },
  { key: 'q-true', label: 'Q-learning (true model)', method: 'q-true', gradient: 'exact' },
  { key: 'q-true-log', label: 'Q-learning (true model, log r)', method: 'q-true-log', gradient: 'exact' },
  { key: 'vmbpo', label: 'VMBPO', method: 'vmbpo', gradient: 'exact' },
  { key: 'mnm-no-classifier', label: 'MnM without classifier', method: 'mnm-no-classifier', gradient: 'exact' },
  { key: 'vmbpo-oracle', label: 'diagnostic: VMBPO with exact log p/q', method: 'vmbpo', gradient: 'exact', oracle: true },
];

/** A policy counts as good once its true return reaches this fraction of the optimal return J*. */
export const GOOD_FRACTION = 0.9;

export const E1_SCALES: Record<Scale, Pick<LearnerConfig, 'updates' | 'evalEvery'>> = {
  smoke: { updates: 20000, evalEvery: 2000 },
  quick: { updates: 120000, evalEvery: 2000 },
  paper: { updates: 200000, evalEvery: 2000 },
};

type CurveRow = {
  seed: number;
  variant: string;
  method: string;
  update: number;
  ret: number;
  norm_return: number;
  reaches: boolean;
  reach_prob: number;
};
export type SummaryRow = {
  seed: number;
  variant: string;
  method: string;
  updates_to_good: number;
  reached_good: boolean;
  final_norm_return: number;
  mean_norm_return: number;
  final_reaches: boolean;
};
type ArrowSeedRow = { seed: number; row: number; col: number; d_row: number; d_col: number };
export type ModelRow = { seed: number; toward_goal: number; arrows_counted: number; cosine_with_qstar: number };
export type E1Tables = { curves: CurveRow[]; summary: SummaryRow[]; arrows: ArrowSeedRow[]; model: ModelRow[] };

export function e1Config(scale: Scale): LearnerConfig {
  return { ...DEFAULT_LEARNER, ...E1_SCALES[scale] };
}

export function e1Grid(): Gridworld {
  return makeGridworld(loadGridMap(dataMap(E1_MAP)));
}

export function e1Problem(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
}

export { optimalReturn };

function runProjectSeed(ctx: SeedContext<LearnerConfig>): SeedResult<E1Tables> {
  const g = e1Grid();
  const problem = e1Problem(g);
  const cfg = ctx.config;
  const jStar = optimalReturn(g);
  const curves: CurveRow[] = [];
  const summary: SummaryRow[] = [];
  const arrows: ArrowSeedRow[] = [];
  const modelRows: ModelRow[] = [];
  const qStar = eq5OptimisticModel(g.mdp).q;
  const starArrows = modelShift(g, qStar, g.mdp);
  E1_VARIANTS.forEach((v, vi) => {
    ctx.progress(vi, E1_VARIANTS.length, v.label);
    const res = trainLearner(problem, v.method, { ...cfg, modelGradient: v.gradient }, ctx.rng.fork(v.key), {
      oracleClassifier: v.oracle ?? false,
    });
    for (const p of res.curve) {
      curves.push({
        seed: ctx.seed,
        variant: v.key,
        method: v.label,
        update: p.update,
        ret: p.ret,
        norm_return: p.ret / jStar,
        reaches: p.reaches,
        reach_prob: p.reachProb,
      });
    }
    const good = updatesToReach(res.curve, GOOD_FRACTION * jStar);
    summary.push({
      seed: ctx.seed,
      variant: v.key,
      method: v.label,
      updates_to_good: good ?? cfg.updates,
      reached_good: good !== null,
      final_norm_return: res.curve[res.curve.length - 1].ret / jStar,
      mean_norm_return: mean(res.curve.map((p) => p.ret / jStar)),
      final_reaches: res.curve[res.curve.length - 1].reaches,
    });
    if (v.key === 'mnm' && res.model) {
      const shift = modelShift(g, res.model.toKernel(), g.mdp);
      for (const a of shift) arrows.push({ seed: ctx.seed, row: a.row, col: a.col, d_row: a.dRow, d_col: a.dCol });
      const tg = fractionTowardGoal(shift, g.cellOf(g.goal));
      modelRows.push({
        seed: ctx.seed,
        toward_goal: tg.fraction,
        arrows_counted: tg.counted,
        cosine_with_qstar: arrowCosine(shift, starArrows),
      });
    }
  });
  ctx.progress(E1_VARIANTS.length, E1_VARIANTS.length);
  return { tables: { curves, summary, arrows, model: modelRows } };
}

/** E1's parameters: the project setting's and `setting` (which setting(s) run). */
export const config = withSettingConfig(learnerConfigSpec(e1Config));
/** One seed: the project setting's tables, then the paper setting's (paper-run.ts). */
export const runSeed = runSeedWithSettings(runProjectSeed, paperFig2aRun);
