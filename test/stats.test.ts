// The verdict rule (effect, margin, 95% interval: holds / does not hold / inconclusive), power.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../lib/rng';
import {
  fmtSummary,
  combine,
  decide,
  type Effect,
  exactValue,
  fractionInterval,
  meanInterval,
  pairedInterval,
  powerByResampling,
  powerFraction,
  powerNormal,
  seedsForPower,
  unpairedSE,
  welchInterval,
  wilsonInterval,
} from '../lib/stats';

test('unpaired standard error of a difference of means', () => {
  const a = [1, 2, 3, 4];
  const b = [1.5, 2.5, 3.5, 4.5];
  assert.ok(Math.abs(unpairedSE(a, b) - Math.sqrt((2 * (5 / 3)) / 4)) < 1e-12);
});

const above = (margin: number): Effect => ({ quantity: 'a − b', direction: 'above', margin });
const below = (margin: number): Effect => ({ quantity: 'a − b', direction: 'below', margin });
const onParWithin = (margin: number): Effect => ({ quantity: 'a − b', direction: 'on par', margin });
const iv = (lo: number, hi: number) => ({ estimate: (lo + hi) / 2, lo, hi, n: 10, method: 'paired t' as const });

test('the verdict rule: beyond the margin holds, wholly on the other side does not, straddling is inconclusive', () => {
  assert.equal(decide(above(0.1), iv(0.2, 0.5)).verdict, 'holds');
  assert.equal(decide(above(0.1), iv(-0.3, 0.05)).verdict, 'does not hold');
  const straddle = decide(above(0.1), iv(0.05, 0.5));
  assert.equal(straddle.verdict, 'inconclusive');
  assert.match(straddle.reason ?? '', /straddles the margin 0\.1/);
  // An interval that excludes 0 in the claimed direction but reaches below the margin is not enough.
  assert.equal(decide(above(0.1), iv(0.01, 0.3)).verdict, 'inconclusive');
  // Below mirrors above.
  assert.equal(decide(below(0), iv(-2, -1)).verdict, 'holds');
  assert.equal(decide(below(0), iv(1, 2)).verdict, 'does not hold');
  assert.equal(decide(below(0), iv(-1, 1)).verdict, 'inconclusive');
});

test('on par is equivalence (TOST at 2.5% per side = the 95% interval inside ±margin)', () => {
  assert.equal(decide(onParWithin(1), iv(-0.5, 0.8)).verdict, 'holds');
  assert.equal(decide(onParWithin(1), iv(1.2, 3)).verdict, 'does not hold');
  assert.equal(decide(onParWithin(1), iv(-3, -1.5)).verdict, 'does not hold');
  // A wide interval around 0 is no evidence of equivalence: the old "within 2 SE" test would have said on par.
  assert.equal(decide(onParWithin(1), iv(-4, 4)).verdict, 'inconclusive');
  assert.equal(decide(onParWithin(1), iv(0.5, 1.5)).verdict, 'inconclusive');
  assert.throws(() => decide(onParWithin(0), iv(0, 0)), /on par' margin must be > 0/);
});

test('exact values are decided by their side of the margin; missing intervals are inconclusive; bad input is one line', () => {
  assert.equal(decide(below(1), exactValue(0)).verdict, 'holds');
  assert.equal(decide(below(1), exactValue(3)).verdict, 'does not hold');
  assert.equal(decide(above(0.5), exactValue(0.5)).verdict, 'inconclusive');
  assert.equal(decide(above(0), meanInterval([1])).verdict, 'inconclusive');
  assert.throws(() => decide(above(NaN), iv(0, 1)), /margin of 'a − b' must be a finite number/);
});

test('combine: all parts must hold; one that does not hold decides; otherwise inconclusive', () => {
  const h = decide(above(0), iv(1, 2));
  const f = decide(above(0), iv(-2, -1));
  const i = decide(above(0), iv(-1, 1));
  assert.equal(combine([h, h]).verdict, 'holds');
  assert.equal(combine([h, i]).verdict, 'inconclusive');
  assert.equal(combine([i, f]).verdict, 'does not hold');
  assert.throws(() => combine([]), /no decisions/);
});

test('intervals: paired t of the differences, Welch for independent samples, Wilson for fractions', () => {
  const a = [1, 2, 3, 4, 5];
  const b = a.map((x) => x - 1);
  const p = pairedInterval(a, b);
  assert.deepEqual([p.estimate, p.lo, p.hi], [1, 1, 1]); // every difference is 1: no spread
  const w = welchInterval([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5]);
  assert.ok(Math.abs(w.estimate + 0.5) < 1e-12 && w.lo < -0.5 && w.hi > -0.5);
  // Equal variances and sizes: Welch's df is 2(n − 1) = 6, t = 2.447.
  assert.ok(Math.abs(w.hi - w.estimate - 2.447 * unpairedSE([1, 2, 3, 4], [1.5, 2.5, 3.5, 4.5])) < 1e-9);
  const f = fractionInterval(9, 10);
  assert.deepEqual([f.lo, f.hi], [wilsonInterval(9, 10).lo, wilsonInterval(9, 10).hi]);
  // Wilson for 9/10 (a textbook value): [0.596, 0.982].
  assert.ok(Math.abs(f.lo - 0.5958) < 1e-3 && Math.abs(f.hi - 0.9821) < 1e-3);
});

test('power grows with the seeds and falls toward the margin; the seeds for 80% are the first n that reach it', () => {
  const e = above(0);
  assert.ok(powerNormal(0.4, 0.6, 5, e) < powerNormal(0.4, 0.6, 20, e));
  assert.ok(powerNormal(0.4, 0.6, 20, e) > powerNormal(0.4, 0.6, 20, above(0.3)));
  // Far from the margin with little noise, almost certain; at the margin itself, about the two-sided 5%.
  assert.ok(powerNormal(1, 0.1, 5, e) > 0.99);
  assert.ok(powerNormal(0, 1, 200, e) < 0.06);
  const need = seedsForPower((n) => powerNormal(0.4, 0.6, n, e), 100);
  assert.ok(need !== null && need.power >= 0.8 && powerNormal(0.4, 0.6, need.seeds - 1, e) < 0.8);
  assert.equal(
    seedsForPower(() => 0.1, 30),
    null,
  );
});

test('power of a fraction sums the binomial exactly: a rate of 1 is decided as soon as Wilson clears the margin', () => {
  const e: Effect = { quantity: 'fraction reaching the goal', direction: 'above', margin: 0.5 };
  // k = n = 4: Wilson's lower end 0.51 > 0.5; at n = 3 it is 0.44.
  assert.equal(powerFraction(1, 4, e), 1);
  assert.equal(powerFraction(1, 3, e), 0);
  assert.ok(powerFraction(0.7, 10, e) < powerFraction(0.7, 40, e));
  assert.throws(() => powerFraction(1.2, 4, e), /p must be in \[0, 1\]/);
});

test('power by resampling a bimodal pilot agrees with the normal approximation where that is good, and pairs parts together', () => {
  const rng = new Rng('power-test');
  // A bimodal paired difference: +1 on 40% of seeds, 0 otherwise (one method reaches the goal more often).
  const pilot: number[] = Array.from({ length: 50 }, (_, i) => (i % 5 < 2 ? 1 : 0));
  const verdictOf = (xs: number[]) => decide(above(0), meanInterval(xs)).verdict;
  const p10 = powerByResampling(pilot, 10, verdictOf, rng);
  const p30 = powerByResampling(pilot, 30, verdictOf, rng);
  assert.ok(p10 < p30 && p30 > 0.9, `${p10} ${p30}`);
  const m = pilot.reduce((s, x) => s + x, 0) / pilot.length;
  const sd = Math.sqrt(pilot.reduce((s, x) => s + (x - m) ** 2, 0) / (pilot.length - 1));
  assert.ok(Math.abs(p30 - powerNormal(m, sd, 30, above(0))) < 0.1);
  // Two parts resampled by row: part 2 is always +1, so the claim is decided whenever part 1 is.
  const rows = pilot.map((x) => [x, 1]);
  const both = (xs: number[][]) =>
    combine([decide(above(0), meanInterval(xs.map((r) => r[0]))), decide(above(0), meanInterval(xs.map((r) => r[1])))]).verdict;
  const pBoth = powerByResampling(rows, 30, both, new Rng('power-test'));
  assert.ok(Math.abs(pBoth - powerByResampling(pilot, 30, verdictOf, new Rng('power-test'))) < 1e-12);
  assert.throws(() => powerByResampling([], 5, verdictOf, rng), /pilot is empty/);
});

test('fmtSummary: mean ± std with n, and one value said to have no spread rather than "± 0"', () => {
  assert.equal(fmtSummary([1, 2, 3]), '2 ± 1 (n=3)');
  assert.equal(fmtSummary([23.7]), '23.7 (n=1, no spread)');
});
