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
import pl from 'nodejs-polars';
import { claim } from '../claims';
import type { Claim, Experiment, Report, ReportContext, Scale, SeedContext, SeedResult } from '../experiment';
import { gather, gatherFrame } from '../experiment';
import { gridArrowsSpec, type ArrowRow } from '../plot/grid-arrows';
import { finalMeans, learningCurveSpec } from '../plot/learning-curve';
import { bands, fmt, fmtPaired, fmtSummary, mean, paired } from '../stats';
import { gridKeys } from '../tabular/classifier';
import { gridOutline, learnerConfigSpec } from './grid-learning';
import { makeGridworld, type Gridworld } from '../tabular/gridworld';
import { dataMap, loadGridMap } from '../tabular/map-files';
import { gridMoveStructure } from '../tabular/learned-model';
import { DEFAULT_LEARNER, trainLearner, updatesToReach, type LearnerConfig, type LearnerProblem, type Method } from '../tabular/mnm-agent';
import { arrowCosine, eq5OptimisticModel, fractionTowardGoal, modelShift, type ShiftArrow } from '../tabular/model-shift';
import { optimisticModel, policyReturn, valueIteration } from '../tabular/solve';
import { paperFig2a } from './paper-fig2a';
import { withSettings } from './settings';

export const E1_MAP = 'e1-open-10x10.txt';

export interface Variant {
  key: string;
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
type SummaryRow = {
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
type ModelRow = { seed: number; toward_goal: number; arrows_counted: number; cosine_with_qstar: number };
type E1Tables = { curves: CurveRow[]; summary: SummaryRow[]; arrows: ArrowSeedRow[]; model: ModelRow[] };

export function e1Config(scale: Scale): LearnerConfig {
  return { ...DEFAULT_LEARNER, ...E1_SCALES[scale] };
}

export function e1Grid(): Gridworld {
  return makeGridworld(loadGridMap(dataMap(E1_MAP)));
}

export function e1Problem(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
}

/** J* of the true MDP (the return of the exactly optimal policy). */
export function optimalReturn(g: Gridworld): number {
  return policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
}

function runSeed(ctx: SeedContext<LearnerConfig>): SeedResult<E1Tables> {
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

type SummaryNumber = 'updates_to_good' | 'final_norm_return' | 'mean_norm_return';

function perSeed(summary: SummaryRow[], variant: string, field: SummaryNumber): number[] {
  return summary
    .filter((r) => r.variant === variant)
    .sort((a, b) => a.seed - b.seed)
    .map((r) => r[field]);
}

function report(results: SeedResult<E1Tables>[], { config: cfg }: ReportContext<LearnerConfig>): Report {
  const g = e1Grid();
  const curves = gatherFrame(results, 'curves');
  const summaryRows = gather(results, 'summary');
  const summary = pl.DataFrame(summaryRows);
  const order = E1_VARIANTS.map((v) => v.label);
  const curveBands = bands(
    gather(results, 'curves').map((r) => ({ method: r.method, x: r.update, value: r.norm_return })),
    'ci95',
  );
  const n = results.length;
  const learning = learningCurveSpec(curveBands, {
    title: `E1: true return of the greedy policy (fraction of J*), mean and 95% CI over ${n} seeds`,
    subtitle: `Paper (Fig. 2a): MnM reaches a good policy first, VMBPO last · Here, at the last update: ${finalMeans(curveBands, order)}`,
    caption: 'Look where each line first crosses the dashed "good" line; the markers tell apart lines that lie on top of each other.',
    xTitle: 'Q-learning updates',
    yTitle: 'J(π) / J*',
    order,
    reference: { y: GOOD_FRACTION, label: `good: ${GOOD_FRACTION} J*` },
    fraction: true,
    diagnostic: order.filter((label) => label.startsWith('diagnostic')),
  });

  // Arrows: the learned model averaged over seeds, and the exact optimistic models of the same grid.
  const arrowRows = gather(results, 'arrows');
  const cellKey = (r: ArrowSeedRow) => `${r.row},${r.col}`;
  const acc = new Map<string, { row: number; col: number; dr: number; dc: number; n: number }>();
  for (const r of arrowRows) {
    const k = cellKey(r);
    const a = acc.get(k) ?? { row: r.row, col: r.col, dr: 0, dc: 0, n: 0 };
    a.dr += r.d_row;
    a.dc += r.d_col;
    a.n++;
    acc.set(k, a);
  }
  const learnedPanel = `learned MnM model (mean of ${n} seeds)`;
  const eq5Panel = 'exact q* for the Eq. 5 reward';
  const eq3Panel = 'exact q* for the Eq. 3 reward';
  const arrowsOut: ArrowRow[] = [...acc.values()].map((a) => ({
    panel: learnedPanel,
    row: a.row,
    col: a.col,
    dRow: a.dr / a.n,
    dCol: a.dc / a.n,
  }));
  const toArrows = (panel: string, xs: ShiftArrow[]) => xs.map((a) => ({ panel, row: a.row, col: a.col, dRow: a.dRow, dCol: a.dCol }));
  const eq5 = modelShift(g, eq5OptimisticModel(g.mdp).q, g.mdp);
  const eq3 = modelShift(g, optimisticModel(g.mdp, valueIteration(g.mdp, 'mnm').V), g.mdp);
  arrowsOut.push(...toArrows(eq5Panel, eq5), ...toArrows(eq3Panel, eq3));
  const arrowsFig = gridArrowsSpec(arrowsOut, gridOutline(g), {
    title: 'E1: q − p, the mean displacement of the model minus the true one (averaged over actions); arrows scaled per panel',
    panels: [learnedPanel, eq5Panel, eq3Panel],
  });

  const claims: Claim[] = [];
  const tg = (name: string, field: SummaryNumber) => perSeed(summaryRows, name, field);
  const budget = cfg.updates;
  const reachedCount = (v: string) => summaryRows.filter((r) => r.variant === v && r.reached_good).length;
  const censorNote = (v: string) =>
    `${reachedCount(v)}/${n} seeds reached ${GOOD_FRACTION} J* within ${budget} updates (the others count as ${budget})`;

  const mq = paired(tg('mnm', 'updates_to_good'), tg('q-true', 'updates_to_good'));
  claims.push(
    claim({
      id: 'E1.mnm-faster-than-q-learning',
      experiment: 'e1-gridworld-optimism',
      claim: `MnM reaches a good policy (true return ≥ ${GOOD_FRACTION} J*) in fewer updates than Q-learning on the true model`,
      paper: 'Fig. 2a: "MnM solves this task more quickly than Q-learning"',
      holds: mq.diff + mq.ci < 0,
      measured: `updates to ${GOOD_FRACTION} J*: ${fmtPaired(mq, 'MnM', 'Q-learning')}; MnM ${censorNote('mnm')}; Q-learning ${censorNote('q-true')}`,
    }),
  );

  const vm = paired(tg('vmbpo', 'mean_norm_return'), tg('mnm', 'mean_norm_return'));
  const vq = paired(tg('vmbpo', 'mean_norm_return'), tg('q-true', 'mean_norm_return'));
  claims.push(
    claim({
      id: 'E1.vmbpo-worse-than-both',
      experiment: 'e1-gridworld-optimism',
      claim: 'VMBPO does worse than both MnM and Q-learning on the true model (mean of J/J* over the learning curve)',
      paper: 'Fig. 2a: MnM outperforms "Q-learning with the correct model and VMBPO"; docs/EXPERIMENTS.md: VMBPO worse than both',
      holds: vm.diff + vm.ci < 0 && vq.diff + vq.ci < 0,
      measured:
        `mean J/J* over the curve: ${fmtPaired(vm, 'VMBPO', 'MnM')}; against Q-learning: ${fmtPaired(vq, 'VMBPO', 'Q-learning')}; ` +
        `final J/J*: VMBPO ${fmtSummary(tg('vmbpo', 'final_norm_return'))}, MnM ${fmtSummary(tg('mnm', 'final_norm_return'))}, Q-learning ${fmtSummary(tg('q-true', 'final_norm_return'))}`,
    }),
  );

  const modelRows = gather(results, 'model');
  const fr = modelRows.map((r) => r.toward_goal);
  const cos = modelRows.map((r) => r.cosine_with_qstar);
  const frDiff = paired(
    fr,
    fr.map(() => 0.5),
  );
  claims.push(
    claim({
      id: 'E1.model-noise-toward-goal',
      experiment: 'e1-gridworld-optimism',
      claim: 'the learned MnM model moves the noise toward the goal: most arrows of q − p point toward the goal (more than half, 95% CI)',
      paper: 'Fig. 2a: "changing the transition noise (blue arrows) to point towards the goal"',
      holds: frDiff.diff - frDiff.ci > 0,
      measured:
        `fraction of states whose q − p arrow points toward the goal: ${fmtSummary(fr)} (exact Eq. 5 q*: ${fmt(fractionTowardGoal(eq5, g.cellOf(g.goal)).fraction)}); ` +
        `cosine similarity of the arrow field with the exact Eq. 5 q*'s: ${fmtSummary(cos)}`,
    }),
  );

  const ml = paired(tg('mnm', 'updates_to_good'), tg('q-true-log', 'updates_to_good'));
  claims.push(
    claim({
      id: 'E1.speed-from-optimistic-dynamics',
      experiment: 'e1-gridworld-optimism',
      claim:
        'MnM is faster than Q-learning on the true model given the same log r reward (control not in the paper): ' +
        'the speed-up comes from the optimistic dynamics, not from the reward transform',
      paper: 'Sec. 5.1: "We hypothesize that MnM outperforms Q-learning with the correct model because it learns optimistic dynamics"',
      holds: ml.diff + ml.ci < 0,
      measured: `updates to ${GOOD_FRACTION} J*: ${fmtPaired(ml, 'MnM', 'Q-learning with log r')}; Q-learning with log r ${censorNote('q-true-log')}`,
    }),
  );

  const agg = summary
    .groupBy('method')
    .agg(
      pl.col('updates_to_good').mean().alias('updates_to_good_mean'),
      pl.col('updates_to_good').std().alias('updates_to_good_std'),
      pl.col('reached_good').cast(pl.Float64).sum().alias('seeds_reaching_good'),
      pl.col('mean_norm_return').mean().alias('mean_norm_return'),
      pl.col('final_norm_return').mean().alias('final_norm_return_mean'),
      pl.col('final_norm_return').std().alias('final_norm_return_std'),
      pl.col('final_reaches').cast(pl.Float64).mean().alias('final_reaches_rate'),
    )
    .sort(['updates_to_good_mean', 'method']); // method breaks ties: the group order is not stable
  // J/J* of the exact optimum of each objective (value iteration on the true MDP): what each method's
  // objective would pick if it were solved exactly.
  const jStar = optimalReturn(g);
  const exactOptima = pl.DataFrame(
    (['return', 'mnm', 'vmbpo'] as const).map((b) => ({
      objective: b === 'return' ? 'expected return' : b === 'mnm' ? 'MnM (Eq. 3)' : 'VMBPO',
      norm_return_of_optimum: policyReturn(g.mdp, valueIteration(g.mdp, b).policy) / jStar,
    })),
  );
  return {
    tables: { curves, summary, by_method: agg, model: pl.DataFrame(modelRows), exact_optima: exactOptima },
    figures: { learning_curves: learning, model_arrows: arrowsFig },
    claims,
  };
}

/** The experiment under the project's settings; `e1GridworldOptimism` adds the paper's (lib/experiments/settings.ts). */
const e1Project: Experiment<LearnerConfig, E1Tables> = {
  id: 'e1-gridworld-optimism',
  title: 'Gridworld optimism: learned MnM against Q-learning and VMBPO',
  paper: 'Fig. 2a',
  reproduces: 'MnM learns faster than Q-learning on the true model and VMBPO; its model tilts noise toward the goal',
  notebook: 'notebooks/01-gridworld-optimism.ipynb',
  seeds: { smoke: 2, quick: 10, paper: 30 },
  config: learnerConfigSpec(e1Config),
  runSeed,
  report,
};

export const e1GridworldOptimism = withSettings(e1Project, paperFig2a);
