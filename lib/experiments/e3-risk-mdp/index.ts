/** E3: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment, Tables } from '../../experiment';
import type { WithSetting } from '../settings';
import { type E3Figure, report } from './report';
import { runSeed, config, type E3Config, ID } from './run';

export * from './report';
export * from './run';

export const e3RiskMDP: Experiment<E3Config & WithSetting, Tables, E3Figure> = {
  id: ID,
  title: 'The 3-state risk MDP: MnM against VMBPO',
  paper: 'Fig. 3a',
  reproduces: 'MnM picks the reward-maximising side; VMBPO the risky side with lower mean and higher variance',
  notebook: 'notebooks/03-risk-mdp.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  config,
  runSeed,
  report,
};
