/**
 * E3's paper setting (Fig. 3a as the authors computed it): three cells in a row, start in the middle,
 * rewards 50 / 1 / 51, the right cell sends the agent back to the middle half of the time, γ 0.9. The
 * return of each method's final policy from the middle: Q-learning = the return-optimal policy, MnM and
 * VMBPO by the alternating procedure (and, for comparison, by the project's value iteration).
 */
import { fig3a } from '../../tabular/paper-figures/fig3a';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { type PaperRun } from '../settings';

export type ReturnRow = { method: string; procedure: string; return: number; iterations: number | null };
export type Fig3aTables = { returns: ReturnRow[] };

export const paperFig3aRun: PaperRun<object, Fig3aTables> = {
  runsIn: (_scale, seed) => seed === 0,
  runSeed() {
    const r = fig3a(PAPER_KNOBS);
    return { returns: r.methods.map((m) => ({ method: m.method, procedure: m.procedure, return: m.ret, iterations: m.iterations })) };
  },
};
