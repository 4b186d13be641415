/** E6: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import type { LearnerConfig } from '../../tabular/mnm-agent';
import { type E6Figure, report } from './report';
import { runSeed, config, type E6Tables } from './run';

export * from './report';
export * from './run';

export const e6Transfer: Experiment<LearnerConfig, E6Tables, E6Figure> = {
  id: 'e6-transfer',
  title: 'Transfer of the optimistic MnM model to new goals',
  paper: 'Fig. 13 (App. C)',
  reproduces: 'the MnM model learned for one goal speeds up a similar goal and does not slow down a dissimilar one',
  notebook: 'notebooks/06-transfer.ipynb',
  seeds: { smoke: 2, quick: 10, paper: 30 },
  config,
  runSeed,
  report,
};
