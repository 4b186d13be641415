// The named checks claims make: significantly below / above (paired 95% CI) and on par (2 standard errors).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onPar, paired, significantlyAbove, significantlyBelow, unpairedSE } from '../lib/stats';

test('a paired difference is significant only when its whole 95% CI is on one side of 0', () => {
  const base = [10, 12, 9, 11, 10];
  const lower = base.map((x, i) => x - 2 - 0.1 * i); // a − b in [−2.4, −2]: a clearly below
  assert.equal(significantlyBelow(paired(lower, base)), true);
  assert.equal(significantlyAbove(paired(lower, base)), false);
  assert.equal(significantlyAbove(paired(base, lower)), true);
  const noisy = base.map((x, i) => x + [-3, 3, -2, 2, 0.5][i]); // mean difference 0.1, wide CI
  assert.equal(significantlyBelow(paired(noisy, base)), false);
  assert.equal(significantlyAbove(paired(noisy, base)), false);
});

test('on par: means within 2 standard errors of their difference', () => {
  const a = [1, 2, 3, 4];
  const b = [1.5, 2.5, 3.5, 4.5];
  assert.ok(Math.abs(unpairedSE(a, b) - Math.sqrt((2 * (5 / 3)) / 4)) < 1e-12);
  assert.equal(onPar(a, b), true);
  assert.equal(
    onPar(
      a,
      b.map((x) => x + 10),
    ),
    false,
  );
});
