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

/** The mean of one (method, x) group over the seeds, its band [lo, hi] and how many values it has. */
export interface BandRow {
  method: string;
  x: number;
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/**
 * Mean and band of `value` per (method, x) over the seeds, groups in order of first appearance: ±1 standard
 * deviation (`std`) or the 95% confidence interval of the mean (`ci95`). Values that are null or not finite are left out.
 */
export function bands(rows: { method: string; x: number; value: number | null }[], spread: 'std' | 'ci95'): BandRow[] {
  const groups = new Map<string, { method: string; x: number; values: number[] }>();
  for (const r of rows) {
    if (r.value === null || !Number.isFinite(r.value)) continue;
    const k = `${r.method}\u0000${r.x}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { method: r.method, x: r.x, values: [] }));
    g.values.push(r.value);
  }
  return [...groups.values()].map((g) => {
    const m = mean(g.values);
    const h = spread === 'std' ? std(g.values) : ci95(g.values);
    return { method: g.method, x: g.x, mean: m, lo: m - h, hi: m + h, n: g.values.length };
  });
}

/** Wilson score interval of a fraction k/n (95% by default): stays inside [0, 1], unlike mean ± t·SE at 0 or 1. */
export function wilsonInterval(k: number, n: number, z = 1.96): { lo: number; hi: number } {
  if (!(n > 0) || k < 0 || k > n) throw new Error(`wilsonInterval: need 0 ≤ k ≤ n and n > 0 (got k = ${k}, n = ${n})`);
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  // At k = 0 and k = n the exact ends are 0 and 1 (rounding would leave 1 − 1e-16 below the fraction itself).
  return { lo: k === 0 ? 0 : Math.max(0, c - h), hi: k === n ? 1 : Math.min(1, c + h) };
}

/** Fraction of seeds (values 0 or 1) per (method, x), with its 95% Wilson interval. */
export function fractionBands(rows: { method: string; x: number; value: number }[]): BandRow[] {
  const groups = new Map<string, { method: string; x: number; k: number; n: number }>();
  for (const r of rows) {
    if (r.value !== 0 && r.value !== 1) throw new Error(`fractionBands: value ${r.value} of ${r.method} at x = ${r.x} is not 0 or 1`);
    const key = `${r.method}\u0000${r.x}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { method: r.method, x: r.x, k: 0, n: 0 }));
    g.k += r.value;
    g.n++;
  }
  return [...groups.values()].map((g) => ({ method: g.method, x: g.x, mean: g.k / g.n, ...wilsonInterval(g.k, g.n), n: g.n }));
}

export interface Paired {
  n: number;
  meanA: number;
  stdA: number;
  meanB: number;
  stdB: number;
  /** Mean of a − b over seeds and the half-width of its 95% CI. */
  diff: number;
  ci: number;
}

/** Paired comparison of two per-seed series (same seed index = same row). */
export function paired(a: number[], b: number[]): Paired {
  if (a.length !== b.length) throw new Error(`paired: ${a.length} values against ${b.length}`);
  const d = a.map((x, i) => x - b[i]);
  return { n: a.length, meanA: mean(a), stdA: std(a), meanB: mean(b), stdB: std(b), diff: mean(d), ci: ci95(d) };
}

/**
 * The checks claims make, each in one place. `p` is `paired(a, b)`: a and b measured on the same seeds.
 * "Significantly below": the 95% CI of the mean paired difference a − b lies wholly below 0.
 */
export function significantlyBelow(p: Paired): boolean {
  return p.diff + p.ci < 0;
}

/** "Significantly above": the 95% CI of the mean paired difference a − b lies wholly above 0. */
export function significantlyAbove(p: Paired): boolean {
  return p.diff - p.ci > 0;
}

/** Standard error of mean(a) − mean(b) for independent samples (unequal variances). */
export function unpairedSE(a: number[], b: number[]): number {
  return Math.sqrt(std(a) ** 2 / a.length + std(b) ** 2 / b.length);
}

/** "On par": independent samples whose means differ by less than 2 standard errors of the difference. */
export function onPar(a: number[], b: number[]): boolean {
  return Math.abs(mean(a) - mean(b)) < 2 * unpairedSE(a, b);
}

export function fmtPaired(p: Paired, nameA: string, nameB: string, digits = 3): string {
  return (
    `${nameA} ${fmt(p.meanA, digits)} ± ${fmt(p.stdA, digits)}, ${nameB} ${fmt(p.meanB, digits)} ± ${fmt(p.stdB, digits)} ` +
    `(mean ± std, n=${p.n}); paired difference ${fmt(p.diff, digits)} ± ${fmt(p.ci, digits)} (95% CI)`
  );
}
