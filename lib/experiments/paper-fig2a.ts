/**
 * E1's paper setting (Fig. 2a as the authors computed it, docs/PAPER-SETTINGS.md): on their 10×10 map with the
 * wall block, noise 0.5, γ 0.9, rewards 0.001 / 10 and a goal that is not absorbing,
 *   left:  the authors' sample-based learner (exact model and exact KL, growing buffer, 1,501 iterations) for
 *          MnM, Q-learning and VMBPO over several seeds, and beside it the project's Section 4 learners
 *          (learned model and classifier, Eq. 5 reward) on the same map: two different things called "MnM";
 *   right: the arrows of the converged q of the alternating procedure (rewards 1e-5 / 1e9).
 */
import pl from 'nodejs-polars';
import { claim } from '../claims';
import type { Claim, Report, Row, Scale } from '../experiment';
import { gridArrowsSpec } from '../plot/grid-arrows';
import { learningCurveSpec } from '../plot/learning-curve';
import { bands, fmt, fmtPaired, fmtSummary, paired, significantlyAbove } from '../stats';
import { gridKeys } from '../tabular/classifier';
import { gridMoveStructure } from '../tabular/learned-model';
import { trainLearner, type LearnerConfig, type Method } from '../tabular/mnm-agent';
import { fig2aGrid, fig2aLeftChecks, fig2aLeftRuns, fig2aRight, type Fig2aLeftPoint } from '../tabular/paper-figures/fig2a';
import { PAPER_KNOBS } from '../tabular/paper-figures/knobs';
import { SAMPLE_METHOD_LABELS, type SampleMethod } from '../tabular/sample-learner';
import { gridOutline } from './grid-learning';
import { projectCounterpart, type PaperPart } from './settings';

const ID = 'e1-gridworld-optimism';
/** Seeds of the authors' learner (they used 5) and its iterations, per scale. */
export const FIG2A_LEFT_SCALE: Record<Scale, { seeds: number; iterations: number }> = {
  smoke: { seeds: 2, iterations: 301 },
  quick: { seeds: 5, iterations: 1501 },
  paper: { seeds: 10, iterations: 1501 },
};
/** The project's Section 4 learners run beside the authors' on the same map. */
export const SECTION4_METHODS: { method: Method; label: string }[] = [
  { method: 'mnm', label: 'MnM (Section 4: learned model and classifier, Eq. 5 reward)' },
  { method: 'q-true', label: 'Q-learning (Section 4 learner, true model)' },
  { method: 'vmbpo', label: 'VMBPO (Section 4: learned model and classifier)' },
];

const WHY =
  'the project setting is an open 10×10 grid (no wall), noise 0.2, γ 0.95, rewards 0.01 / 1, an absorbing goal, and the Section 4 learner ' +
  '(learned classifier and model, Eq. 5 reward, 50-step episodes, one Q update per step) measured by updates to 0.9 J*; the paper setting uses the ' +
  "authors' map, noise 0.5, γ 0.9, rewards 0.001 / 10, a goal that is not absorbing and their learner (exact model and KL, 200-step episodes, a batch TD update over a growing buffer).";

export const paperFig2a: PaperPart<LearnerConfig> = {
  runsIn: (scale, seed) => seed < FIG2A_LEFT_SCALE[scale].seeds,
  runSeed(ctx) {
    const { iterations } = FIG2A_LEFT_SCALE[ctx.scale];
    const authors: Row[] = fig2aLeftRuns(PAPER_KNOBS, [ctx.seed], (_s, m) => ctx.rng.fork(`authors/${m}`), iterations).map((p) => ({
      ...p,
    }));
    ctx.progress(1, 3, 'paper setting: Section 4 learners');
    const g = fig2aGrid(PAPER_KNOBS);
    const problem = { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
    const section4: Row[] = [];
    for (const { method, label } of SECTION4_METHODS) {
      const res = trainLearner(problem, method, ctx.config, ctx.rng.fork(`section4/${method}`));
      for (const p of res.curve) section4.push({ seed: ctx.seed, method: label, update: p.update, ret: p.ret });
    }
    const tables: Record<string, Row[]> = { authors_curves: authors, section4_curves: section4 };
    if (ctx.seed === 0) {
      const right = fig2aRight(PAPER_KNOBS);
      tables.arrows = right.arrows.map((a) => ({ ...a }));
      tables.arrows_summary = [
        {
          iterations: right.iterations,
          converged: right.converged,
          longest_closer: right.longestCloser,
          mean_closer: right.meanCloser,
          mean_farther: right.meanFarther,
          p_length: right.pLength,
        },
      ];
    }
    ctx.progress(3, 3);
    return tables;
  },
  report(results, _ctx, project): Report {
    const authors = results.flatMap((r) => r.tables.authors_curves ?? []) as unknown as Fig2aLeftPoint[];
    const left = fig2aLeftChecks(PAPER_KNOBS, authors);
    const n = new Set(authors.map((p) => p.seed)).size;
    const labelOf = (m: SampleMethod) => SAMPLE_METHOD_LABELS[m];
    const order = (['mnm', 'q-learning', 'vmbpo'] as const).map(labelOf);
    const authorsFig = learningCurveSpec(
      bands(
        authors.map((p) => ({ method: labelOf(p.method), x: p.iteration, value: p.ret })),
        'ci95',
      ),
      {
        title: `Fig. 2a left (paper setting): the authors' learner (exact model and KL), true return of the greedy policy, mean and 95% CI over ${n} seeds`,
        xTitle: 'iterations (one 200-step episode and one batch TD update each)',
        yTitle: 'return from the start',
        order,
        reference: { y: left.optimal, label: `J* = ${left.optimal.toFixed(4)}` },
      },
    );
    const s4 = results.flatMap((r) => r.tables.section4_curves ?? []);
    const s4Fig = learningCurveSpec(
      bands(
        s4.map((r) => ({ method: r.method as string, x: r.update as number, value: r.ret as number })),
        'ci95',
      ),
      {
        title: `Fig. 2a left, same map: the project's Section 4 learners, mean and 95% CI over ${n} seeds`,
        xTitle: 'Q-learning updates (one per simulated step)',
        yTitle: 'return from the start',
        order: SECTION4_METHODS.map((m) => m.label),
        reference: { y: left.optimal, label: `J* = ${left.optimal.toFixed(4)}` },
      },
    );
    // The Section 4 learners' final order, as a claim about the same map.
    const finals = (label: string) =>
      [...new Set(s4.map((r) => r.seed as number))]
        .sort((a, b) => a - b)
        .map((seed) => {
          const rows = s4.filter((r) => r.seed === seed && r.method === label);
          return rows.reduce((a, b) => ((b.update as number) > (a.update as number) ? b : a)).ret as number;
        });
    const [m4, q4, v4] = SECTION4_METHODS.map((m) => finals(m.label));
    const mq4 = paired(m4, q4);
    const mv4 = paired(m4, v4);
    const claims: Claim[] = [
      claim({
        id: 'E1.paper.final-order',
        experiment: ID,
        claim:
          "[paper setting] With the authors' learner, at the end MnM is above Q-learning and Q-learning above VMBPO (paired 95% CIs over seeds)",
        paper: 'Fig. 2a left',
        holds: left.checks.finalOrder.holds,
        measured:
          left.checks.finalOrder.measured +
          projectCounterpart(project, ['E1.mnm-faster-than-q-learning', 'E1.vmbpo-worse-than-both'], WHY, left.checks.finalOrder.holds),
      }),
      claim({
        id: 'E1.paper.mnm-rises-first',
        experiment: ID,
        claim:
          "[paper setting] With the authors' learner, MnM's greedy return reaches J*/2 before Q-learning's and VMBPO's (paired 95% CIs)",
        paper: 'Fig. 2a left: "MnM solves this task more quickly than Q-learning"',
        holds: left.checks.mnmFirst.holds,
        measured:
          left.checks.mnmFirst.measured + projectCounterpart(project, ['E1.mnm-faster-than-q-learning'], WHY, left.checks.mnmFirst.holds),
      }),
      claim({
        id: 'E1.paper.section4-mnm-above-q',
        experiment: ID,
        claim:
          "[paper setting] On the authors' map, the project's Section 4 MnM (learned model and classifier) ends above its Q-learning and VMBPO (means over seeds)",
        paper: 'Fig. 2a left (the Section 4 algorithm on the same map)',
        holds: significantlyAbove(mq4) && significantlyAbove(mv4),
        measured:
          `final true return over ${m4.length} seeds (J* = ${left.optimal.toFixed(4)}): ${fmtPaired(mq4, 'MnM', 'Q-learning', 4)}; ` +
          `against VMBPO (${fmtSummary(v4, 4)}): paired difference ${fmt(mv4.diff, 4)} ± ${fmt(mv4.ci, 4)} (95% CI)`,
      }),
    ];
    const tables: Record<string, pl.DataFrame> = {
      authors_curves: pl.DataFrame(authors as unknown as Row[]),
      section4_curves: pl.DataFrame(s4),
    };
    const figures: Report['figures'] = { fig2a_left_authors: authorsFig, fig2a_left_section4: s4Fig };
    const arrows = results.flatMap((r) => r.tables.arrows ?? []);
    const sum = results.flatMap((r) => r.tables.arrows_summary ?? [])[0];
    if (sum) {
      const g = fig2aGrid(PAPER_KNOBS, { free: 1e-5, goal: 1e9 });
      const panel = 'converged q: arrow length = q(intended cell | s, a)';
      figures.fig2a_right_arrows = gridArrowsSpec(
        arrows.map((a) => ({
          panel,
          row: a.row as number,
          col: a.col as number,
          dRow: (a.dRow as number) * (a.length as number),
          dCol: (a.dCol as number) * (a.length as number),
        })),
        gridOutline(g),
        {
          title: 'Fig. 2a right (paper setting): the optimistic dynamics of the alternating procedure (MnM, rewards 1e-5 / 1e9)',
          panels: [panel],
          maxLength: 0.45,
        },
      );
      tables.arrows = pl.DataFrame(arrows);
      const right = fig2aRight(PAPER_KNOBS);
      claims.push(
        claim({
          id: 'E1.paper.arrows-toward-goal',
          experiment: ID,
          claim:
            '[paper setting] The arrows of the converged q lean toward the goal: in most cells the longest arrow shortens the path to the goal, and such arrows are longer on average',
          paper: 'Fig. 2a right: the optimistic dynamics',
          holds: right.check.holds,
          measured: right.check.measured + projectCounterpart(project, ['E1.model-noise-toward-goal'], WHY, right.check.holds),
        }),
      );
    }
    return { tables, figures, claims };
  },
};
