/** Every experiment of the workbench, in the order they are run and reported. */
import type { Experiment } from '../experiment';
import { e1GridworldOptimism } from './e1-gridworld-optimism';
import { e2CapacityLimited } from './e2-capacity-limited';
import { e6Transfer } from './e6-transfer';

export const EXPERIMENTS: Experiment[] = [e1GridworldOptimism, e2CapacityLimited, e6Transfer];

export function findExperiment(id: string): Experiment {
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) {
    throw new Error(`unknown experiment '${id}' (known: ${EXPERIMENTS.map((e) => e.id).join(', ') || 'none yet'})`);
  }
  return exp;
}
