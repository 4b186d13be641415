/**
 * E6 (Fig. 13, App. C): reuse the optimistic model MnM learned for the E1 goal on new goals of the same
 * grid. Per seed: MnM is trained on the E1 map (goal (9,9)); its model and classifier then start MnM on
 * a similar goal ((9,8), next to the old one) and a dissimilar goal ((0,9), another corner), with a fresh
 * Q table, against MnM learning the same goal from scratch (model and classifier at zero logits).
 * The model is full capacity over the grid's one-move successors (`gridMoveStructure`), the same
 * parameters for every goal of the grid, so it can be carried over as it is.
 * A control, not in the paper: MnM started from a model equal to the true p (zero classifier logits),
 * which knows what the actions do but has no optimistic tilt — to tell the two parts of a transfer apart.
 */
import { learnerConfigSpec } from '../grid-learning';
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { mean } from '../../stats';
import { gridKeys } from '../../tabular/classifier';
import { makeGridworld, type Gridworld } from '../../tabular/gridworld';
import { dataMap, loadGridMap } from '../../tabular/map-files';
import { gridMoveStructure, LearnedModel, type ModelStructure } from '../../tabular/learned-model';
import type { TabularMDP } from '../../tabular/mdp';
import { DEFAULT_LEARNER, trainLearner, updatesToReach, type LearnerConfig, type LearnerProblem } from '../../tabular/mnm-agent';
import { E1_MAP, GOOD_FRACTION, optimalReturn } from '../e1-gridworld-optimism/run';

export const E6_TARGETS = [
  { key: 'similar', label: 'similar goal (9,8)', map: 'e6-goal-similar-10x10.txt' },
  { key: 'dissimilar', label: 'dissimilar goal (0,9)', map: 'e6-goal-dissimilar-10x10.txt' },
] as const;

export const E6_SCALES: Record<Scale, Pick<LearnerConfig, 'updates' | 'evalEvery'>> = {
  smoke: { updates: 15000, evalEvery: 2500 },
  quick: { updates: 120000, evalEvery: 2000 },
  paper: { updates: 200000, evalEvery: 2000 },
};

export function e6Config(scale: Scale): LearnerConfig {
  return { ...DEFAULT_LEARNER, ...E6_SCALES[scale] };
}

/** A model whose rows equal the true p (log p as logits; 1e-9 where p has no mass). */
export function modelAtTruth(structure: ModelStructure, mdp: TabularMDP): LearnedModel {
  const theta = new Float64Array(structure.nParams);
  for (let i = 0; i < mdp.S * mdp.A; i++) {
    for (let k = structure.rowStart[i]; k < structure.rowStart[i + 1]; k++) {
      let p = 0;
      for (let j = mdp.rowStart[i]; j < mdp.rowStart[i + 1]; j++) if (mdp.next[j] === structure.target[k]) p += mdp.prob[j];
      theta[structure.param[k]] = Math.log(Math.max(p, 1e-9));
    }
  }
  return new LearnedModel(structure, theta);
}

export const E6_STARTS = ['transfer', 'scratch', 'true-p'] as const;
export const START_LABELS: Record<(typeof E6_STARTS)[number], string> = {
  transfer: 'transferred model',
  scratch: 'from scratch',
  'true-p': 'model = true p (control)',
};

function problemOf(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
}

export type Start = (typeof E6_STARTS)[number];
type CurveRow = { seed: number; target: string; start: Start; method: string; update: number; norm_return: number };
export type SummaryRow = {
  seed: number;
  target: string;
  start: Start;
  updates_to_good: number;
  reached_good: boolean;
  mean_norm_return: number;
  final_norm_return: number;
};
type SourceRow = { seed: number; source_final_norm_return: number };
export type E6Tables = { curves: CurveRow[]; summary: SummaryRow[]; source: SourceRow[] };

export function runSeed(ctx: SeedContext<LearnerConfig>): SeedResult<E6Tables> {
  const cfg = ctx.config;
  const source = makeGridworld(loadGridMap(dataMap(E1_MAP)));
  const units = 1 + E6_TARGETS.length * E6_STARTS.length;
  ctx.progress(0, units, 'source goal');
  const src = trainLearner(problemOf(source), 'mnm', cfg, ctx.rng.fork('source'));
  if (!src.model || !src.classifier) throw new Error('e6: the source MnM run returned no model');
  const curves: CurveRow[] = [];
  const summary: SummaryRow[] = [];
  let done = 1;
  for (const target of E6_TARGETS) {
    const g = makeGridworld(loadGridMap(dataMap(target.map)));
    const jStar = optimalReturn(g);
    const problem = problemOf(g);
    for (const start of E6_STARTS) {
      ctx.progress(done++, units, `${target.key}, ${start}`);
      const init =
        start === 'transfer'
          ? { initModel: src.model, initClassifier: src.classifier }
          : start === 'true-p'
            ? { initModel: modelAtTruth(problem.structure, g.mdp) }
            : {};
      // The same stream for every start: the comparison differs only in the initial model.
      const res = trainLearner(problem, 'mnm', cfg, ctx.rng.fork(target.key), init);
      for (const p of res.curve)
        curves.push({
          seed: ctx.seed,
          target: target.key,
          start,
          method: START_LABELS[start],
          update: p.update,
          norm_return: p.ret / jStar,
        });
      const good = updatesToReach(res.curve, GOOD_FRACTION * jStar);
      summary.push({
        seed: ctx.seed,
        target: target.key,
        start,
        updates_to_good: good ?? cfg.updates,
        reached_good: good !== null,
        mean_norm_return: mean(res.curve.map((p) => p.ret / jStar)),
        final_norm_return: res.curve[res.curve.length - 1].ret / jStar,
      });
    }
  }
  ctx.progress(units, units);
  return {
    tables: {
      curves,
      summary,
      source: [{ seed: ctx.seed, source_final_norm_return: src.curve[src.curve.length - 1].ret / optimalReturn(source) }],
    },
  };
}

/** E6's parameters: the learner's (grid-learning.ts). */
export const config = learnerConfigSpec(e6Config);
