/** Every experiment of the workbench, in the order they are run and reported. */
import type { Experiment } from '../experiment';

export const EXPERIMENTS: Experiment[] = [];

export function findExperiment(id: string): Experiment {
  const exp = EXPERIMENTS.find((e) => e.id === id);
  if (!exp) {
    throw new Error(`unknown experiment '${id}' (known: ${EXPERIMENTS.map((e) => e.id).join(', ') || 'none yet'})`);
  }
  return exp;
}
