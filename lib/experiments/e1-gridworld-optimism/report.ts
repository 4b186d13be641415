/** E1's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, verdictOf } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, gatherFrame, methodRow, numberIn, recordOf, namedFigures } from '../../experiment';
import { gridArrowsSpec, type ArrowRow } from '../../plot/grid-arrows';
import { finalMeans, learningCurveSpec } from '../../plot/learning-curve';
import { bands, type BandRow, fmt, fmtPaired, fmtSummary, mean, paired, significantlyAbove, significantlyBelow } from '../../stats';
import { gridOutline, optimalReturn, SMOKE_NOTE } from '../grid-learning';
import { type Gridworld } from '../../tabular/gridworld';
import { type LearnerConfig } from '../../tabular/mnm-agent';
import { eq5OptimisticModel, fractionTowardGoal, modelShift, type ShiftArrow } from '../../tabular/model-shift';
import { optimisticModel, policyReturn, valueIteration } from '../../tabular/solve';
import { paperFig2aReport } from './paper-report';
import { reportWithSettings } from '../settings';
import { type E1MethodId, type Variant, E1_VARIANTS, GOOD_FRACTION, type SummaryRow, type ModelRow, type E1Tables, e1Grid } from './run';

/** One method's numbers per seed (seed order), keyed in E1Summary by its id. */
export interface E1MethodRuns {
  label: string;
  updatesToGood: number[];
  finalNormReturn: number[];
  meanNormReturn: number[];
  /** Seeds that reached GOOD_FRACTION · J* within the budget. */
  reached: number;
}

/** What E1's tables, figures and claims read, computed once from the seeds. */
export interface E1Summary {
  seeds: number;
  budget: number;
  grid: Gridworld;
  methods: Record<E1MethodId, E1MethodRuns>;
  summaryRows: SummaryRow[];
  curveBands: BandRow[];
  /** The learned model's arrows and their agreement with the exact q*, one row per seed. */
  model: ModelRow[];
  /** q − p of the exact optimistic model for the Eq. 5 reward. */
  eq5Arrows: ShiftArrow[];
}

export function summariseE1(results: SeedResult<E1Tables>[], cfg: LearnerConfig): E1Summary {
  const g = e1Grid();
  const summaryRows = gather(results, 'summary');
  const runsOf = (v: Variant): E1MethodRuns => {
    const rows = summaryRows.filter((r) => r.variant === v.key).sort((a, b) => a.seed - b.seed);
    return {
      label: v.label,
      updatesToGood: rows.map((r) => r.updates_to_good),
      finalNormReturn: rows.map((r) => r.final_norm_return),
      meanNormReturn: rows.map((r) => r.mean_norm_return),
      reached: rows.filter((r) => r.reached_good).length,
    };
  };
  const methods = recordOf(E1_VARIANTS, (v) => v.key, runsOf);
  return {
    seeds: results.length,
    budget: cfg.updates,
    grid: g,
    methods,
    summaryRows,
    curveBands: bands(
      gather(results, 'curves').map((r) => ({ method: r.method, x: r.update, value: r.norm_return })),
      'ci95',
    ),
    model: gather(results, 'model'),
    eq5Arrows: modelShift(g, eq5OptimisticModel(g.mdp).q, g.mdp),
  };
}

function e1Tables(s: E1Summary, results: SeedResult<E1Tables>[]): Report['tables'] {
  const g = s.grid;
  const summary = pl.DataFrame(s.summaryRows);
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
    curves: gatherFrame(results, 'curves'),
    summary,
    by_method: agg,
    model: pl.DataFrame(s.model),
    exact_optima: exactOptima,
  };
}

/** Share of the learned model's arrows toward the goal (mean over seeds), of the exact q*'s, and their cosine. */
function towardGoal(s: E1Summary) {
  return {
    learned: mean(s.model.map((r) => r.toward_goal)),
    exact: fractionTowardGoal(s.eq5Arrows, s.grid.cellOf(s.grid.goal)).fraction,
    cosine: mean(s.model.map((r) => r.cosine_with_qstar)),
  };
}

function e1Figures(s: E1Summary, results: SeedResult<E1Tables>[]) {
  const g = s.grid;
  const n = s.seeds;
  const order = E1_VARIANTS.map((v) => v.label);
  const learning = learningCurveSpec(s.curveBands, {
    title: `E1: true return of the greedy policy (fraction of J*), mean and 95% CI over ${n} seeds`,
    subtitle: `Paper (Fig. 2a): MnM reaches a good policy first, VMBPO last · Here, at the last update: ${finalMeans(s.curveBands, order)}`,
    caption: 'Look where each line first crosses the dashed "good" line; the markers tell apart lines that lie on top of each other.',
    xTitle: 'Q-learning updates',
    yTitle: 'J(π) / J*',
    order,
    reference: { y: GOOD_FRACTION, label: `good: ${GOOD_FRACTION} J*` },
    fraction: true,
    diagnostic: order.filter((label) => label.startsWith('diagnostic')),
  });

  // Arrows: the learned model averaged over seeds, and the exact optimistic models of the same grid.
  const acc = new Map<string, { row: number; col: number; dr: number; dc: number; n: number }>();
  for (const r of gather(results, 'arrows')) {
    const k = `${r.row},${r.col}`;
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
  const eq3 = modelShift(g, optimisticModel(g.mdp, valueIteration(g.mdp, 'mnm').V), g.mdp);
  arrowsOut.push(...toArrows(eq5Panel, s.eq5Arrows), ...toArrows(eq3Panel, eq3));
  const tg = towardGoal(s);
  const arrowsFig = gridArrowsSpec(arrowsOut, gridOutline(g), {
    title: 'E1: q − p, the mean displacement of the model minus the true one (averaged over actions); arrows scaled per panel',
    subtitle:
      `Paper (Fig. 2a): the learned model moves the noise toward the goal · Here: ${fmt(100 * tg.learned, 2)}% of the learned arrows ` +
      `point toward G (exact q*: ${fmt(100 * tg.exact, 2)}%), cosine with the exact q* field ${fmt(tg.cosine, 2)}`,
    caption: 'Compare the left panel with the middle one: arrows turned the same way, toward G, mean MnM learned the optimistic model.',
    panels: [learnedPanel, eq5Panel, eq3Panel],
  });
  return namedFigures({ learning_curves: learning, model_arrows: arrowsFig });
}

function e1Claims(s: E1Summary): Claim[] {
  const g = s.grid;
  const n = s.seeds;
  const m = s.methods;
  const budget = s.budget;
  const censorNote = (id: E1MethodId) =>
    `${m[id].reached}/${n} seeds reached ${GOOD_FRACTION} J* within ${budget} updates (the others count as ${budget})`;
  const claims: Claim[] = [];

  const mq = paired(m.mnm.updatesToGood, m['q-true'].updatesToGood);
  claims.push(
    claim({
      id: 'E1.mnm-faster-than-q-learning',
      experiment: 'e1-gridworld-optimism',
      claim: `MnM reaches a good policy (true return ≥ ${GOOD_FRACTION} J*) in fewer updates than Q-learning on the true model`,
      paper: 'Fig. 2a: "MnM solves this task more quickly than Q-learning"',
      holds: significantlyBelow(mq),
      measured: `updates to ${GOOD_FRACTION} J*: ${fmtPaired(mq, 'MnM', 'Q-learning')}; MnM ${censorNote('mnm')}; Q-learning ${censorNote('q-true')}`,
    }),
  );

  const vm = paired(m.vmbpo.meanNormReturn, m.mnm.meanNormReturn);
  const vq = paired(m.vmbpo.meanNormReturn, m['q-true'].meanNormReturn);
  claims.push(
    claim({
      id: 'E1.vmbpo-worse-than-both',
      experiment: 'e1-gridworld-optimism',
      claim: 'VMBPO does worse than both MnM and Q-learning on the true model (mean of J/J* over the learning curve)',
      paper: 'Fig. 2a: MnM outperforms "Q-learning with the correct model and VMBPO"; docs/EXPERIMENTS.md: VMBPO worse than both',
      holds: significantlyBelow(vm) && significantlyBelow(vq),
      measured:
        `mean J/J* over the curve: ${fmtPaired(vm, 'VMBPO', 'MnM')}; against Q-learning: ${fmtPaired(vq, 'VMBPO', 'Q-learning')}; ` +
        `final J/J*: VMBPO ${fmtSummary(m.vmbpo.finalNormReturn)}, MnM ${fmtSummary(m.mnm.finalNormReturn)}, Q-learning ${fmtSummary(m['q-true'].finalNormReturn)}`,
    }),
  );

  const fr = s.model.map((r) => r.toward_goal);
  const cos = s.model.map((r) => r.cosine_with_qstar);
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
      holds: significantlyAbove(frDiff),
      measured:
        `fraction of states whose q − p arrow points toward the goal: ${fmtSummary(fr)} (exact Eq. 5 q*: ${fmt(fractionTowardGoal(s.eq5Arrows, g.cellOf(g.goal)).fraction)}); ` +
        `cosine similarity of the arrow field with the exact Eq. 5 q*'s: ${fmtSummary(cos)}`,
    }),
  );

  const ml = paired(m.mnm.updatesToGood, m['q-true-log'].updatesToGood);
  claims.push(
    claim({
      id: 'E1.speed-from-optimistic-dynamics',
      experiment: 'e1-gridworld-optimism',
      claim:
        'MnM is faster than Q-learning on the true model given the same log r reward (control not in the paper): ' +
        'the speed-up comes from the optimistic dynamics, not from the reward transform',
      paper: 'Sec. 5.1: "We hypothesize that MnM outperforms Q-learning with the correct model because it learns optimistic dynamics"',
      holds: significantlyBelow(ml),
      measured: `updates to ${GOOD_FRACTION} J*: ${fmtPaired(ml, 'MnM', 'Q-learning with log r')}; Q-learning with log r ${censorNote('q-true-log')}`,
    }),
  );
  return claims;
}

function projectReport(results: SeedResult<E1Tables>[], { config }: ReportContext<LearnerConfig>) {
  const s = summariseE1(results, config);
  return { tables: e1Tables(s, results), figures: e1Figures(s, results), claims: e1Claims(s) };
}

/** What E1's project-setting run found, in a few markdown lines: each claim's verdict with the numbers behind it. */
export function describeE1(rep: Pick<Report, 'claims' | 'tables'>, scale: Scale): string {
  const row = (id: E1MethodId) => methodRow(rep.tables.by_method, E1_VARIANTS, id, 'describeE1: by_method');
  const get = (id: E1MethodId, column: string) => fmt(numberIn(row(id), column));
  const model = rep.tables.model?.toRecords() ?? [];
  const toward = mean(model.map((r) => numberIn(r, 'toward_goal')));
  const cosine = mean(model.map((r) => numberIn(r, 'cosine_with_qstar')));
  const v = (id: string) => verdictOf(rep.claims, id);
  const lines = [
    `- *MnM faster than Q-learning on the true model*: ${v('E1.mnm-faster-than-q-learning')} ` +
      `(seeds reaching ${GOOD_FRACTION} $J^*$: MnM ${get('mnm', 'seeds_reaching_good')}, Q-learning ${get('q-true', 'seeds_reaching_good')}; ` +
      `mean updates to get there ${get('mnm', 'updates_to_good_mean')} against ${get('q-true', 'updates_to_good_mean')}, a seed that never does counting the whole budget).`,
    `- *VMBPO worse than both*: ${v('E1.vmbpo-worse-than-both')} (mean $J/J^*$ over the curve: VMBPO ${get('vmbpo', 'mean_norm_return')}, ` +
      `MnM ${get('mnm', 'mean_norm_return')}, Q-learning ${get('q-true', 'mean_norm_return')}; final $J/J^*$: VMBPO ${get('vmbpo', 'final_norm_return_mean')}, ` +
      `MnM ${get('mnm', 'final_norm_return_mean')}).`,
    `- *The model's noise points toward the goal*: ${v('E1.model-noise-toward-goal')} (${fmt(100 * toward, 3)}% of the learned arrows point toward G ` +
      `on average; cosine with the exact $q^*$ field ${fmt(cosine)}).`,
    `- *The speed comes from the optimistic dynamics* (the paper's hypothesis, tested with the log-r control): ` +
      `${v('E1.speed-from-optimistic-dynamics')} (Q-learning on the true model with log r reaches ${GOOD_FRACTION} $J^*$ after ` +
      `${get('q-true-log', 'updates_to_good_mean')} updates on average, MnM after ${get('mnm', 'updates_to_good_mean')}).`,
  ];
  if (scale === 'smoke') lines.unshift(SMOKE_NOTE);
  return lines.join('\n');
}

/** The report: the paper setting's tables, figures and claims (paper-report.ts), then the project setting's. */
export const report = reportWithSettings(projectReport, paperFig2aReport);

/** The figures E1's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E1Figure = FigureOf<typeof report>;
