/** E11: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';

import { type E11Figure, report } from './report';
import { runSeed, config, type HopperConfig, type E11Tables } from './run';

export * from './report';
export * from './run';

export const e11Hopper: Experiment<HopperConfig, E11Tables, E11Figure> = {
  id: 'e11-hopper',
  title: 'MnM-approx vs MBPO vs SAC on Hopper-v5 (MuJoCo; cluster-sized with config size "cluster")',
  paper: 'Fig. 4a (Hopper)',
  reproduces: 'final returns on Hopper-v5; small at every scale here, MBPO-sized (125k env steps) on a cluster',
  notebook: 'notebooks/07-deep-comparison.ipynb',
  seeds: { smoke: 1, quick: 1, paper: 2 },
  config,
  runSeed,
  report,
};
