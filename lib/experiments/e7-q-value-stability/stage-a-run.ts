/**
 * E7 Stage A (issue 25): the mechanism behind Fig. 7a, exact, at every scale (about 2 seconds). On the Fig. 2b
 * map with a 3×3 block model (lib/tabular/model-exploitation.ts): what a likelihood-trained (MLE) block model
 * promises its greedy policy against what that policy gets, and MnM's Eq. 2 and Eq. 10 bounds for its own
 * policy against log V; the full-resolution MLE model as the control. Exact policy evaluation: one
 * deterministic computation, stored by seed 0 only (stage-a-report.ts reads it).
 */
import { exploitationStudy, type ExploitationStudy } from '../../tabular/model-exploitation';
import { fig2bGrid } from '../../tabular/paper-figures/fig2b';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';

/** Steps of the greedy paths drawn. */
const PATH_STEPS = 40;

/** Stage A runs in seed 0 of every scale. */
export const stageARunsIn = (seed: number) => seed === 0;

export type StageAStateRow = {
  row: number;
  col: number;
  mle_promised: number;
  mle_true: number;
  /** null: −∞ (the model puts mass where p has none on a row the policy reaches). */
  mnm_eq2: number | null;
  mnm_eq10: number | null;
  mnm_log_true: number;
  full_promised: number;
  full_true: number;
};

export type StageAPathRow = { policy: 'mle' | 'mnm'; step: number; row: number; col: number };

export type StageATables = { stage_a_states: StageAStateRow[]; stage_a_paths: StageAPathRow[] };

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The study on the Fig. 2b map, as table rows. */
export function stageATables(
  study: ExploitationStudy = exploitationStudy(fig2bGrid(PAPER_KNOBS), { pathSteps: PATH_STEPS }),
): StageATables {
  const g = study.grid;
  const path = (policy: 'mle' | 'mnm', states: number[]): StageAPathRow[] =>
    states.map((s, step) => ({ policy, step, row: g.cellOf(s)[0], col: g.cellOf(s)[1] }));
  return {
    stage_a_states: study.states.map((x) => ({
      row: x.row,
      col: x.col,
      mle_promised: x.mlePromised,
      mle_true: x.mleTruth,
      mnm_eq2: finiteOrNull(x.mnmEq2),
      mnm_eq10: finiteOrNull(x.mnmEq10),
      mnm_log_true: x.mnmLogTruth,
      full_promised: x.fullPromised,
      full_true: x.fullTruth,
    })),
    stage_a_paths: [...path('mle', study.mle.path), ...path('mnm', study.mnm.path)],
  };
}
