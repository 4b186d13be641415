/**
 * The Gaussian ensemble's likelihood step on the engine (lib/engine/ensemble.ts) against GaussianEnsemble's
 * TensorFlow.js step (lib/deep/dynamics.ts nll + minimize): same weights, normalisers and minibatches. Stated
 * tolerance after 8 steps: every loss within 1e-4 relative, every weight within 1e-5.
 * Then GaussianEnsemble itself on the engine backend against the tfjs one from the same seed: plateau training,
 * validation MSE, elites and rollout steps (1e-4 relative), the weights and Adam moments crossing between the two
 * sides (1e-5), same seed → same bits, and flat engine memory.
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

const ENS = { members: 3, elites: 2, hidden: [16, 12], lr: 1e-3, minLogStd: -5, maxLogStd: 0.25 };

/** Two ensembles from one seed, on each backend, with normalisers fitted to the same data. */
function pair(obsDim: number, actDim: number, inputCell: number, data: Transitions): Record<'tfjs' | 'engine', GaussianEnsemble> {
  const make = (backend: 'tfjs' | 'engine') => {
    const m = new GaussianEnsemble({ ...ENS, obsDim, actDim, inputCell }, new Rng('pair'), { backend });
    m.fitNormalisers(data);
    return m;
  };
  return { tfjs: make('tfjs'), engine: make('engine') };
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(b.length, a.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(a[i])), `${what}[${i}]: ${b[i]} on the engine, ${a[i]} on tfjs`);
}

/** Positions in the maze's [−1, 1]² (so a 0.2 cell quantises them), velocities, actions. */
function mazeLike(rng: Rng, n: number): Transitions {
  const t = transitions(rng, n, 4, 2);
  for (let i = 0; i < n; i++)
    for (const j of [0, 1]) {
      t.obs[i * 4 + j] = rng.range(-1, 1);
      t.nextObs[i * 4 + j] = t.obs[i * 4 + j] + 0.05 * t.act[i * 2 + j];
    }
  return t;
}

test('GaussianEnsemble on the engine backend: plateau training, validation MSE and rollout steps agree with tfjs (≤ 1e-4 relative), also with a quantised input', () => {
  for (const inputCell of [0, 0.2]) {
    const data = mazeLike(new Rng('plateau/data'), 800);
    const val = mazeLike(new Rng('plateau/val'), 60);
    const m = pair(4, 2, inputCell, data);
    const opts = { batch: 32, patience: 2, maxEpochs: 6, minImprovement: 0.01 };
    const [a, b] = [m.tfjs.fitToPlateau(data, val, opts, new Rng('fit')), m.engine.fitToPlateau(data, val, opts, new Rng('fit'))];
    assert.deepEqual([b.epochs, b.steps], [a.epochs, a.steps], `inputCell ${inputCell}: epochs and steps`);
    close(a.valMse, b.valMse, 1e-4, `inputCell ${inputCell}: validation MSE`);
    assert.deepEqual(m.engine.selectElites(val), m.engine.validate(val));
    m.tfjs.selectElites(val);
    assert.deepEqual(m.engine.elites, m.tfjs.elites, `inputCell ${inputCell}: elites`);
    const n = 700; // more rows than one engine kernel call takes (PREDICT_ROWS)
    const obs = data.obs.subarray(0, n * 4);
    const act = data.act.subarray(0, n * 2);
    const [p, q] = [m.tfjs.step(obs, act, n, new Rng('roll')), m.engine.step(obs, act, n, new Rng('roll'))];
    close(p.nextObs, q.nextObs, 1e-4, `inputCell ${inputCell}: rollout next observations`);
    close(p.reward, q.reward, 1e-4, `inputCell ${inputCell}: rollout rewards`);
    m.tfjs.dispose();
    m.engine.dispose();
  }
});

test('GaussianEnsemble on the engine backend: weights and Adam moments follow the side that changed them last (engine steps, a tfjs step, engine steps)', async () => {
  const data = transitions(new Rng('cross/data'), 200, 3, 1);
  const m = pair(3, 1, 0, data);
  const states: Awaited<ReturnType<GaussianEnsemble['getState']>>[] = [];
  for (const model of [m.tfjs, m.engine]) {
    const rng = new Rng('cross/fit');
    model.fitLikelihood(data, { steps: 6, batch: 24 }, rng);
    // A step outside the likelihood training (as MnM-approx's Eq. 9 step): on the TensorFlow.js members.
    const { x, y, B } = model.memberBatches(data, 24, rng);
    tf.tidy(() => model.minimize(() => model.nll(tf.tensor3d(x, [3, B, 4]), tf.tensor3d(y, [3, B, 4]), 'reward')));
    model.fitLikelihood(data, { steps: 6, batch: 24 }, rng);
    states.push(await model.getState());
  }
  const [a, b] = states;
  assert.equal(b.optimizer.t, a.optimizer.t);
  assert.equal(a.optimizer.t, 13);
  a.vars.forEach((v, i) => close(v.data, b.vars[i].data, 1e-5, `variable ${i} (${v.name})`));
  close(a.optimizer.m, b.optimizer.m, 1e-5, 'Adam m');
  close(a.optimizer.v, b.optimizer.v, 1e-5, 'Adam v');
  // And back: a state saved on tfjs, loaded on the engine, trains on as the tfjs one does.
  const again = new GaussianEnsemble({ ...ENS, obsDim: 3, actDim: 1, inputCell: 0 }, new Rng('other'), { backend: 'engine' });
  await again.setState(a);
  const [la, lb] = [
    m.tfjs.fitLikelihood(data, { steps: 3, batch: 24 }, new Rng('on')),
    again.fitLikelihood(data, { steps: 3, batch: 24 }, new Rng('on')),
  ];
  close([la], [lb], 1e-4, 'loss after setState');
  [m.tfjs, m.engine, again].forEach((x) => x.dispose());
});

test('GaussianEnsemble on the engine backend: same seed → same bits; the engine memory stays flat over rounds', async () => {
  const data = transitions(new Rng('bits/data'), 150, 3, 1);
  const run = async () => {
    const m = pair(3, 1, 0, data).engine;
    const losses = [m.fitLikelihood(data, { steps: 5, batch: 16 }, new Rng('bits'))];
    const out = m.step(data.obs, data.act, data.n, new Rng('bits/roll'));
    const mse = m.validate(data);
    const s = await m.getState();
    m.dispose();
    // (Variable names carry a per-process counter: the numbers are compared.)
    const state = { ...s, vars: s.vars.map((v) => v.data) };
    return JSON.stringify({ losses, mse, out: [Array.from(out.nextObs), Array.from(out.reward)], state });
  };
  const first = await run();
  assert.ok((await run()) === first, 'a second run from the same seed differs');
  const eng = new EngineEnsemble({ inDim: 4, outDim: 4, hidden: [16], members: 2 }, { lr: 1e-3, minLogStd: -5, maxLogStd: 0.25 });
  const rng = new Rng('flat');
  const round = () => {
    const B = 16;
    eng.step(
      Float32Array.from({ length: 2 * B * 4 }, () => rng.normal()),
      Float32Array.from({ length: 2 * B * 4 }, () => rng.normal()),
      B,
    );
    eng.predict(
      rng.int(2),
      Float32Array.from({ length: 1500 * 4 }, () => rng.normal()),
      1500,
    );
  };
  round();
  const bytes = eng.memoryBytes;
  for (let k = 0; k < 200; k++) round();
  assert.equal(eng.memoryBytes, bytes);
  assert.throws(() => eng.predict(2, new Float32Array(4), 1), /member must be an integer in \[0, 2\), got 2/);
  assert.throws(() => eng.predict(0, new Float32Array(5), 1), /x needs n·inDim = 1·4 numbers, got 5/);
  assert.throws(() => eng.setAdam({ t: 1, m: new Float32Array(3), v: new Float32Array(3) }), /EngineEnsemble.setAdam: expected/);
});
