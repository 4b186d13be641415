/** E7: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { type E7Figure, report } from './report';
import { runSeed, STAGE_B_CONFIG, type StageBConfig, type E7Tables } from './run';

export * from './report';
export * from './run';
export * from './stage-a-report';
export * from './stage-a-run';
export * from './stage-b-measure';
export * from './stage-b-report';

export const e7QValueStability: Experiment<StageBConfig, E7Tables, E7Figure> = {
  id: 'e7-q-value-stability',
  title: 'Q-value stability: does a model that can be exploited inflate Q?',
  paper: 'Fig. 7a',
  reproduces:
    "Stage A (exact, a 3×3 block model on the Fig. 2b grid): a likelihood model over-promises its greedy policy, MnM's bounds never exceed the truth. Stage B (deep, a point maze whose model sees the position only to a 0.2 cell): MBPO's critic over-estimates its return by more than MnM-approx's; with Eq. 5's classifier term it is unbiased",
  notebook: 'notebooks/05-q-value-stability.ipynb',
  // Paper: the 10 seeds per arm of the Stage B pre-registration (docs/EXPERIMENTS.md), from its power estimate.
  seeds: { smoke: 2, quick: 3, paper: 10 },
  // The maze settings of the five arms (lib/experiments/deep-runs.ts DeepSettings), Pendulum's, and the capacity limit.
  config: STAGE_B_CONFIG,
  runSeed,
  report,
};
