/** E1: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment, Tables } from '../../experiment';
import type { LearnerConfig } from '../../tabular/mnm-agent';
import { FIG2A_LEFT_SCALE } from '../../tabular/paper-figures/fig2a';
import type { WithSetting } from '../settings';
import { type E1Figure, report } from './report';
import { runSeed, config } from './run';

export * from './report';
export * from './run';

export const e1GridworldOptimism: Experiment<LearnerConfig & WithSetting, Tables, E1Figure> = {
  id: 'e1-gridworld-optimism',
  title: 'Gridworld optimism: learned MnM against Q-learning and VMBPO',
  paper: 'Fig. 2a',
  reproduces: 'MnM learns faster than Q-learning on the true model and VMBPO; its model tilts noise toward the goal',
  notebook: 'notebooks/01-gridworld-optimism.ipynb',
  // At least the seeds of the authors' learner (lib/tabular/paper-figures/fig2a.ts, from power), which its paper setting
  // runs on seeds 0, 1, …: so E1 prints the same Fig. 2a left as E12, whose seeds are those.
  seeds: {
    smoke: Math.max(2, FIG2A_LEFT_SCALE.smoke.seeds),
    quick: Math.max(10, FIG2A_LEFT_SCALE.quick.seeds),
    paper: Math.max(30, FIG2A_LEFT_SCALE.paper.seeds),
  },
  config,
  runSeed,
  report,
};
