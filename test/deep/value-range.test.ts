import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAZE_VALUE_RANGE, mazeValueRange, policyValue } from '../../lib/deep/value-range';
import type { Env, StepResult } from '../../lib/envs/types';
import { Rng } from '../../lib/rng';

/** A task paying −1 per step, time limit 3, that never terminates: G_t is a geometric sum continued past the limit. */
function constantTask(): Env {
  let t = 0;
  return {
    name: 'constant',
    obsDim: 1,
    actDim: 1,
    actLow: Float32Array.of(-1),
    actHigh: Float32Array.of(1),
    maxSteps: 3,
    reset: () => ((t = 0), Float32Array.of(0)),
    resetToObs: () => ((t = 0), Float32Array.of(0)),
    step: (): StepResult => ({ obs: Float32Array.of(0), reward: -1, terminated: false, truncated: ++t >= 3 }),
    reward: () => -1,
    terminal: () => false,
  };
}

test('policyValue: the estimator continues past the time limit and averages G_t over the steps before it', () => {
  const gamma = 0.9;
  const v = policyValue(constantTask(), () => [0], 4, gamma, new Rng('v'));
  // Continued until γ^k < 0.01 past the limit: 44 extra steps for γ = 0.9, so G_t = −(1 − γ^(47−t)) / (1 − γ).
  const G = (t: number) => -(1 - gamma ** (3 + 44 - t)) / (1 - gamma);
  assert.ok(Math.abs(v.value - (G(0) + G(1) + G(2)) / 3) < 1e-12, `${v.value}`);
  assert.ok(Math.abs(v.startValue - G(0)) < 1e-12);
  assert.equal(v.meanReturn, -3);
  assert.equal(v.steps, 12);
  assert.throws(() => policyValue(constantTask(), () => [0], 0, gamma, new Rng('v')), /episodes must be a positive integer, got 0/);
  assert.throws(() => policyValue(constantTask(), () => [0], 1, 1, new Rng('v')), /gamma must be in \(0, 1\), got 1/);
});

test('the maze value range: the committed constant is what scripts/maze-value-range.ts computes, round the wall far above random', () => {
  const c = MAZE_VALUE_RANGE;
  const r = mazeValueRange(c.episodes, c.gamma, new Rng(c.seedKey));
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  assert.deepEqual([r4(r.good.value), r4(r.random.value), r4(r.D)], [c.good, c.random, c.D]);
  assert.ok(r.good.value > -10 && r.random.value < -100, `good ${r.good.value}, random ${r.random.value}`);
});
