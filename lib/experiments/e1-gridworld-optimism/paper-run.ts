/**
 * E1's paper setting (Fig. 2a as the authors computed it, docs/PAPER-SETTINGS.md): on their 10×10 map with the
 * wall block, noise 0.5, γ 0.9, rewards 0.001 / 10 and a goal that is not absorbing,
 *   left:  the authors' sample-based learner (exact model and exact KL, growing buffer, 1,501 iterations) for
 *          MnM, Q-learning and VMBPO over several seeds, and beside it the project's Section 4 learners
 *          (learned model and classifier, Eq. 5 reward) on the same map: two different things called "MnM";
 *   right: the arrows of the converged q of the alternating procedure (rewards 1e-5 / 1e9).
 */
import type { Scale } from '../../experiment';
import { gridKeys } from '../../tabular/classifier';
import { gridMoveStructure } from '../../tabular/learned-model';
import type { LearnerConfig } from '../../tabular/mnm-agent';
import { trainLearner } from '../../tabular/mnm-agent';
import { type Arrow, fig2aGrid, fig2aLeftRuns, fig2aRight, type Fig2aLeftPoint } from '../../tabular/paper-figures/fig2a';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { type PaperRun } from '../settings';

/** Seeds of the authors' learner (they used 5) and its iterations, per scale. */
export const FIG2A_LEFT_SCALE: Record<Scale, { seeds: number; iterations: number }> = {
  smoke: { seeds: 2, iterations: 301 },
  quick: { seeds: 5, iterations: 1501 },
  paper: { seeds: 10, iterations: 1501 },
};
/** The project's Section 4 learners run beside the authors' on the same map, in this order. */
export const SECTION4: readonly Section4Id[] = ['mnm', 'q-true', 'vmbpo'];
export type Section4Id = 'mnm' | 'q-true' | 'vmbpo';
export const SECTION4_LABEL: Record<Section4Id, string> = {
  mnm: 'MnM (Section 4: learned model and classifier, Eq. 5 reward)',
  'q-true': 'Q-learning (Section 4 learner, true model)',
  vmbpo: 'VMBPO (Section 4: learned model and classifier)',
};

export type Section4Row = { seed: number; method: string; update: number; ret: number };
type ArrowsSummaryRow = {
  iterations: number;
  converged: boolean;
  longest_closer: number;
  mean_closer: number;
  mean_farther: number;
  p_length: number;
};
/** The arrows (Fig. 2a right) are deterministic: seed 0 computes them, the other seeds leave those tables empty. */
export type Fig2aTables = {
  authors_curves: Fig2aLeftPoint[];
  section4_curves: Section4Row[];
  arrows: Arrow[];
  arrows_summary: ArrowsSummaryRow[];
};

export const paperFig2aRun: PaperRun<LearnerConfig, Fig2aTables> = {
  runsIn: (scale, seed) => seed < FIG2A_LEFT_SCALE[scale].seeds,
  runSeed(ctx) {
    const { iterations } = FIG2A_LEFT_SCALE[ctx.scale];
    const authors = fig2aLeftRuns(PAPER_KNOBS, [ctx.seed], (_s, m) => ctx.rng.fork(`authors/${m}`), iterations);
    ctx.progress(1, 3, 'paper setting: Section 4 learners');
    const g = fig2aGrid(PAPER_KNOBS);
    const problem = { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
    const section4: Section4Row[] = [];
    for (const method of SECTION4) {
      const res = trainLearner(problem, method, ctx.config, ctx.rng.fork(`section4/${method}`));
      for (const p of res.curve) section4.push({ seed: ctx.seed, method: SECTION4_LABEL[method], update: p.update, ret: p.ret });
    }
    const tables: Fig2aTables = { authors_curves: authors, section4_curves: section4, arrows: [], arrows_summary: [] };
    if (ctx.seed === 0) {
      const right = fig2aRight(PAPER_KNOBS);
      tables.arrows = right.arrows;
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
};
