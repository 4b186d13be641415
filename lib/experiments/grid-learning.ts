/** What the learned-gridworld experiments (E1, E2, E6) share: a grid's outline for figures, and the learner's parameters as an experiment config. */
import { type ConfigSpec, rules } from '../config';
import type { Scale } from '../experiment';
import type { GridOutline } from '../plot/grid-layers';
import type { Gridworld } from '../tabular/gridworld';
import type { LearnerConfig } from '../tabular/mnm-agent';

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
