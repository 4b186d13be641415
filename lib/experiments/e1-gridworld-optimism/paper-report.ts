/** The report of E1's paper setting (Fig. 2a): its tables, figures and claims over the seeds paper-run.ts computes. */
import pl from 'nodejs-polars';
import { claim } from '../../claims';
import type { Claim, Report, SeedResult } from '../../experiment';
import { gather, joinedFigures, namedFigures } from '../../experiment';
import { gridArrowsSpec } from '../../plot/grid-arrows';
import { finalMeans, learningCurveSpec } from '../../plot/learning-curve';
import { bands, fmt, fmtPaired, fmtSummary, paired, significantlyAbove } from '../../stats';
import type { LearnerConfig } from '../../tabular/mnm-agent';
import { type Arrow, fig2aGrid, type Fig2aLeft, fig2aLeftChecks, fig2aRight, type Fig2aLeftPoint } from '../../tabular/paper-figures/fig2a';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { SAMPLE_METHOD_LABELS, type SampleMethod } from '../../tabular/sample-learner';
import { gridOutline } from '../grid-learning';
import { projectCounterpart, type PaperReport } from '../settings';
import { SECTION4, type Section4Id, SECTION4_LABEL, type Section4Row, type Fig2aTables } from './paper-run';

const ID = 'e1-gridworld-optimism';

const WHY =
  'the project setting is an open 10×10 grid (no wall), noise 0.2, γ 0.95, rewards 0.01 / 1, an absorbing goal, and the Section 4 learner ' +
  '(learned classifier and model, Eq. 5 reward, 50-step episodes, one Q update per step) measured by updates to 0.9 J*; the paper setting uses the ' +
  "authors' map, noise 0.5, γ 0.9, rewards 0.001 / 10, a goal that is not absorbing and their learner (exact model and KL, 200-step episodes, a batch TD update over a growing buffer).";

export const paperFig2aReport = {
  report(results, _ctx, project) {
    const s = summarise(results);
    return { tables: fig2aTables(s), figures: fig2aFigures(s), claims: fig2aClaims(s, project) };
  },
} satisfies PaperReport<LearnerConfig, Fig2aTables>;

/** What the report reads, computed once: the authors' learner and its checks, the Section 4 learners' finals by method id. */
interface Fig2aSummary {
  /** Seeds of the authors' learner. */
  n: number;
  authors: Fig2aLeftPoint[];
  left: Fig2aLeft;
  section4: Section4Row[];
  /** Final true return of each Section 4 learner, per seed in seed order. */
  finals: Record<Section4Id, number[]>;
  /** The arrows of Fig. 2a right, when seed 0 ran. */
  arrows: Arrow[] | null;
}

function summarise(results: SeedResult<Fig2aTables>[]): Fig2aSummary {
  const authors = gather(results, 'authors_curves');
  const section4 = gather(results, 'section4_curves');
  const seeds = [...new Set(section4.map((r) => r.seed))].sort((a, b) => a - b);
  const finalOf = (id: Section4Id) =>
    seeds.map(
      (seed) =>
        section4.filter((r) => r.seed === seed && r.method === SECTION4_LABEL[id]).reduce((a, b) => (b.update > a.update ? b : a)).ret,
    );
  const finals = { mnm: finalOf('mnm'), 'q-true': finalOf('q-true'), vmbpo: finalOf('vmbpo') };
  return {
    n: new Set(authors.map((p) => p.seed)).size,
    authors,
    left: fig2aLeftChecks(PAPER_KNOBS, authors),
    section4,
    finals,
    arrows: gather(results, 'arrows_summary').length > 0 ? gather(results, 'arrows') : null,
  };
}

function fig2aTables(s: Fig2aSummary): Report['tables'] {
  const tables: Report['tables'] = { authors_curves: pl.DataFrame(s.authors), section4_curves: pl.DataFrame(s.section4) };
  if (s.arrows) tables.arrows = pl.DataFrame(s.arrows);
  return tables;
}

function fig2aFigures(s: Fig2aSummary) {
  const labelOf = (m: SampleMethod) => SAMPLE_METHOD_LABELS[m];
  const reference = { y: s.left.optimal, label: `J* = ${s.left.optimal.toFixed(4)}` };
  const authorsOrder = (['mnm', 'q-learning', 'vmbpo'] as const).map(labelOf);
  const authorsCurve = bands(
    s.authors.map((p) => ({ method: labelOf(p.method), x: p.iteration, value: p.ret })),
    'ci95',
  );
  const section4Curve = bands(
    s.section4.map((r) => ({ method: r.method, x: r.update, value: r.ret })),
    'ci95',
  );
  const left = namedFigures({
    fig2a_left_authors: learningCurveSpec(authorsCurve, {
      title: `Fig. 2a left (paper setting): the authors' learner (exact model and KL), true return of the greedy policy, mean and 95% CI over ${s.n} seeds`,
      subtitle: `Paper (Fig. 2a left): MnM reaches a good policy before Q-learning and VMBPO · Here, at the last iteration: ${finalMeans(authorsCurve, authorsOrder)}`,
      caption: 'Look where each line first reaches the dashed J* line, and how far apart the 95% bands are there.',
      xTitle: 'iterations (one 200-step episode and one batch TD update each)',
      yTitle: 'return from the start',
      order: authorsOrder,
      reference,
    }),
    fig2a_left_section4: learningCurveSpec(section4Curve, {
      title: `Fig. 2a left, same map: the project's Section 4 learners, mean and 95% CI over ${s.n} seeds`,
      subtitle: `Paper (Fig. 2a left): MnM first · Here, at the last update: ${finalMeans(
        section4Curve,
        SECTION4.map((m) => SECTION4_LABEL[m]),
      )}`,
      caption: "The same map with the project's sample-based learners: compare with the authors' learner above.",
      xTitle: 'Q-learning updates (one per simulated step)',
      yTitle: 'return from the start',
      order: SECTION4.map((m) => SECTION4_LABEL[m]),
      reference,
    }),
  });
  // The arrows come from seed 0 only: without it the figure is left out.
  const panel = 'converged q: arrow length = q(intended cell | s, a)';
  const right = s.arrows && {
    fig2a_right_arrows: gridArrowsSpec(
      s.arrows.map((a) => ({ panel, row: a.row, col: a.col, dRow: a.dRow * a.length, dCol: a.dCol * a.length })),
      gridOutline(fig2aGrid(PAPER_KNOBS, { free: 1e-5, goal: 1e9 })),
      {
        title: 'Fig. 2a right (paper setting): the optimistic dynamics of the alternating procedure (MnM, rewards 1e-5 / 1e9)',
        subtitle:
          "Paper (Fig. 2a right): the optimistic model bends the agent's moves toward the goal · Here: the converged q of the alternating procedure",
        caption: 'Each arrow is the probability the model gives the intended move: look how the arrows turn toward the goal.',
        panels: [panel],
        maxLength: 0.45,
      },
    ),
  };
  return joinedFigures(left, right ?? {});
}

function fig2aClaims(s: Fig2aSummary, project: Claim[]): Claim[] {
  const { left, finals } = s;
  // The Section 4 learners' final order, as a claim about the same map.
  const mq4 = paired(finals.mnm, finals['q-true']);
  const mv4 = paired(finals.mnm, finals.vmbpo);
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
      claim: "[paper setting] With the authors' learner, MnM's greedy return reaches J*/2 before Q-learning's and VMBPO's (paired 95% CIs)",
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
        `final true return over ${finals.mnm.length} seeds (J* = ${left.optimal.toFixed(4)}): ${fmtPaired(mq4, 'MnM', 'Q-learning', 4)}; ` +
        `against VMBPO (${fmtSummary(finals.vmbpo, 4)}): paired difference ${fmt(mv4.diff, 4)} ± ${fmt(mv4.ci, 4)} (95% CI)`,
    }),
  ];
  if (s.arrows) {
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
  return claims;
}
