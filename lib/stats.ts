/** Small summary statistics used by claim checks and plots. */
import type { Rng } from './rng';

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
  // One value has no spread: "± 0" would read as a measured one.
  if (s.n === 1) return `${fmt(s.mean, digits)} (n=1, no spread)`;
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

/** Standard error of mean(a) − mean(b) for independent samples (unequal variances). */
export function unpairedSE(a: number[], b: number[]): number {
  return Math.sqrt(std(a) ** 2 / a.length + std(b) ** 2 / b.length);
}

export function fmtPaired(p: Paired, nameA: string, nameB: string, digits = 3): string {
  return (
    `${nameA} ${fmt(p.meanA, digits)} ± ${fmt(p.stdA, digits)}, ${nameB} ${fmt(p.meanB, digits)} ± ${fmt(p.stdB, digits)} ` +
    `(mean ± std, n=${p.n}); paired difference ${fmt(p.diff, digits)} ± ${fmt(p.ci, digits)} (95% CI)`
  );
}

// ---------------------------------------------------------------------------------------------------------
// The verdict rule (docs/EXPERIMENTS.md, "The verdict rule"): every claim declares its effect and a margin before
// any result is seen; its verdict is read off where the 95% interval of the measured effect lies against the margin.

/** A claim's verdict: one word for each, everywhere (tables, claims.json, report, notebooks). */
export type Verdict = 'holds' | 'does not hold' | 'inconclusive';

/** above: the effect exceeds the margin; below: it stays under the margin; on par: it lies within ±margin (equivalence). */
export type Direction = 'above' | 'below' | 'on par';

/** A claimed effect, declared before any result: what is measured, in which direction, and the margin it must clear. */
export interface Effect {
  /** What is measured, with its unit and how it is paired, e.g. 'final return, MnM − Q-learning (paired by seed)'. */
  quantity: string;
  direction: Direction;
  /** above: the claim is quantity > margin; below: quantity < margin; on par: −margin < quantity < margin (margin > 0). */
  margin: number;
}

/** How an interval was computed. */
export type IntervalMethod = 'paired t' | 't' | 'Welch' | 'Wilson' | 'exact' | 'bounds';

/** A measured effect and its 95% interval; `exact` (lo = hi = estimate) for a deterministic computation. */
export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  /** Seeds (or draws) behind it; 1 for an exact value. */
  n: number;
  method: IntervalMethod;
}

/** An effect, its interval and the verdict the rule gives them (with the reason unless it holds). */
export interface Decision {
  effect: Effect;
  interval: Interval;
  verdict: Verdict;
  reason?: string;
}

/** The 95% t interval of the mean of xs. */
export function meanInterval(xs: ArrayLike<number>): Interval {
  const m = mean(xs);
  const h = xs.length < 2 ? NaN : ci95(xs);
  return { estimate: m, lo: m - h, hi: m + h, n: xs.length, method: 't' };
}

/** The 95% interval of the mean of a − b over seeds (same index = same seed). */
export function pairedInterval(a: number[], b: number[]): Interval {
  const p = paired(a, b);
  const h = p.n < 2 ? NaN : p.ci;
  return { estimate: p.diff, lo: p.diff - h, hi: p.diff + h, n: p.n, method: 'paired t' };
}

/** Two-sided 95% t quantile for `df` degrees of freedom (fractional df rounded down, as a conservative choice). */
export function t95(df: number): number {
  if (!(df >= 1)) return NaN;
  const k = Math.floor(df);
  return k <= T95.length ? T95[k - 1] : 1.96;
}

/** The 95% interval of mean(a) − mean(b) for independent samples (Welch: unequal variances, Satterthwaite's df). */
export function welchInterval(a: number[], b: number[]): Interval {
  const va = std(a) ** 2 / a.length;
  const vb = std(b) ** 2 / b.length;
  const se = Math.sqrt(va + vb);
  const df = se === 0 ? Infinity : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const d = mean(a) - mean(b);
  const h = a.length < 2 || b.length < 2 ? NaN : se === 0 ? 0 : t95(df) * se;
  return { estimate: d, lo: d - h, hi: d + h, n: Math.min(a.length, b.length), method: 'Welch' };
}

/** The fraction k/n with its 95% Wilson interval (for outcomes that are 0 or 1 per seed, e.g. "reaches the goal"). */
export function fractionInterval(k: number, n: number): Interval {
  const w = wilsonInterval(k, n);
  return { estimate: k / n, ...w, n, method: 'Wilson' };
}

/** A value computed exactly (no seeds): its interval is the value itself. */
export function exactValue(x: number): Interval {
  return { estimate: x, lo: x, hi: x, n: 1, method: 'exact' };
}

const DIRECTIONS: readonly Direction[] = ['above', 'below', 'on par'];

/** A quantity known only to lie between two computed values (e.g. a gap measured at some models, bounding the gap at the best one). */
export function boundsInterval(lo: number, hi: number): Interval {
  return { estimate: hi, lo, hi, n: 1, method: 'bounds' };
}

/** The interval as text: "0.41 [0.12, 0.7] (paired t, n=10)", or the value alone when exact. */
export function fmtInterval(i: Interval, digits = 3): string {
  if (i.method === 'exact') return fmt(i.estimate, digits);
  if (i.method === 'bounds') return `somewhere in [${fmt(i.lo, digits)}, ${fmt(i.hi, digits)}]`;
  return `${fmt(i.estimate, digits)} [${fmt(i.lo, digits)}, ${fmt(i.hi, digits)}] (95% ${i.method}, n=${i.n})`;
}

/** The claimed effect as text, e.g. "final return, MnM − Q-learning > 0.05". */
export function fmtEffect(e: Effect): string {
  if (e.direction === 'on par') return `|${e.quantity}| < ${fmt(e.margin, 4)}`;
  return `${e.quantity} ${e.direction === 'above' ? '>' : '<'} ${fmt(e.margin, 4)}`;
}

/**
 * The one verdict rule. Directional (above / below the margin m): `holds` when the whole 95% interval lies beyond m
 * in the claimed direction, `does not hold` when it lies wholly on the other side of m (it excludes the claimed effect),
 * `inconclusive` when it straddles m. On par (equivalence within ±m, TOST: two one-sided tests, each at 2.5%, the same
 * as the 95% interval inside (−m, m)): `holds` when the interval lies inside (−m, m), `does not hold` when it lies
 * wholly outside [−m, m], `inconclusive` otherwise. An interval that cannot be computed (fewer than 2 seeds) is
 * inconclusive. An exact value (lo = hi) is decided by which side of m it is on.
 */
export function decide(effect: Effect, interval: Interval): Decision {
  const { direction, margin, quantity } = effect;
  if (!DIRECTIONS.includes(direction))
    throw new Error(`decide: direction must be one of ${DIRECTIONS.join(', ')}, got '${String(direction)}'`);
  if (!Number.isFinite(margin)) throw new Error(`decide: the margin of '${quantity}' must be a finite number, got ${margin}`);
  if (direction === 'on par' && !(margin > 0)) throw new Error(`decide: an 'on par' margin must be > 0, got ${margin} for '${quantity}'`);
  const { lo, hi } = interval;
  const at = `${fmtInterval(interval)}`;
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) {
    return {
      effect,
      interval,
      verdict: 'inconclusive',
      reason:
        interval.method === 'exact'
          ? `${quantity} could not be computed`
          : `no 95% interval of ${quantity} (n=${interval.n}; at least 2 seeds are needed)`,
    };
  }
  if (lo > hi) throw new Error(`decide: interval of '${quantity}' has lo ${lo} > hi ${hi}`);
  const m = fmt(margin, 4);
  if (direction === 'on par') {
    if (lo > -margin && hi < margin) return { effect, interval, verdict: 'holds' };
    if (lo > margin || hi < -margin)
      return { effect, interval, verdict: 'does not hold', reason: `${quantity} ${at} lies outside the equivalence margin ±${m}` };
    return {
      effect,
      interval,
      verdict: 'inconclusive',
      reason: `${quantity} ${at} is neither inside nor outside the equivalence margin ±${m}`,
    };
  }
  const sign = direction === 'above' ? 1 : -1;
  const near = sign > 0 ? lo : -hi; // the interval's end nearest the margin, in the claimed direction
  const far = sign > 0 ? hi : -lo;
  const mm = sign * margin;
  if (near > mm) return { effect, interval, verdict: 'holds' };
  if (far < mm)
    return {
      effect,
      interval,
      verdict: 'does not hold',
      reason: `${quantity} ${at} lies wholly ${direction === 'above' ? 'below' : 'above'} the margin ${m}`,
    };
  return {
    effect,
    interval,
    verdict: 'inconclusive',
    reason: interval.method === 'exact' ? `${quantity} equals the margin ${m}` : `${quantity} ${at} straddles the margin ${m}`,
  };
}

/** A deterministic part of a claim: an exactly computed quantity against its margin. */
export function decideExact(quantity: string, direction: 'above' | 'below', margin: number, value: number): Decision {
  return decide({ quantity, direction, margin }, exactValue(value));
}

/**
 * Several decisions that must all hold (e.g. "above both"): `does not hold` when any part does not hold, `holds` when
 * every part holds, `inconclusive` otherwise, with the reasons of the parts that decide it.
 */
export function combine(parts: Decision[]): { verdict: Verdict; reason?: string } {
  if (parts.length === 0) throw new Error('combine: no decisions');
  const failed = parts.filter((p) => p.verdict === 'does not hold');
  if (failed.length) return { verdict: 'does not hold', reason: failed.map((p) => p.reason).join('; ') };
  const open = parts.filter((p) => p.verdict === 'inconclusive');
  if (open.length) return { verdict: 'inconclusive', reason: open.map((p) => p.reason).join('; ') };
  return { verdict: 'holds' };
}

// ---------------------------------------------------------------------------------------------------------
// Power: how likely n seeds are to decide a claim (holds or does not hold), estimated from a pilot.

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 for erf (|error| < 1.5e-7).
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Power of n seeds for a paired (or one-sample) mean whose per-seed values have mean `mu` and standard deviation
 * `sd` (from a pilot), by the normal approximation: the probability that the 95% t interval decides the effect
 * (lies wholly on one side of the margin; for on par, inside or wholly outside ±margin). Suits outcomes near normal;
 * for bimodal ones use powerByResampling.
 */
export function powerNormal(mu: number, sd: number, n: number, effect: Effect): number {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`powerNormal: n must be an integer ≥ 2, got ${n}`);
  if (!(sd >= 0)) throw new Error(`powerNormal: sd must be ≥ 0, got ${sd}`);
  const se = sd / Math.sqrt(n);
  const t = t95(n - 1);
  const m = effect.margin;
  if (se === 0) return decide(effect, exactValue(mu)).verdict === 'inconclusive' ? 0 : 1;
  // P(lo > c) and P(hi < c) for the estimate ~ N(mu, se²), half-width t·se.
  const pAbove = (c: number) => normalCdf((mu - c) / se - t);
  const pBelow = (c: number) => normalCdf((c - mu) / se - t);
  if (effect.direction === 'on par') {
    // Inside (−m, m) needs 2·t·se < 2m; outside on either side.
    const inside = m > t * se ? Math.max(0, normalCdf((m - t * se - mu) / se) - normalCdf((-m + t * se - mu) / se)) : 0;
    return Math.min(1, inside + pAbove(m) + pBelow(-m));
  }
  return Math.min(1, pAbove(m) + pBelow(m));
}

/**
 * Power of n seeds for a fraction (an outcome that is 0 or 1 per seed, true rate p): the exact probability, summed
 * over the binomial, that the 95% Wilson interval of k/n decides the effect against its margin.
 */
export function powerFraction(p: number, n: number, effect: Effect): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`powerFraction: p must be in [0, 1], got ${p}`);
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`powerFraction: n must be a positive integer, got ${n}`);
  let total = 0;
  let logC = 0; // log C(n, k)
  for (let k = 0; k <= n; k++) {
    if (k > 0) logC += Math.log(n - k + 1) - Math.log(k);
    const pk = p === 0 ? (k === 0 ? 1 : 0) : p === 1 ? (k === n ? 1 : 0) : Math.exp(logC + k * Math.log(p) + (n - k) * Math.log(1 - p));
    if (pk > 0 && decide(effect, fractionInterval(k, n)).verdict !== 'inconclusive') total += pk;
  }
  return Math.min(1, total);
}

/**
 * Power of n seeds estimated by resampling a pilot: draw n of its seeds with replacement `draws` times, and count how
 * often `verdictOf(sample)` decides the claim (holds or does not hold). Makes no assumption about the outcome's shape,
 * so it suits bimodal outcomes (a run reaches the goal or it does not) and claims of several parts (a pilot row holds
 * one seed's values of every part, so the parts are resampled together, as common random numbers pair them).
 */
export function powerByResampling<T>(pilot: readonly T[], n: number, verdictOf: (sample: T[]) => Verdict, rng: Rng, draws = 2000): number {
  if (pilot.length === 0) throw new Error('powerByResampling: the pilot is empty');
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`powerByResampling: n must be a positive integer, got ${n}`);
  let decided = 0;
  const sample: T[] = new Array<T>(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) sample[i] = pilot[rng.int(pilot.length)];
    if (verdictOf(sample) !== 'inconclusive') decided++;
  }
  return decided / draws;
}

/**
 * The fewest seeds (from 2 up to `maxSeeds`) whose power reaches `target` (0.8 by default), by `powerOf(n)`; null when
 * even `maxSeeds` falls short. Power need not grow smoothly with n (a t quantile, a discrete fraction): the first n is
 * returned, not a bisection's.
 */
export function seedsForPower(powerOf: (n: number) => number, maxSeeds: number, target = 0.8): { seeds: number; power: number } | null {
  for (let n = 2; n <= maxSeeds; n++) {
    const p = powerOf(n);
    if (p >= target) return { seeds: n, power: p };
  }
  return null;
}

/** Decisions read back from JSON (a table cell): each must have an effect, an interval and a verdict. */
export function decisionsFromJson(json: string, what: string): Decision[] {
  const parsed: unknown = JSON.parse(json);
  const ok = (d: unknown): d is Decision =>
    typeof d === 'object' &&
    d !== null &&
    'effect' in d &&
    'interval' in d &&
    'verdict' in d &&
    ['holds', 'does not hold', 'inconclusive'].includes(String((d as { verdict: unknown }).verdict));
  if (!Array.isArray(parsed) || !parsed.every(ok)) throw new Error(`${what}: not a list of decisions (effect, interval, verdict)`);
  return parsed;
}
