/** E7: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { NO_CONFIG, type NoConfig } from '../../config';
import { report } from './report';
import { runSeed, type E7Tables } from './run';

export * from './report';
export * from './run';

export const e7QValueStability: Experiment<NoConfig, E7Tables> = {
  id: 'e7-q-value-stability',
  title: 'Q-value stability: MBPO vs MnM-approx',
  paper: 'Fig. 7a',
  reproduces: "Q estimates vs Monte Carlo returns over training: MBPO's drift above, MnM-approx's stay close",
  notebook: 'notebooks/05-q-value-stability.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  config: NO_CONFIG,
  runSeed,
  report,
};
