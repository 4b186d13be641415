import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CENTER, LEFT, RIGHT, RISK_MDP_DEFAULTS, riskMDP, sideOf, sidePolicy } from '../../lib/tabular/risk-mdp';
import { returnMoments, valueIteration } from '../../lib/tabular/solve';

test('risk MDP structure: Left absorbing, wind blows Right back to Center, start in Center', () => {
  const m = riskMDP();
  assert.equal(m.S, 3);
  assert.equal(m.p0[CENTER], 1);
  assert.deepEqual([...m.next.subarray(m.rowStart[LEFT * 2], m.rowStart[LEFT * 2 + 1])], [LEFT]);
  const lo = m.rowStart[RIGHT * 2];
  assert.deepEqual([...m.next.subarray(lo, lo + 2)], [CENTER, RIGHT]);
  assert.deepEqual([...m.prob.subarray(lo, lo + 2)], [RISK_MDP_DEFAULTS.wind, 1 - RISK_MDP_DEFAULTS.wind]);
});

test('the chosen numbers: MnM goes Left (the higher mean), VMBPO goes Right (lower mean, higher variance), with margins', () => {
  const m = riskMDP();
  const left = returnMoments(m, sidePolicy(LEFT));
  const right = returnMoments(m, sidePolicy(RIGHT));
  // Closed forms: Left = rC + γ rL/(1−γ); Right solves V_R = rR + γ(w V_C + (1−w) V_R), V_C = rC + γ V_R.
  const { gamma: g, rewardLeft: rL, rewardCenter: rC, rewardRight: rR, wind: w } = RISK_MDP_DEFAULTS;
  assert.ok(Math.abs(left.mean - (rC + (g * rL) / (1 - g))) < 1e-9);
  const VR = (rR + g * w * rC) / (1 - g * w * g - g * (1 - w));
  assert.ok(Math.abs(right.mean - (rC + g * VR)) < 1e-9);
  assert.equal(left.variance, 0);
  assert.ok(right.variance > 0.3);
  assert.ok(left.mean > right.mean * 1.03, `Left ${left.mean} should beat Right ${right.mean} by > 3%`);
  const mnm = valueIteration(m, 'mnm');
  const vmbpo = valueIteration(m, 'vmbpo');
  const ret = valueIteration(m, 'return');
  assert.equal(sideOf(mnm.policy), 'Left');
  assert.equal(sideOf(ret.policy), 'Left');
  assert.equal(sideOf(vmbpo.policy), 'Right');
  assert.ok(mnm.Q[CENTER * 2] - mnm.Q[CENTER * 2 + 1] > 0.1);
  assert.ok(vmbpo.Q[CENTER * 2 + 1] - vmbpo.Q[CENTER * 2] > 0.1);
});

test("MATH.md's second example (Center 0.1, Right 1.2): both go Left", () => {
  const m = riskMDP({ rewardCenter: 0.1, rewardRight: 1.2 });
  assert.equal(sideOf(valueIteration(m, 'mnm').policy), 'Left');
  assert.equal(sideOf(valueIteration(m, 'vmbpo').policy), 'Left');
});

test('bad risk-MDP numbers get clear errors', () => {
  assert.throws(() => riskMDP({ wind: 1.5 }), /wind must be in \[0, 1\], got 1.5/);
  assert.throws(() => riskMDP({ rewardCenter: 0 }), /rewardCenter must be finite and > 0, got 0/);
  assert.throws(() => riskMDP({ gamma: 1 }), /gamma must be in \(0, 1\), got 1/);
});
