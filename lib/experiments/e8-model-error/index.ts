/** E8: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { STAGE_B_CONFIG, type StageBConfig } from '../e7-q-value-stability/run';
import { type E8Figure, report } from './report';
import { runSeed, type E8Tables } from './run';

export * from './report';
export * from './run';

export const e8ModelError: Experiment<StageBConfig, E8Tables, E8Figure> = {
  id: 'e8-model-error',
  title: 'Model error while training MnM-approx',
  paper: 'Fig. 7b',
  reproduces: 'validation MSE of the MnM-approx model over training, against the best MSE of a likelihood model',
  notebook: 'notebooks/05-q-value-stability.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  // E7's config: E8 reads the same runs (the same config trains the same runs; a different one, others).
  config: STAGE_B_CONFIG,
  runSeed,
  report,
};
