/** Runs one (experiment, seed) unit: the same code whether it is called in a worker thread or in this one. */
import { type Experiment, type Scale, type SeedResult, seedRng } from '../experiment';
import { checkSeedResult } from '../seed-store';

export type UnitProgress = (done: number, total: number, note?: string) => void;

export async function runUnit(
  exp: Experiment,
  scale: Scale,
  config: object,
  seed: number,
  progress: UnitProgress,
): Promise<{ result: SeedResult; seconds: number }> {
  const t0 = performance.now();
  const raw = await exp.runSeed({ scale, config, seed, rng: seedRng(exp.id, seed), progress });
  const problem = checkSeedResult(raw);
  if (problem) throw new Error(`${exp.id} seed ${seed}: ${problem}`);
  // Through JSON, exactly as a saved seed is read back: fresh and resumed runs report identical data.
  const result = JSON.parse(JSON.stringify(raw)) as SeedResult;
  return { result, seconds: (performance.now() - t0) / 1000 };
}
