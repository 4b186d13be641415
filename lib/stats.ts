/** Small summary statistics used by claim checks and plots. */

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
export function std(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

// Two-sided 95% Student-t quantiles for 1..30 degrees of freedom; 1.96 beyond.
const T95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Half-width of the 95% confidence interval of the mean (t distribution); 0 for fewer than 2 values. */
export function ci95(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const t = n - 1 <= T95.length ? T95[n - 2] : 1.96;
  return (t * std(xs)) / Math.sqrt(n);
}

export interface Summary {
  mean: number;
  std: number;
  ci95: number;
  n: number;
  min: number;
  max: number;
}

export function summarize(xs: ArrayLike<number>): Summary {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    min = Math.min(min, xs[i]);
    max = Math.max(max, xs[i]);
  }
  return { mean: mean(xs), std: std(xs), ci95: ci95(xs), n: xs.length, min, max };
}

/** "mean ± std (n=N)" with a sensible number of digits. */
export function fmtSummary(xs: ArrayLike<number>, digits = 3): string {
  const s = summarize(xs);
  return `${fmt(s.mean, digits)} ± ${fmt(s.std, digits)} (n=${s.n})`;
}

export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}
