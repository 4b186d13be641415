/**
 * E2's paper setting (Fig. 2b as the authors computed it): their 15×15 map with a wall at rows 0–7 of
 * column 7, five actions, no noise, rewards 1 / 100; 20 iterations of the alternating procedure for MnM with
 * the exact model, MnM with the 3×3 block-averaged model (KL clipped to 5) and the block model without the
 * KL term; then a 100-step rollout of each final greedy policy in the true dynamics.
 */
import type { LearnerConfig } from '../../tabular/mnm-agent';
import { fig2b } from '../../tabular/paper-figures/fig2b';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { type PaperRun } from '../settings';

type PathRow = { run: string; step: number; row: number; col: number };
type RolloutRow = { run: string; steps_to_goal: number | null; reach_probability: number; stuck_at_wall: boolean };
export type Fig2bTables = { paths: PathRow[]; summary: RolloutRow[] };

export const paperFig2bRun: PaperRun<LearnerConfig, Fig2bTables> = {
  runsIn: (_scale, seed) => seed === 0,
  runSeed() {
    const r = fig2b(PAPER_KNOBS);
    return {
      paths: r.rollouts.flatMap((x) => x.path.map(([row, col], step) => ({ run: x.label, step, row, col }))),
      summary: r.rollouts.map((x) => ({
        run: x.label,
        steps_to_goal: x.stepsToGoal,
        reach_probability: x.reachProbability,
        stuck_at_wall: x.stuckAtWall,
      })),
    };
  },
};
