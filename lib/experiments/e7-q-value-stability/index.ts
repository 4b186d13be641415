/** E7: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { MAZE_CONFIG, type MazeConfig } from '../deep-runs';
import { type E7Figure, report } from './report';
import { runSeed, type E7Tables } from './run';

export * from './report';
export * from './run';
export * from './stage-a-report';
export * from './stage-a-run';

export const e7QValueStability: Experiment<MazeConfig, E7Tables, E7Figure> = {
  id: 'e7-q-value-stability',
  title: 'Q-value stability: MBPO vs MnM-approx',
  paper: 'Fig. 7a',
  reproduces:
    "Stage A (exact, a 3×3 block model on the Fig. 2b grid): a likelihood model over-promises its greedy policy, MnM's bounds never exceed the truth; then Q estimates vs Monte Carlo returns over training: MBPO's drift above, MnM-approx's stay close",
  notebook: 'notebooks/05-q-value-stability.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  // The settings of the maze runs and of the Pendulum runs behind the sanity bars (lib/experiments/deep-runs.ts DeepSettings).
  config: MAZE_CONFIG,
  runSeed,
  report,
};
