/**
 * The Gaussian ensemble's likelihood step on the engine (lib/engine/ensemble.ts) against GaussianEnsemble's
 * TensorFlow.js step (lib/deep/dynamics.ts nll + minimize): same weights, normalisers and minibatches. Stated
 * tolerance after 8 steps: every loss within 1e-4 relative, every weight within 1e-5.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { GaussianEnsemble, type Transitions } from '../../lib/deep/dynamics';
import { EngineEnsemble } from '../../lib/engine/ensemble';
import { Rng } from '../../lib/rng';

before(async () => {
  await initBackend({ quiet: true });
});

function transitions(rng: Rng, n: number, obsDim: number, actDim: number): Transitions {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  const obs = f(n * obsDim, () => rng.normal());
  return {
    n,
    obs,
    act: f(n * actDim, () => rng.range(-1, 1)),
    rew: f(n, () => 2 + rng.normal()),
    nextObs: obs.map((o) => 0.9 * o + 0.3 * rng.normal()),
  };
}

test('8 likelihood steps on the engine agree with GaussianEnsemble on TensorFlow.js (loss ≤ 1e-4 relative, weights ≤ 1e-5)', () => {
  for (const [obsDim, actDim, hidden, members, B] of [
    [3, 1, [16, 12], 3, 32],
    [2, 2, [10], 2, 7],
  ] as const) {
    const cfg = { obsDim, actDim, members, elites: 1, hidden: [...hidden], lr: 1e-3, minLogStd: -5, maxLogStd: 0.25, inputCell: 0 };
    const ref = new GaussianEnsemble(cfg, new Rng('ens'));
    const data = transitions(new Rng('ens/data'), 120, obsDim, actDim);
    ref.fitNormalisers(data);
    const eng = new EngineEnsemble({ inDim: obsDim + actDim, outDim: obsDim + 1, hidden: [...hidden], members }, cfg);
    eng.setWeights(ref.net.getWeights());
    const norm = ref as unknown as Record<'inMean' | 'inStd' | 'outMean' | 'outStd', tf.Variable>;
    eng.setNormalisers(norm.inMean.dataSync(), norm.inStd.dataSync(), norm.outMean.dataSync(), norm.outStd.dataSync());
    const rng = new Rng('ens/batches');
    for (let step = 0; step < 8; step++) {
      const { x, y, B: b } = ref.memberBatches(data, B, rng);
      const want = tf.tidy(() => {
        const xt = tf.tensor3d(x, [members, b, obsDim + actDim]);
        const yt = tf.tensor3d(y, [members, b, obsDim + 1]);
        return ref.minimize(() => ref.nll(xt, yt)).dataSync()[0];
      });
      const got = eng.step(x, y, b);
      assert.ok(
        Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want)),
        `hidden [${hidden}], step ${step}: loss ${got} on the engine, ${want} on tfjs`,
      );
    }
    const [a, b] = [ref.net.getWeights(), eng.getWeights()];
    let worst = 0;
    a.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
    assert.ok(worst <= 1e-5, `hidden [${hidden}]: weights differ by ${worst}`);
    ref.dispose();
  }
});

test('bad input to the engine ensemble: wrong batch lengths and weight arrays are named errors', () => {
  const eng = new EngineEnsemble({ inDim: 3, outDim: 2, hidden: [4], members: 2 }, { lr: 1e-3, minLogStd: -5, maxLogStd: 0.25 });
  assert.throws(() => eng.step(new Float32Array(5), new Float32Array(4), 2), /x and y need members·B·inDim = 12/);
  assert.throws(() => eng.setWeights([new Float32Array(3)]), /expected 8 arrays, got 1/);
});
