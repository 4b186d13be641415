/** E12: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';

import { type E12Figure, report } from './report';
import { runSeed, E12_CONFIG, type E12Config, type E12Tables, ID } from './run';

export * from './report';
export * from './run';

export const e12TabularSensitivity: Experiment<E12Config, E12Tables, E12Figure> = {
  id: ID,
  title: 'Sensitivity of the tabular claims to the choices the paper leaves open',
  paper: 'Fig. 2a, 2b, 3a, 3b',
  reproduces: "each tabular claim under the paper's settings, the project's, and single-knob changes (log r weight, KL clip, noise, γ)",
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 2, quick: 5, paper: 10 },
  config: E12_CONFIG,
  runSeed,
  report,
};
