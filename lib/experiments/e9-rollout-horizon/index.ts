/** E9: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';

import { type E9Figure, report } from './report';
import { runSeed, E9_CONFIG, type E9Config, type E9Tables } from './run';

export * from './report';
export * from './run';

export const e9RolloutHorizon: Experiment<E9Config, E9Tables, E9Figure> = {
  id: 'e9-rollout-horizon',
  title: 'Return vs model rollout horizon (MnM-approx)',
  paper: 'Fig. 12',
  reproduces: 'final return of MnM-approx for model rollout horizons 1, 3, 5, 10',
  notebook: 'notebooks/07-deep-comparison.ipynb',
  seeds: { smoke: 1, quick: 2, paper: 5 },
  config: E9_CONFIG,
  runSeed,
  report,
};
