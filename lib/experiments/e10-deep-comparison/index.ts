/** E10: the experiment object. Its seeds are computed by run.ts (what the seed fingerprint covers), its report by report.ts. */
import type { Experiment } from '../../experiment';
import { type E10Figure, report } from './report';
import { E10_CONFIG, type E10Config, runSeed, type E10Tables } from './run';

export * from './report';
export * from './run';

export const e10DeepComparison: Experiment<E10Config, E10Tables, E10Figure> = {
  id: 'e10-deep-comparison',
  title: 'MnM-approx vs MBPO vs SAC on Pendulum, the point maze and InvertedPendulum (MuJoCo)',
  paper: 'Fig. 4 (small)',
  reproduces: 'final returns of MnM-approx, MBPO and model-free SAC on three small continuous tasks, with spread over seeds',
  notebook: 'notebooks/07-deep-comparison.ipynb',
  // smoke: one seed keeps the notebook test short (nine runs per seed); spread needs quick or paper. Paper: 24, of
  // which seeds 8–23 run InvertedPendulum alone (run.ts E10_ALL_TASK_SEEDS), from the power estimate on the 8-seed
  // pilot (scripts/e10-power.ts; docs/EXPERIMENTS.md, "E10's second run").
  seeds: { smoke: 1, quick: 3, paper: 24 },
  config: E10_CONFIG,
  runSeed,
  report,
};
