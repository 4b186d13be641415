/**
 * E2 (Fig. 2b): a capacity-limited model on a grid with obstacles finer than its 3×3 blocks.
 *
 * The model (lib/tabular/learned-model.ts `blockStructure`) predicts one distribution over the relative
 * moves {up, down, left, right, stay} per (3×3 block, action) and cannot see the obstacles: it moves the
 * agent through a wall to the next free cell, a transition the true p never makes. The classifier's
 * capacity is limited too ('block-move', lib/tabular/classifier.ts): it sees only the block of s, the
 * action and the relative move s' − s, not the exact s — the model's resolution, plus the move it judges.
 * The row 'MnM, classifier sees block and exact s'' uses the other limited classifier docs/MATH.md mentions
 * (block of s, exact s'). Success: the most likely path of the final greedy policy in the true
 * environment reaches the goal.
 */
import { learnerConfigSpec } from '../grid-learning';
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { mean } from '../../stats';
import { gridKeys, type ClassifierCapacity, type TabularClassifier } from '../../tabular/classifier';
import { makeGridworld, type Gridworld } from '../../tabular/gridworld';
import { dataMap, loadGridMap } from '../../tabular/map-files';
import { blockStructure, type LearnedModel } from '../../tabular/learned-model';
import { DEFAULT_LEARNER, trainLearner, type LearnerConfig, type Method } from '../../tabular/mnm-agent';
import { likelyPath } from '../../tabular/progress';
import { greedyPolicy, policyReturn, valueIteration } from '../../tabular/solve';
import { paperFig2bRun } from './paper-run';
import { runSeedWithSettings, withSettingConfig } from '../settings';

export const E2_MAP = 'e2-fine-walls-12x12.txt';

/** The methods E2 compares, by id. */
export type E2MethodId = 'mnm' | 'mnm-no-classifier' | 'mnm-block-next' | 'learned-clip30' | 'oracle-clip10' | 'oracle-clip30';

export interface E2Variant {
  key: E2MethodId;
  label: string;
  method: Method;
  classifier: ClassifierCapacity;
  /** Diagnostic rows: the exact log p/q instead of the learned classifier, clipped at `clip`. */
  oracle?: boolean;
  clip?: number;
}

export const E2_VARIANTS: E2Variant[] = [
  { key: 'mnm', label: 'MnM', method: 'mnm', classifier: 'block-move' },
  { key: 'mnm-no-classifier', label: 'MnM without classifier', method: 'mnm-no-classifier', classifier: 'block-move' },
  { key: 'mnm-block-next', label: "MnM, classifier sees block and exact s'", method: 'mnm', classifier: 'block-next' },
  { key: 'learned-clip30', label: 'diagnostic: learned classifier, clip ±30', method: 'mnm', classifier: 'block-move', clip: 30 },
  { key: 'oracle-clip10', label: 'diagnostic: exact log p/q, clip ±10', method: 'mnm', classifier: 'block-move', oracle: true, clip: 10 },
  { key: 'oracle-clip30', label: 'diagnostic: exact log p/q, clip ±30', method: 'mnm', classifier: 'block-move', oracle: true, clip: 30 },
];

/**
 * How the model and classifier treat wall-crossing transitions (a candidate more than one cell away,
 * which the true p never produces): the classifier's clipped logit averaged with weights q (where the
 * model puts its crossing mass), and the mean mass q puts on them in the rows that have one.
 */
export function wallCrossingStats(
  g: Gridworld,
  model: LearnedModel,
  classifier: TabularClassifier,
  clip: number,
): { logit: number; mass: number } {
  const { S, A } = g.mdp;
  const q = new Float64Array(model.maxRowSize);
  let logitSum = 0;
  let weight = 0;
  const masses: number[] = [];
  for (let s = 0; s < S; s++) {
    const [r0, c0] = g.cellOf(s);
    for (let a = 0; a < A; a++) {
      const n = model.rowProbs(s, a, q);
      let mass = 0;
      let any = false;
      for (let j = 0; j < n; j++) {
        const t = model.targetOf(s, a, j);
        const [r, c] = g.cellOf(t);
        if (Math.abs(r - r0) + Math.abs(c - c0) > 1) {
          any = true;
          mass += q[j];
          logitSum += q[j] * classifier.clippedLogit(s, a, t, clip);
          weight += q[j];
        }
      }
      if (any) masses.push(mass);
    }
  }
  return { logit: weight > 0 ? logitSum / weight : NaN, mass: mean(masses) };
}

export const E2_SCALES: Record<Scale, Pick<LearnerConfig, 'updates' | 'evalEvery'>> = {
  smoke: { updates: 30000, evalEvery: 5000 },
  quick: { updates: 200000, evalEvery: 5000 },
  paper: { updates: 400000, evalEvery: 5000 },
};

export function e2Config(scale: Scale): LearnerConfig {
  return { ...DEFAULT_LEARNER, ...E2_SCALES[scale], episodeLength: 100, reachHorizon: 100 };
}

export function e2Grid(): Gridworld {
  return makeGridworld(loadGridMap(dataMap(E2_MAP)));
}

/** Free cells with an obstacle ('#') as a 4-neighbour (the grid's outer edge does not count). */
export function nextToObstacle(g: Gridworld, s: number): boolean {
  const [r, c] = g.cellOf(s);
  const wall = (rr: number, cc: number) => rr >= 0 && rr < g.rows && cc >= 0 && cc < g.cols && g.stateAt(rr, cc) < 0;
  return wall(r - 1, c) || wall(r + 1, c) || wall(r, c - 1) || wall(r, c + 1);
}

/**
 * The augmented reward of Eq. 5 the policy sees in each state, averaged over the actions:
 * Σ_a (1/A) Σ_{s'} q(s'|s,a) [log r(s,a) + clip(logit C(s,a,s'))].
 */
export function augmentedRewardMap(g: Gridworld, model: LearnedModel, classifier: TabularClassifier, clip: number): number[] {
  const { S, A, reward } = g.mdp;
  const q = new Float64Array(model.maxRowSize);
  const out: number[] = [];
  for (let s = 0; s < S; s++) {
    let acc = 0;
    for (let a = 0; a < A; a++) {
      const n = model.rowProbs(s, a, q);
      for (let j = 0; j < n; j++)
        acc += (q[j] * (Math.log(reward[s * A + a]) + classifier.clippedLogit(s, a, model.targetOf(s, a, j), clip))) / A;
    }
    out.push(acc);
  }
  return out;
}

type CurveRow = {
  seed: number;
  variant: string;
  method: string;
  update: number;
  norm_return: number;
  reaches: boolean;
  reach_prob: number;
};
export type SummaryRow = {
  seed: number;
  variant: string;
  method: string;
  success: boolean;
  reach_prob: number;
  final_norm_return: number;
  path_length: number;
  aug_next_to_obstacle: number;
  aug_elsewhere: number;
  crossing_logit: number | null;
  crossing_mass: number | null;
};
type PathRow = { seed: number; variant: string; method: string; step: number; row: number; col: number };
type HeatRow = { seed: number; variant: string; row: number; col: number; value: number };
export type E2Tables = { curves: CurveRow[]; summary: SummaryRow[]; paths: PathRow[]; heat: HeatRow[] };

function runProjectSeed(ctx: SeedContext<LearnerConfig>): SeedResult<E2Tables> {
  const g = e2Grid();
  const cfg = ctx.config;
  const jStar = policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
  const structure = blockStructure(g);
  const curves: CurveRow[] = [];
  const summary: SummaryRow[] = [];
  const paths: PathRow[] = [];
  const heat: HeatRow[] = [];
  E2_VARIANTS.forEach((v, vi) => {
    ctx.progress(vi, E2_VARIANTS.length, v.label);
    const problem = { mdp: g.mdp, goal: g.goal, structure, classifierKeys: gridKeys(g, v.classifier) };
    const vcfg = { ...cfg, logitClip: v.clip ?? cfg.logitClip };
    const res = trainLearner(problem, v.method, vcfg, ctx.rng.fork(v.key), { oracleClassifier: v.oracle ?? false });
    for (const p of res.curve) {
      curves.push({
        seed: ctx.seed,
        variant: v.key,
        method: v.label,
        update: p.update,
        norm_return: p.ret / jStar,
        reaches: p.reaches,
        reach_prob: p.reachProb,
      });
    }
    const last = res.curve[res.curve.length - 1];
    const pi = greedyPolicy(res.Q, g.mdp.S, g.mdp.A);
    const path = likelyPath(g.mdp, pi, g.start, g.goal);
    path.forEach((s, step) => {
      const [row, col] = g.cellOf(s);
      paths.push({ seed: ctx.seed, variant: v.key, method: v.label, step, row, col });
    });
    // The heatmap shows the learned classifier's view (for the oracle rows too: their classifier still trains, unused).
    const aug = res.model && res.classifier ? augmentedRewardMap(g, res.model, res.classifier, vcfg.logitClip) : [];
    const adj: number[] = [];
    const other: number[] = [];
    aug.forEach((x, s) => {
      if (s === g.goal) return;
      (nextToObstacle(g, s) ? adj : other).push(x);
      const [row, col] = g.cellOf(s);
      heat.push({ seed: ctx.seed, variant: v.key, row, col, value: x });
    });
    const crossing = res.model && res.classifier ? wallCrossingStats(g, res.model, res.classifier, vcfg.logitClip) : null;
    summary.push({
      seed: ctx.seed,
      variant: v.key,
      method: v.label,
      success: last.reaches,
      reach_prob: last.reachProb,
      final_norm_return: last.ret / jStar,
      path_length: path.length - 1,
      aug_next_to_obstacle: mean(adj),
      aug_elsewhere: mean(other),
      // The oracle rows do not use their learned classifier, so its logit says nothing about them.
      crossing_logit: crossing && !v.oracle ? crossing.logit : null,
      crossing_mass: crossing ? crossing.mass : null,
    });
  });
  ctx.progress(E2_VARIANTS.length, E2_VARIANTS.length);
  return { tables: { curves, summary, paths, heat } };
}

/** E2's parameters: the project setting's and `setting` (which setting(s) run). */
export const config = withSettingConfig(learnerConfigSpec(e2Config));
/** One seed: the project setting's tables, then the paper setting's (paper-run.ts). */
export const runSeed = runSeedWithSettings(runProjectSeed, paperFig2bRun);
