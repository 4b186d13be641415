/**
 * The pilot of Fig. 2a left (paper setting): the authors' learner with the control, on seeds 1000, 1001, … (disjoint
 * from every run's seeds), written to data/pilot-fig2a-left.json; then the power of each claim by seed count and the
 * fewest seeds for 80%. E1 and E12 read the pilot for the power they report.
 *
 *   npx tsx scripts/pilot-fig2a.ts [SEEDS=60]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  FIG2A_CLAIMS,
  FIG2A_PILOT_FILE,
  FIG2A_PILOT_FIRST_SEED,
  fig2aLeftRuns,
  fig2aLeftSeeds,
  fig2aPower,
  fig2aSeedRows,
  PAPER_KNOBS,
  type Fig2aPilot,
} from '../lib/tabular/paper-figures';
import { AUTHORS_SAMPLE_LEARNER, SAMPLE_METHODS_WITH_CONTROL } from '../lib/tabular/sample-learner';
import { seedsForPower } from '../lib/stats';

const n = Number(process.argv[2] ?? 60);
if (!(Number.isInteger(n) && n >= 2)) {
  console.error(`pilot-fig2a: SEEDS must be an integer ≥ 2, got '${process.argv[2]}'`);
  process.exit(2);
}
const seeds = Array.from({ length: n }, (_, i) => FIG2A_PILOT_FIRST_SEED + i);
const iterations = AUTHORS_SAMPLE_LEARNER.iterations;
const t0 = Date.now();
const s = fig2aLeftSeeds(PAPER_KNOBS, fig2aLeftRuns(PAPER_KNOBS, seeds, iterations, SAMPLE_METHODS_WITH_CONTROL));
const pilot: Fig2aPilot = {
  note: `seeds ${seeds[0]}–${seeds[n - 1]} of the authors' learner (paper setting, ${iterations} iterations, common random numbers): npx tsx scripts/pilot-fig2a.ts ${n}`,
  optimal: s.optimal,
  iterations,
  rows: fig2aSeedRows(s),
};
const file = path.join(__dirname, '..', 'data', FIG2A_PILOT_FILE);
fs.writeFileSync(file, JSON.stringify(pilot, null, 1) + '\n');
console.log(`${file}: ${n} seeds in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
for (const key of FIG2A_CLAIMS) {
  const powers = [5, 10, 15, 20, 30].map((k) => `${k}: ${fig2aPower(pilot, key, k).toFixed(2)}`).join(', ');
  const need = seedsForPower((k) => fig2aPower(pilot, key, k), 60);
  console.log(`${key}: power by seeds ${powers}; 80% needs ${need ? `${need.seeds} seeds (${need.power.toFixed(2)})` : 'more than 60'}`);
}
