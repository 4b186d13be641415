/** E7: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { MAZE_CONFIG, type MazeConfig } from '../deep-runs';
import { report } from './report';
import { runSeed, type E7Tables } from './run';

export * from './report';
export * from './run';

export const e7QValueStability: Experiment<MazeConfig, E7Tables> = {
  id: 'e7-q-value-stability',
  title: 'Q-value stability: MBPO vs MnM-approx',
  paper: 'Fig. 7a',
  reproduces: "Q estimates vs Monte Carlo returns over training: MBPO's drift above, MnM-approx's stay close",
  notebook: 'notebooks/05-q-value-stability.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  // The settings of the maze runs and of the Pendulum runs behind the sanity bars (lib/experiments/deep-runs.ts DeepSettings).
  config: MAZE_CONFIG,
  runSeed,
  report,
};
