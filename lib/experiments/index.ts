/** Every experiment of the workbench, in the order they are run and reported. */
import type { Experiment } from '../experiment';
import { e1GridworldOptimism } from './e1-gridworld-optimism';
import { e2CapacityLimited } from './e2-capacity-limited';
import { e3RiskMDP } from './e3-risk-mdp';
import { e4BoundAlongVI } from './e4-bound-along-vi';
import { e5BoundProperties } from './e5-bound-properties';
import { e6Transfer } from './e6-transfer';
import { e10DeepComparison } from './e10-deep-comparison';
import { e11Hopper } from './e11-hopper';
import { e12TabularSensitivity } from './e12-tabular-sensitivity';
import { e7QValueStability } from './e7-q-value-stability';
import { e8ModelError } from './e8-model-error';
import { e9RolloutHorizon } from './e9-rollout-horizon';

export const EXPERIMENTS: Experiment[] = [
  e1GridworldOptimism,
  e2CapacityLimited,
  e3RiskMDP,
  e4BoundAlongVI,
  e5BoundProperties,
  e6Transfer,
  e7QValueStability,
  e8ModelError,
  e9RolloutHorizon,
  e10DeepComparison,
  e11Hopper,
  e12TabularSensitivity,
];

export function findExperiment(id: string): Experiment {
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) {
    throw new Error(`unknown experiment '${id}' (known: ${EXPERIMENTS.map((e) => e.id).join(', ') || 'none yet'})`);
  }
  return exp;
}
