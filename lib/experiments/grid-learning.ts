/**
 * What the gridworld experiments (E1, E2, E4, E6) share: a grid's outline for figures, its description for notebooks,
 * J*, and the learner's parameters as an experiment config.
 */
import { type ConfigSpec, rules } from '../config';
import type { Scale } from '../experiment';
import type { GridOutline } from '../plot/grid-layers';
import { fmt } from '../stats';
import type { Gridworld } from '../tabular/gridworld';
import type { LearnerConfig } from '../tabular/mnm-agent';
import { policyReturn, valueIteration } from '../tabular/solve';

/** The first line of a learned experiment's description at smoke scale. */
export const SMOKE_NOTE =
  '_This run is at smoke scale: the budget is too small for the learners to get far, so the verdicts say little. ' +
  'Run at quick scale (the default) for the numbers discussed in the text._\n';

/** J* of the true MDP (the return of the exactly optimal policy). */
export function optimalReturn(g: Gridworld): number {
  return policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
}

/** A grid in markdown: its cells, then states, noise, γ, the rewards and J*. */
export function describeGrid(g: Gridworld): string {
  const r = g.mdp.reward;
  const rewards = [...new Set(r)].sort((a, b) => a - b).map((x) => fmt(x, 4));
  return (
    '```\n' +
    g.map.cells.join('\n') +
    '\n```\n\n' +
    `${g.rows}×${g.cols} cells, ${g.mdp.S} states, noise ${fmt(g.noise)}, γ ${fmt(g.mdp.gamma)}, rewards ${rewards.join(', ')}; ` +
    `the optimal return $J^* = ${fmt(optimalReturn(g), 4)}$.`
  );
}

export function gridOutline(g: Gridworld): GridOutline {
  const walls: { row: number; col: number }[] = [];
  for (let r = 0; r < g.rows; r++) for (let c = 0; c < g.cols; c++) if (g.wallAt(r, c)) walls.push({ row: r, col: c });
  return { rows: g.rows, cols: g.cols, walls, start: g.cellOf(g.start), goal: g.cellOf(g.goal) };
}

/** The tabular learner's parameters as an experiment config (E1, E2, E6): `defaults` gives them at each scale. */
export function learnerConfigSpec(defaults: (scale: Scale) => LearnerConfig): ConfigSpec<LearnerConfig> {
  const posInt = rules.intAtLeast(1);
  return {
    defaults,
    rules: {
      updates: posInt,
      evalEvery: posInt,
      episodeLength: posInt,
      reachHorizon: posInt,
      qLr: (x) => (x > 0 && x <= 1 ? null : 'must be in (0, 1]'),
      epsilon: rules.between(0, 1),
      modelLr: rules.positive,
      classifierLr: rules.positive,
      logitClip: rules.positive,
      modelGradient: rules.oneOf(['exact', 'sampled'] as const),
    },
  };
}
