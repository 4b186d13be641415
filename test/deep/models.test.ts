/**
 * Dynamics ensemble, transition classifier and the MnM-approx model step, on small synthetic data
 * (a known linear system), cheap enough for every test run.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { DEFAULT_CLASSIFIER, TransitionClassifier } from '../../lib/deep/classifier';
import { DEFAULT_ENSEMBLE, GaussianEnsemble, type Transitions } from '../../lib/deep/dynamics';
import { DEFAULT_MNM_MODEL, mnmModelStep } from '../../lib/deep/mnm-model';
import { Rng } from '../../lib/rng';

before(async () => {
  await initBackend({ quiet: true });
});

/** s' = s + 0.1·a + noise, r = −s₀²: 2-d states, 1-d actions. */
function linearData(n: number, rng: Rng, noise = 0.01): Transitions {
  const obs = new Float32Array(n * 2);
  const act = new Float32Array(n);
  const rew = new Float32Array(n);
  const nextObs = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const s0 = rng.range(-1, 1);
    const s1 = rng.range(-1, 1);
    const a = rng.range(-1, 1);
    obs.set([s0, s1], 2 * i);
    act[i] = a;
    rew[i] = -s0 * s0;
    nextObs.set([s0 + 0.1 * a + noise * rng.normal(), s1 - 0.05 * s0 + noise * rng.normal()], 2 * i);
  }
  return { n, obs, act, rew, nextObs };
}

const small = { ...DEFAULT_ENSEMBLE, obsDim: 2, actDim: 1, hidden: [32, 32], members: 3, elites: 2, lr: 3e-3 };

test('likelihood training lowers the validation MSE well below predicting no change', () => {
  const rng = new Rng('models/fit');
  const train = linearData(800, rng.fork('train'));
  const val = linearData(200, rng.fork('val'));
  const ens = new GaussianEnsemble(small, rng.fork('init'));
  ens.fitNormalisers(train);
  // Baseline: "next = current" has MSE = mean squared Δobs.
  let noChange = 0;
  for (let i = 0; i < val.n * 2; i++) noChange += (val.nextObs[i] - val.obs[i]) ** 2;
  noChange /= val.n * 2;
  ens.fitLikelihood(train, { steps: 300, batch: 64 }, rng.fork('fit'));
  const mse = ens.selectElites(val);
  assert.equal(ens.elites.length, 2);
  assert.ok(
    ens.eliteMse(mse) <= Math.min(...mse.filter((_, i) => !ens.elites.includes(i)), Infinity),
    'elites are the members with the lowest MSE',
  );
  assert.ok(ens.eliteMse(mse) < 0.2 * noChange, `elite MSE ${ens.eliteMse(mse)} should be far below the no-change MSE ${noChange}`);
  ens.dispose();
});

test('training to a held-out plateau stops on patience, before the epoch cap, with the best weights it saw', () => {
  const rng = new Rng('models/plateau');
  const train = linearData(400, rng.fork('train'));
  const val = linearData(100, rng.fork('val'));
  const ens = new GaussianEnsemble(small, rng.fork('init'));
  ens.fitNormalisers(train);
  const before = ens.validate(val);
  const r = ens.fitToPlateau(train, val, { batch: 64, patience: 3, maxEpochs: 400, minImprovement: 0.01 }, rng.fork('fit'));
  assert.ok(r.epochs < 400, `stopped by patience after ${r.epochs} epochs`);
  assert.equal(r.steps, r.epochs * Math.ceil(400 / 64));
  assert.deepEqual(ens.validate(val), r.valMse, 'the report is the restored weights');
  r.valMse.forEach((m, i) => assert.ok(m < 0.5 * before[i], `member ${i}: ${m} against ${before[i]} before training`));
  // Restored to the kept weights: one more (non-improving) plateau call at patience 0 leaves them alone.
  const again = ens.fitToPlateau(train, val, { batch: 64, patience: 0, maxEpochs: 1, minImprovement: 0.01 }, rng.fork('again'));
  assert.equal(again.epochs, 0);
  assert.deepEqual(again.valMse, r.valMse);
  ens.dispose();
});

test("a rollout step evaluates only the sampled elite: with one elite its mean is that member's forward pass", () => {
  const rng = new Rng('models/step');
  const data = linearData(64, rng.fork('data'));
  const ens = new GaussianEnsemble({ ...small, elites: 1, maxLogStd: -20, minLogStd: -30 }, rng.fork('init'));
  ens.fitNormalisers(data);
  ens.elites = [2];
  const { nextObs } = ens.step(data.obs, data.act, data.n, rng.fork('step'));
  const expected = tf.tidy(() => {
    const x = tf.concat([tf.tensor2d(data.obs, [data.n, 2]), tf.tensor2d(data.act, [data.n, 1])], 1);
    const { mean } = ens.forward(x);
    return mean
      .slice([2, 0, 0], [1, -1, 2])
      .reshape([data.n, 2])
      .mul(tf.slice(ens['outStd'], [0], [2]))
      .add(tf.slice(ens['outMean'], [0], [2]));
  });
  const e = expected.dataSync();
  expected.dispose();
  for (let i = 0; i < data.n * 2; i++) assert.ok(Math.abs(nextObs[i] - data.obs[i] - e[i]) < 1e-4, `row ${Math.floor(i / 2)}`);
  ens.dispose();
});

test('the ensemble is deterministic given its seed, and its state round-trips', async () => {
  const data = linearData(200, new Rng('models/det'));
  const make = () => {
    const e = new GaussianEnsemble(small, new Rng('models/det/init'));
    e.fitLikelihood(data, { steps: 20, batch: 32 }, new Rng('models/det/fit'));
    return e;
  };
  const a = make();
  const b = make();
  const stepA = a.step(data.obs.subarray(0, 20), data.act.subarray(0, 10), 10, new Rng('s'));
  const stepB = b.step(data.obs.subarray(0, 20), data.act.subarray(0, 10), 10, new Rng('s'));
  assert.deepEqual(stepA, stepB);
  const c = new GaussianEnsemble(small, new Rng('other-init'));
  await c.setState(await a.getState());
  assert.deepEqual(c.step(data.obs.subarray(0, 20), data.act.subarray(0, 10), 10, new Rng('s')), stepA);
  // The restored optimiser continues exactly like the original.
  a.fitLikelihood(data, { steps: 3, batch: 32 }, new Rng('more'));
  c.fitLikelihood(data, { steps: 3, batch: 32 }, new Rng('more'));
  assert.deepEqual(c.validate(data), a.validate(data));
  for (const e of [a, b, c]) e.dispose();
});

test('bad configs get one clear error', () => {
  assert.throws(() => new GaussianEnsemble({ ...small, elites: 5 }, new Rng(1)), /elites \(5\) ≤ members \(3\)/);
  assert.throws(() => new GaussianEnsemble({ ...small, lr: NaN }, new Rng(1)), /config\.lr must be a finite number/);
});

test('the classifier learns to tell real next states from shifted ones (Eq. 4)', () => {
  const rng = new Rng('models/clf');
  const data = linearData(512, rng);
  const clf = new TransitionClassifier({ ...DEFAULT_CLASSIFIER, obsDim: 2, actDim: 1, hidden: [32, 32], lr: 3e-3 }, rng.fork('init'));
  clf.fitNormaliser(data);
  const fake = data.nextObs.map((v, i) => (i % 2 === 0 ? v + 0.05 : v));
  let last = { loss: NaN, accuracy: NaN };
  tf.tidy(() => {
    const o = tf.tensor2d(data.obs, [data.n, 2]);
    const a = tf.tensor2d(data.act, [data.n, 1]);
    const real = tf.tensor2d(data.nextObs, [data.n, 2]);
    const f = tf.tensor2d(fake, [data.n, 2]);
    for (let k = 0; k < 200; k++) last = clf.trainStep(o, a, real, f);
    assert.ok(clf.meanLogit(o, a, real) > 1, 'real transitions get a positive logit');
    assert.ok(clf.meanLogit(o, a, f) < -1, 'shifted transitions get a negative logit');
  });
  assert.ok(last.accuracy > 0.9, `accuracy ${last.accuracy}`);
  clf.dispose();
});

test('the MnM model step (Eq. 9): the value term tilts the model samples toward high value', () => {
  const rng = new Rng('models/mnm');
  const data = linearData(512, rng.fork('data'));
  const meanNextS0 = (ens: GaussianEnsemble) => {
    const m = tf.tidy(() =>
      ens
        .sampleNextObs(
          tf.tensor2d(data.obs, [data.n, 2]),
          tf.tensor2d(data.act, [data.n, 1]),
          tf.zeros([small.members, data.n, 2]) as tf.Tensor3D,
        )
        .slice([0, 0, 0], [-1, -1, 1])
        .mean(),
    );
    const v = m.dataSync()[0];
    m.dispose();
    return v;
  };
  const realMean = data.nextObs.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) / data.n;
  const train = (valueWeight: number, likelihoodWeight = 0) => {
    const ens = new GaussianEnsemble(small, rng.fork('init'));
    const clf = new TransitionClassifier({ ...DEFAULT_CLASSIFIER, obsDim: 2, actDim: 1, hidden: [32, 32], lr: 1e-3 }, rng.fork('clf'));
    ens.fitNormalisers(data);
    clf.fitNormaliser(data);
    // V(s) = s₀: higher first coordinate is better.
    const value = (obs: tf.Tensor2D) => obs.slice([0, 0], [-1, 1]);
    const fit = rng.fork('fit');
    for (let k = 0; k < 150; k++) mnmModelStep(ens, clf, value, data, 64, { ...DEFAULT_MNM_MODEL, valueWeight, likelihoodWeight }, fit);
    const out = { s0: meanNextS0(ens), mse: ens.eliteMse(ens.selectElites(data)) };
    ens.dispose();
    clf.dispose();
    return out;
  };
  const plain = train(0);
  const tilted = train(1);
  assert.ok(tilted.s0 > plain.s0 + 0.05, `value term should raise E[s'₀]: ${tilted.s0} vs ${plain.s0} (real ${realMean})`);
  assert.ok(Number.isFinite(plain.mse) && Number.isFinite(tilted.mse));
  // The likelihood term on the next state (docs/DEEP-AGENTS.md) pulls the model to the data.
  const anchored = train(1, 1);
  assert.ok(anchored.mse < 0.5 * tilted.mse, `likelihood term: validation MSE ${anchored.mse} against ${tilted.mse} without it`);
});
