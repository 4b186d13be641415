/**
 * Power by simulation, shared by the power scripts (e7-power.ts, e10-power.ts): the fraction of `trials` samples of
 * n normal per-seed values (mean `trueMean`, sd `sd`) on which `test` (given the sample mean, its standard error and
 * the 95% t quantile at n − 1 df, as lib/stats.ts decide uses) says yes. Seeded by `name`: the same numbers every run.
 */
import { Rng } from '../lib/rng';
import { mean, std, t95 } from '../lib/stats';

export type IntervalTest = (m: number, se: number, t: number) => boolean;

export function simulatedPower(name: string, n: number, trueMean: number, sd: number, test: IntervalTest, trials = 200_000): number {
  const rng = new Rng(`${name}/${n}/${trueMean}/${sd}`);
  const t = t95(n - 1);
  let yes = 0;
  const xs = new Float64Array(n);
  for (let k = 0; k < trials; k++) {
    for (let i = 0; i < n; i++) xs[i] = trueMean + sd * rng.normal();
    if (test(mean(xs), std(xs) / Math.sqrt(n), t)) yes++;
  }
  return yes / trials;
}

/** The equivalence (TOST) test of the verdict rule: the 95% interval lies inside (−margin, margin). */
export const within =
  (margin: number): IntervalTest =>
  (m, se, t) =>
    m - t * se > -margin && m + t * se < margin;
