/** E1: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment, Tables } from '../../experiment';
import type { LearnerConfig } from '../../tabular/mnm-agent';
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
  seeds: { smoke: 2, quick: 10, paper: 30 },
  config,
  runSeed,
  report,
};
