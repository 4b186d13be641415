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
import pl from 'nodejs-polars';
import { claim, verdictText } from '../claims';
import type { Claim, Experiment, Report, ReportContext, Scale, SeedContext, SeedResult } from '../experiment';
import { gather, gatherFrame } from '../experiment';
import { learningCurveSpec } from '../plot/learning-curve';
import { bands, fmt, fmtPaired, fmtSummary, mean, type Paired, paired, significantlyAbove, significantlyBelow } from '../stats';
import { gridKeys } from '../tabular/classifier';
import { learnerConfigSpec } from './grid-learning';
import { makeGridworld, type Gridworld } from '../tabular/gridworld';
import { dataMap, loadGridMap } from '../tabular/map-files';
import { gridMoveStructure, LearnedModel, type ModelStructure } from '../tabular/learned-model';
import type { TabularMDP } from '../tabular/mdp';
import { DEFAULT_LEARNER, trainLearner, updatesToReach, type LearnerConfig, type LearnerProblem } from '../tabular/mnm-agent';
import { E1_MAP, GOOD_FRACTION, optimalReturn } from './e1-gridworld-optimism';

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
const START_LABELS: Record<(typeof E6_STARTS)[number], string> = {
  transfer: 'transferred model',
  scratch: 'from scratch',
  'true-p': 'model = true p (control)',
};

function problemOf(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
}

type Start = (typeof E6_STARTS)[number];
type CurveRow = { seed: number; target: string; start: Start; method: string; update: number; norm_return: number };
type SummaryRow = {
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

function runSeed(ctx: SeedContext<LearnerConfig>): SeedResult<E6Tables> {
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

type Target = (typeof E6_TARGETS)[number]['key'];

/** What the report and describeE6 read, computed once: per-seed values by target key and start id (seed order). */
interface E6Summary {
  seeds: number;
  /** The learner's budget: a seed that never reaches the bar counts as this many updates. */
  budget: number;
  rows: SummaryRow[];
  updates(target: Target, start: Start): number[];
  meanReturn(target: Target, start: Start): number[];
  /** How many seeds reached the bar. */
  reached(target: Target, start: Start): number;
}

function summarise(results: SeedResult<E6Tables>[], budget: number): E6Summary {
  const rows = gather(results, 'summary');
  const of = (target: Target, start: Start) => rows.filter((r) => r.target === target && r.start === start).sort((a, b) => a.seed - b.seed);
  return {
    seeds: results.length,
    budget,
    rows,
    updates: (t, st) => of(t, st).map((r) => r.updates_to_good),
    meanReturn: (t, st) => of(t, st).map((r) => r.mean_norm_return),
    reached: (t, st) => of(t, st).filter((r) => r.reached_good).length,
  };
}

function e6Tables(results: SeedResult<E6Tables>[], s: E6Summary): Report['tables'] {
  const summary = pl.DataFrame(s.rows);
  const byTarget = summary
    .groupBy(['target', 'start'])
    .agg(
      pl.col('updates_to_good').mean().alias('updates_to_good_mean'),
      pl.col('updates_to_good').std().alias('updates_to_good_std'),
      pl.col('reached_good').cast(pl.Float64).sum().alias('seeds_reaching_good'),
      pl.col('mean_norm_return').mean().alias('mean_norm_return'),
      pl.col('final_norm_return').mean().alias('final_norm_return'),
    )
    .sort(['target', 'start']);
  return { curves: gatherFrame(results, 'curves'), summary, by_target: byTarget, source: gatherFrame(results, 'source') };
}

function e6Figures(results: SeedResult<E6Tables>[], s: E6Summary): Report['figures'] {
  const curves = gather(results, 'curves');
  const figures: Report['figures'] = {};
  for (const t of E6_TARGETS) {
    const targetBands = bands(
      curves.filter((r) => r.target === t.key).map((r) => ({ method: r.method, x: r.update, value: r.norm_return })),
      'ci95',
    );
    figures[`curves_${t.key}`] = learningCurveSpec(targetBands, {
      title: `E6, ${t.label}: MnM with the model learned for goal (9,9) against from scratch (${s.seeds} seeds, 95% CI)`,
      xTitle: 'Q-learning updates',
      yTitle: 'J(π) / J*',
      order: E6_STARTS.map((st) => START_LABELS[st]),
      reference: { y: GOOD_FRACTION, label: `good: ${GOOD_FRACTION} J*` },
      width: 420,
      height: 240,
    });
  }
  return figures;
}

function e6Claims(s: E6Summary): Claim[] {
  const note = (t: Target) =>
    `seeds reaching ${GOOD_FRACTION} J* within ${s.budget} updates: transfer ${s.reached(t, 'transfer')}/${s.seeds}, scratch ${s.reached(t, 'scratch')}/${s.seeds} (the others count as ${s.budget})`;
  const measured = (t: Target, p: Paired) =>
    `updates to ${GOOD_FRACTION} J*: ${fmtPaired(p, 'transfer', 'scratch')}; ${note(t)}; mean J/J* over the curve: transfer ${fmtSummary(s.meanReturn(t, 'transfer'))}, scratch ${fmtSummary(s.meanReturn(t, 'scratch'))}; ` +
    `control started from the true p (no tilt): ${fmtSummary(s.updates(t, 'true-p'))} updates`;
  const sim = paired(s.updates('similar', 'transfer'), s.updates('similar', 'scratch'));
  const dis = paired(s.updates('dissimilar', 'transfer'), s.updates('dissimilar', 'scratch'));
  return [
    claim({
      id: 'E6.transfer-faster-on-similar-goal',
      experiment: 'e6-transfer',
      claim: 'on a similar goal, MnM with the transferred model reaches a good policy in fewer updates than from scratch',
      paper: 'App. C, Fig. 13: the optimistic dynamics "can accelerate learning of challenging, similar tasks"',
      holds: significantlyBelow(sim),
      measured: measured('similar', sim),
    }),
    claim({
      id: 'E6.transfer-not-slower-on-dissimilar-goal',
      experiment: 'e6-transfer',
      claim: 'on a dissimilar goal, MnM with the transferred model is not slower than from scratch (no significant slowdown, 95% CI)',
      paper: 'App. C, Fig. 13: the optimistic dynamics "do not slow learning on dissimilar tasks"',
      holds: !significantlyAbove(dis),
      measured: measured('dissimilar', dis),
    }),
  ];
}

function report(results: SeedResult<E6Tables>[], { config }: ReportContext<LearnerConfig>): Report {
  const s = summarise(results, config.updates);
  return { tables: e6Tables(results, s), figures: e6Figures(results, s), claims: e6Claims(s) };
}

export const e6Transfer: Experiment<LearnerConfig, E6Tables> = {
  id: 'e6-transfer',
  title: 'Transfer of the optimistic MnM model to new goals',
  paper: 'Fig. 13 (App. C)',
  reproduces: 'the MnM model learned for one goal speeds up a similar goal and does not slow down a dissimilar one',
  notebook: 'notebooks/06-transfer.ipynb',
  seeds: { smoke: 2, quick: 10, paper: 30 },
  config: learnerConfigSpec(e6Config),
  runSeed,
  report,
};

/** What E6's run found, in a few markdown lines: the two claims with their numbers and the true-p control. */
export function describeE6(rep: { claims: Claim[]; results: SeedResult<E6Tables>[]; config: LearnerConfig }, scale: Scale): string {
  const s = summarise(rep.results, rep.config.updates);
  const get = (target: Target, start: Start) => mean(s.updates(target, start));
  const verdictOf = (id: string) => {
    const c = rep.claims.find((x) => x.id === id);
    return c ? verdictText(c) : 'not checked';
  };
  const similarControlSlower = get('similar', 'true-p') > get('similar', 'transfer');
  const lines = [
    `- *Faster on a similar goal*: ${verdictOf('E6.transfer-faster-on-similar-goal')} (mean updates to 0.9 J*: transfer ` +
      `${fmt(get('similar', 'transfer'))}, scratch ${fmt(get('similar', 'scratch'))}).`,
    `- *Not slower on a dissimilar goal*: ${verdictOf('E6.transfer-not-slower-on-dissimilar-goal')} (transfer ` +
      `${fmt(get('dissimilar', 'transfer'))}, scratch ${fmt(get('dissimilar', 'scratch'))}).`,
    `- Control, model = true p: ${fmt(get('similar', 'true-p'))} updates on the similar goal, ${fmt(get('dissimilar', 'true-p'))} on ` +
      'the dissimilar one: ' +
      (similarControlSlower
        ? "slower than the transferred model on the similar goal, so knowing the true action effects alone does not explain the transfer's gain there."
        : "no slower than the transferred model on the similar goal, so the true action effects alone could explain the transfer's gain there."),
  ];
  if (scale === 'smoke')
    lines.unshift(
      '_This run is at smoke scale: the budget is too small for the learners to finish, so the verdicts say little. Run at quick scale (the default) for the numbers discussed in the text._\n',
    );
  return lines.join('\n');
}
