/**
 * E4's paper setting (Fig. 3b as the authors computed it): the Fig. 2a map, noise 0.5, γ 0.9, rewards 1 / 10;
 * the alternating procedure with the MnM reward; per iteration, for the (π, q) it evaluates: log J(π), the
 * Eq. 2 bound L(π, q), the tight bound (Eq. 10) and the log of the VMBPO objective under q.
 */
import { alternatingProcedure } from '../../tabular/alternating';
import { fig2aGrid } from '../../tabular/paper-figures/fig2a';
import { fig3b, type Fig3bRow } from '../../tabular/paper-figures/fig3b';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { mnmObjective, optimisticModel, policyReturn, valueIteration } from '../../tabular/solve';
import { type PaperRun } from '../settings';

export type CompareRow = { procedure: string; log_J_of_policy: number; eq2_bound: number; iterations: number };
export type Fig3bTables = { along: Fig3bRow[]; compare: CompareRow[] };

export const paperFig3bRun: PaperRun<object, Fig3bTables> = {
  runsIn: (_scale, seed) => seed === 0,
  runSeed() {
    const r = fig3b(PAPER_KNOBS);
    // The same map solved by the project's value iteration (q* ∝ p·exp(γV)) next to the alternating procedure (q ∝ p·exp(V)).
    const g = fig2aGrid(PAPER_KNOBS, { free: 1, goal: 10 });
    const alt = alternatingProcedure(g.mdp, { objective: 'mnm' });
    const vi = valueIteration(g.mdp, 'mnm');
    const compare: CompareRow[] = [
      {
        procedure: 'alternating (authors)',
        log_J_of_policy: Math.log(policyReturn(g.mdp, alt.greedy)),
        eq2_bound: mnmObjective(g.mdp, alt.pi, alt.q),
        iterations: alt.iterations,
      },
      {
        procedure: 'value iteration (project)',
        log_J_of_policy: Math.log(policyReturn(g.mdp, vi.policy)),
        eq2_bound: mnmObjective(g.mdp, vi.policy, optimisticModel(g.mdp, vi.V)),
        iterations: vi.iterations,
      },
    ];
    return { along: r.rows, compare };
  },
};
