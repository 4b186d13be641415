/** E2: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment, Tables } from '../../experiment';
import type { LearnerConfig } from '../../tabular/mnm-agent';
import type { WithSetting } from '../settings';
import { type E2Figure, report } from './report';
import { runSeed, config } from './run';

export * from './report';
export * from './run';

export const e2CapacityLimited: Experiment<LearnerConfig & WithSetting, Tables, E2Figure> = {
  id: 'e2-capacity-limited',
  title: 'Capacity-limited model: the classifier term keeps the policy off transitions the model gets wrong',
  paper: 'Fig. 2b',
  reproduces: 'with a 3×3-block model, MnM reaches the goal; without the classifier term the policy walks into walls',
  notebook: 'notebooks/02-capacity-limited.ipynb',
  seeds: { smoke: 2, quick: 10, paper: 30 },
  config,
  runSeed,
  report,
};
