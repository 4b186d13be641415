/** E4: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment, Tables } from '../../experiment';
import type { WithSetting } from '../settings';
import { type E4Figure, report } from './report';
import { runSeed, config, type E4Config, ID } from './run';

export * from './report';
export * from './run';

export const e4BoundAlongVI: Experiment<E4Config & WithSetting, Tables, E4Figure> = {
  id: ID,
  title: 'The lower bound along value iteration',
  paper: 'Fig. 3b',
  reproduces: 'MnM objective ≤ log J ≤ VMBPO objective (and VMBPO ≥ J) at every value-iteration sweep on the E1 grid',
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 1, quick: 1, paper: 1 },
  config,
  runSeed,
  report,
};
