/** E6's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, verdictText } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, gatherFrame, namedFigures, recordOf } from '../../experiment';
import { learningCurveSpec } from '../../plot/learning-curve';
import { bands, fmt, fmtPaired, fmtSummary, mean, type Paired, paired, significantlyAbove, significantlyBelow } from '../../stats';
import { type LearnerConfig } from '../../tabular/mnm-agent';
import { GOOD_FRACTION } from '../e1-gridworld-optimism/run';
import { E6_TARGETS, E6_STARTS, START_LABELS, type Start, type SummaryRow, type E6Tables } from './run';

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

function e6Figures(results: SeedResult<E6Tables>[], s: E6Summary) {
  const curves = gather(results, 'curves');
  const curvesOf = (t: (typeof E6_TARGETS)[number]) =>
    learningCurveSpec(
      bands(
        curves.filter((r) => r.target === t.key).map((r) => ({ method: r.method, x: r.update, value: r.norm_return })),
        'ci95',
      ),
      {
        title: `E6, ${t.label}: MnM with the model learned for goal (9,9) against from scratch (${s.seeds} seeds, 95% CI)`,
        xTitle: 'Q-learning updates',
        yTitle: 'J(π) / J*',
        order: E6_STARTS.map((st) => START_LABELS[st]),
        reference: { y: GOOD_FRACTION, label: `good: ${GOOD_FRACTION} J*` },
        width: 420,
        height: 240,
      },
    );
  return namedFigures(recordOf(E6_TARGETS, (t): `curves_${Target}` => `curves_${t.key}`, curvesOf));
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

export function report(results: SeedResult<E6Tables>[], { config }: ReportContext<LearnerConfig>) {
  const s = summarise(results, config.updates);
  return { tables: e6Tables(results, s), figures: e6Figures(results, s), claims: e6Claims(s) };
}

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

/** The figures E6's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E6Figure = FigureOf<typeof report>;
