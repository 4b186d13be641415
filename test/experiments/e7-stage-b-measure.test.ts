import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  lagDecay,
  runMeasure,
  STAGE_B,
  stageBGate,
  updatesBy,
  windowSteps,
} from '../../lib/experiments/e7-q-value-stability/stage-b-measure';

test('E7 stage B: the window is the last third, the measure averages (Q − G_soft) / D over it', () => {
  const steps = [250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500];
  assert.deepEqual(windowSteps(steps, 2500), [1750, 2000, 2250, 2500]);
  const rows = steps.map((step) => ({ step, q_estimate: step >= 1750 ? step / 100 : 1000, mc_return: 0 }));
  assert.equal(runMeasure(rows, 2500, 10), (17.5 + 20 + 22.5 + 25) / 4 / 10);
  assert.throws(() => runMeasure(rows.slice(0, 3), 2500), /no evaluation after 2\/3 of the 2500 steps/);
  assert.throws(() => runMeasure(rows, 2500, 0), /D must be > 0, got 0/);
});

test('E7 stage B: the registered τ and budget remove the lag at the window (τ(1−γ)u = 6 at step 1,750)', () => {
  const u = updatesBy(1750, 250, 10);
  assert.equal(u, 15000);
  assert.ok(Math.abs(lagDecay(STAGE_B.tau, STAGE_B.gamma, u) - 6) < 1e-9);
  // The reference run's τ = 0.005 did not: 0.75 at the same step.
  assert.ok(lagDecay(0.005, 0.99, u) < STAGE_B.minLagDecay);
});

test('E7 stage B: the gates in the registered order, each with its reason', () => {
  const ok = {
    runs: { sac: 10, mbpo: 10, mnm: 10, 'mnm-eq5': 10, 'mbpo-full': 10 },
    lagDecayAtWindow: 6,
    sacMeasures: [0.01, -0.02, 0.03],
    mbpoCrossing: { pooled: 0.01, perRun: [0.02, 0, 0.01] },
  };
  assert.equal(stageBGate(ok), null);
  assert.match(stageBGate({ ...ok, runs: { ...ok.runs, mnm: 9 }, lagDecayAtWindow: 1 }) ?? '', /^too few seeds: mnm 9 of the 10/);
  assert.match(stageBGate({ ...ok, lagDecayAtWindow: 3.9, sacMeasures: [1] }) ?? '', /^target lag not removed: τ\(1−γ\)u = 3.90/);
  // Signed errors do not cancel: |0.08| and |−0.08| average to 0.08 > 0.05.
  assert.match(stageBGate({ ...ok, sacMeasures: [0.08, -0.08] }) ?? '', /^model-free SAC's critic is off its return by 0.080 D/);
  assert.match(stageBGate({ ...ok, mbpoCrossing: { pooled: 0, perRun: [0, 0, 0] } }) ?? '', /^MBPO's model did not step through the wall/);
  assert.match(stageBGate({ ...ok, mbpoCrossing: { pooled: 0.01, perRun: [0.03, 0, 0] } }) ?? '', /> 0 in 1 of 3 runs/);
});
