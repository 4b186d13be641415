/** E5: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';

import { type E5Figure, report } from './report';
import { runSeed, E5_CONFIG, type E5Config, type E5Tables, ID } from './run';

export * from './report';
export * from './run';

export const e5BoundProperties: Experiment<E5Config, E5Tables, E5Figure> = {
  id: ID,
  title: 'Properties of the lower bound on random MDPs',
  paper: 'Table 1',
  reproduces: 'the MnM bound holds globally and is not tight at optimality (Eq. 2)',
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  config: E5_CONFIG,
  runSeed,
  report,
};
