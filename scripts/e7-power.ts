/**
 * The power estimate behind E7 Stage B's seed count (docs/EXPERIMENTS.md, "Stage B: pre-registration").
 *
 * 1. The pilot: the committed reference run (data/reference/paper/runs/point-maze-{sac,mbpo,mnm}-h1-s*.json, the
 *    old design), with the pre-registered measure computed on it: per run, the mean over the evaluations of the
 *    last third of (Q − G_soft) / D. Prints each arm's spread over seeds and that of the paired MBPO − MnM-approx
 *    difference.
 * 2. Power by simulation (normal per-seed values, 200,000 trials) of the two claims at n seeds under the project's
 *    one verdict rule (lib/stats.ts decide: the 95% t interval), which they use: "difference > margin" holds when
 *    the interval's lower end exceeds the margin; the TOST "within ±margin of 0" when the interval lies inside.
 *
 * Run: npx tsx scripts/e7-power.ts
 */
import * as fs from 'node:fs';
import { MAZE_VALUE_RANGE } from '../lib/deep/value-range';
import { mean, std } from '../lib/stats';
import { type IntervalTest, simulatedPower, within } from './power-sim';

type EvalRow = { step: number; q_estimate: number; mc_return: number };

function measure(file: string): number {
  const rows = (JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: EvalRow[] }).rows;
  const last = Math.max(...rows.map((r) => r.step));
  const window = rows.filter((r) => r.step > (2 * last) / 3);
  return mean(window.map((r) => (r.q_estimate - r.mc_return) / MAZE_VALUE_RANGE.D));
}

const dir = 'data/reference/paper/runs';
const pilot: Record<string, number[]> = {};
for (const algo of ['sac', 'mbpo', 'mnm']) {
  pilot[algo] = [0, 1, 2, 3, 4].map((s) => measure(`${dir}/point-maze-${algo}-h1-s${s}.json`));
  console.log(
    `pilot ${algo}: ${pilot[algo].map((x) => x.toFixed(3)).join(', ')}; mean ${mean(pilot[algo]).toFixed(3)}, sd ${std(pilot[algo]).toFixed(3)}`,
  );
}
const diff = pilot.mbpo.map((x, i) => x - pilot.mnm[i]);
console.log(`pilot mbpo − mnm: mean ${mean(diff).toFixed(3)}, sd ${std(diff).toFixed(3)}`);

const power = (n: number, trueMean: number, sd: number, test: IntervalTest) => simulatedPower('e7-power', n, trueMean, sd, test);
const margin = 0.1;
const above = (m: number, se: number, t: number) => m - t * se > margin;
const tost = within(margin);
for (const sd of [0.08, 0.1]) {
  for (const n of [8, 10, 12]) {
    const p = (d: number) => power(n, d, sd, above).toFixed(2);
    const e = (mu: number) => power(n, mu, sd, tost).toFixed(2);
    console.log(
      `sd ${sd}, n ${n}: MBPO above MnM-approx by > ${margin}: δ 0.2 → ${p(0.2)}, δ 0.3 → ${p(0.3)}; TOST ±${margin}: mean 0 → ${e(0)}, mean 0.03 → ${e(0.03)}`,
    );
  }
}
