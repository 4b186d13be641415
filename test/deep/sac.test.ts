import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { Mlp, MlpEnsemble } from '../../lib/deep/mlp';
import { Batch, ReplayBuffer } from '../../lib/deep/replay';
import { Sac, sacConfig } from '../../lib/deep/sac';
import { assertNoTensorLeak, checkFinite, NonFiniteError } from '../../lib/deep/train-guard';
import { modelFreeConfig, trainModelBased } from '../../lib/deep/model-based';
import { Rng } from '../../lib/rng';

before(async () => {
  await initBackend({ quiet: true });
});

const DIMS = { obsDim: 3, actDim: 1, actLow: [-2], actHigh: [2] };
const SMALL = { hidden: 32 };

function randomBatch(rng: Rng, n: number): Batch {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  return {
    n,
    obs: f(3 * n, () => rng.normal()),
    act: f(n, () => rng.range(-2, 2)),
    rew: f(n, () => rng.normal()),
    nextObs: f(3 * n, () => rng.normal()),
    done: f(n, () => (rng.uniform() < 0.1 ? 1 : 0)),
  };
}

test('same seed → same weights, actions, updates and Q-values; another seed differs', () => {
  const run = (seed: string) => {
    const agent = new Sac(DIMS, SMALL, new Rng(seed));
    const data = new Rng('data');
    const stats = Array.from({ length: 5 }, () => agent.update(randomBatch(data, 64)));
    const obs = Float32Array.of(0.1, 0.2, 0.3);
    const out = {
      stats,
      act: Array.from(agent.act(obs, { deterministic: false }, new Rng('act'))),
      det: Array.from(agent.act(obs, { deterministic: true })),
      q: Array.from(agent.qValues(obs, [0.5])),
      w: Array.from(agent.actor.getWeights()[0].slice(0, 10)),
    };
    agent.dispose();
    return out;
  };
  const a = run('s1');
  assert.deepEqual(run('s1'), a);
  const b = run('s2');
  assert.notDeepEqual(b.w, a.w);
  assert.notDeepEqual(b.stats, a.stats);
});

test('networks are initialised from our Rng (PyTorch nn.Linear bounds), and ensembles keep members separate', () => {
  const net = new Mlp({ inDim: 4, outDim: 2, hidden: [8] }, new Rng(3));
  const [w0, b0, w1] = net.getWeights();
  assert.ok(
    w0.every((x) => Math.abs(x) <= 1 / Math.sqrt(4)) &&
      b0.every((x) => Math.abs(x) <= 0.5) &&
      w1.every((x) => Math.abs(x) <= 1 / Math.sqrt(8)),
  );
  assert.deepEqual(new Mlp({ inDim: 4, outDim: 2, hidden: [8] }, new Rng(3)).getWeights(), net.getWeights());
  const ens = new MlpEnsemble({ inDim: 4, outDim: 2, hidden: [8], members: 3 }, new Rng(3));
  const y = tf.tidy(() => ens.apply(tf.ones([5, 4]) as tf.Tensor2D).arraySync() as number[][][]);
  assert.equal(y.length, 3);
  assert.notDeepEqual(y[0], y[1]);
  assert.throws(() => new Mlp({ inDim: 0, outDim: 2, hidden: [8] }, new Rng(1)), /positive integers/);
  net.dispose();
  ens.dispose();
});

test('the dense layer gradient equals tfjs matMul gradient', () => {
  const r = new Rng('grad');
  const net = new Mlp({ inDim: 3, outDim: 2, hidden: [5] }, r);
  const x = tf.tensor2d(
    Float32Array.from({ length: 12 }, () => r.normal()),
    [4, 3],
  );
  const ours = tf.variableGrads(() => tf.sum(tf.square(net.apply(x))) as tf.Scalar, net.params);
  const ref = tf.variableGrads(() => {
    const [w0, b0, w1, b1] = net.params;
    const h = tf.relu(tf.add(tf.matMul(x, w0), b0));
    return tf.sum(tf.square(tf.add(tf.matMul(h, w1), b1))) as tf.Scalar;
  }, net.params);
  for (const v of net.params) {
    const d = tf.max(tf.abs(tf.sub(ours.grads[v.name], ref.grads[v.name]))).dataSync()[0];
    assert.ok(d < 1e-5, `gradient of ${v.name} differs by ${d}`);
  }
  // Frozen: the loss still depends on x, but the weights get no gradient.
  const xv = tf.variable(x);
  const frozen = tf.variableGrads(() => tf.sum(net.apply(xv, { frozen: true })) as tf.Scalar, [xv]);
  const open = tf.variableGrads(() => tf.sum(net.apply(xv)) as tf.Scalar, [xv]);
  assert.ok(tf.max(tf.abs(tf.sub(frozen.grads[xv.name], open.grads[xv.name]))).dataSync()[0] < 1e-6);
  tf.dispose([
    x,
    xv,
    ours.value,
    ref.value,
    frozen.value,
    open.value,
    ...Object.values(ours.grads),
    ...Object.values(ref.grads),
    ...Object.values(frozen.grads),
    ...Object.values(open.grads),
  ]);
  net.dispose();
});

test('training leaves no tensors behind (update, act, qValues, Polyak)', async () => {
  const agent = new Sac(DIMS, SMALL, new Rng('leak'));
  const data = new Rng('leak-data');
  const batch = randomBatch(data, 32);
  await assertNoTensorLeak(
    () => {
      agent.update(batch);
      agent.act([0, 1, 0], { deterministic: false }, data);
      agent.act([0, 1, 0], { deterministic: true });
      agent.qValues([0, 1, 0, 1, 0, 0], [1, -1]);
    },
    { iterations: 10, where: 'SAC' },
  );
  const before = tf.memory().numTensors;
  agent.dispose();
  assert.ok(tf.memory().numTensors < before, 'dispose frees the agent');
});

test('a non-finite loss stops training with the quantity and the step named', () => {
  const agent = new Sac(DIMS, SMALL, new Rng('nan'));
  const data = new Rng('nan-data');
  agent.update(randomBatch(data, 16));
  const bad = randomBatch(data, 16);
  bad.rew.fill(3e38); // finite in float32, but its square overflows
  assert.throws(
    () => agent.update(bad),
    (e: unknown) => e instanceof NonFiniteError && /SAC update: qLoss is (Infinity|NaN) at step 2/.test(e.message),
  );
  assert.throws(() => checkFinite({ loss: NaN }, { step: 7, where: 'model' }), /model: loss is NaN at step 7/);
  assert.throws(() => agent.act([NaN, 0, 0], { deterministic: true }), /obs\[0\] is NaN/);
  assert.throws(() => agent.act([0, 0, 0], {}), /needs an Rng/);
  agent.dispose();
});

test('a refused update leaves the agent byte-identical: NaN reward refused up front, an overflowing loss taken back', async () => {
  const agent = new Sac(DIMS, SMALL, new Rng('atomic'));
  const twin = new Sac(DIMS, SMALL, new Rng('atomic'));
  const data = new Rng('atomic-data');
  const first = randomBatch(data, 16);
  agent.update(first);
  twin.update(first);
  const snapshot = async () => JSON.stringify(await agent.save());
  const before = await snapshot();
  const nanReward = randomBatch(data, 16);
  nanReward.rew[3] = NaN;
  assert.throws(() => agent.update(nanReward), /^Error: Sac\.update: batch\.rew\[3\] is NaN$/);
  assert.equal(await snapshot(), before, 'weights, targets, moments, α and count unchanged after a NaN reward');
  const overflow = randomBatch(data, 16);
  overflow.rew.fill(3e38); // finite, so it passes the input check; the critic loss overflows inside the update
  assert.throws(() => agent.update(overflow), NonFiniteError);
  assert.equal(await snapshot(), before, 'every change of the failed update is taken back');
  // The agent goes on exactly like one that never saw the refused batches.
  const next = randomBatch(data, 16);
  assert.deepEqual(agent.update(next), twin.update(next));
  assert.equal(JSON.stringify(await agent.save()), JSON.stringify(await twin.save()));
  agent.dispose();
  twin.dispose();
});

test('Sac.update checks the batch at the API: wrong lengths and types name the field', () => {
  const agent = new Sac(DIMS, SMALL, new Rng('shapes'));
  const data = new Rng('shapes-data');
  const cases: [(b: Batch) => void, RegExp][] = [
    [(b) => (b.obs = b.obs.subarray(1)), /batch\.obs has 47 numbers, expected n·obsDim = 16·3 = 48/],
    [(b) => (b.nextObs = new Float32Array(32)), /batch\.nextObs has 32 numbers, expected n·obsDim = 16·3 = 48/],
    [(b) => (b.act = new Float32Array(17)), /batch\.act has 17 numbers, expected n·actDim = 16·1 = 16/],
    [(b) => (b.done = new Float32Array(15)), /batch\.done has 15 numbers, expected n = 16/],
    [(b) => (b.rew = [1] as unknown as Float32Array), /batch\.rew must be a Float32Array/],
    [(b) => (b.n = 0), /batch\.n must be a positive integer, got 0/],
    [(b) => (b.obs[5] = Infinity), /batch\.obs\[5\] is Infinity/],
  ];
  for (const [spoil, message] of cases) {
    const b = randomBatch(data, 16);
    spoil(b);
    assert.throws(() => agent.update(b), message);
  }
  assert.equal(agent.updates, 0);
  agent.dispose();
});

test('config is validated with one clear error', () => {
  assert.throws(() => sacConfig({ gamma: 1 }), /gamma must be in \[0, 1\), got 1/);
  assert.throws(() => sacConfig({ hidden: 0 }), /hidden must be a positive integer/);
  assert.throws(() => sacConfig({ hiden: 3 } as never), /unknown field 'hiden'/);
  assert.throws(() => new Sac({ ...DIMS, actLow: [2], actHigh: [-2] }, {}, new Rng(1)), /low < high/);
  assert.equal(sacConfig({}).targetEntropy, null);
});

test('save → load restores weights, α, optimizer moments and the update count', async () => {
  const agent = new Sac(DIMS, SMALL, new Rng('save'));
  const data = new Rng('save-data');
  for (let i = 0; i < 3; i++) agent.update(randomBatch(data, 16));
  const saved = JSON.parse(JSON.stringify(await agent.save()));
  const copy = await Sac.load(saved, new Rng('resume'));
  const obs = [0.3, -0.2, 1.5];
  assert.deepEqual(copy.act(obs, { deterministic: true }), agent.act(obs, { deterministic: true }));
  assert.deepEqual(copy.qValues(obs, [1]), agent.qValues(obs, [1]));
  assert.equal(copy.alpha, agent.alpha);
  assert.equal(copy.updates, 3);
  const again = await copy.save();
  assert.deepEqual(again.optimizers, saved.optimizers);
  // Two restored copies continue identically (same rng → same noise).
  const c2 = await Sac.load(saved, new Rng('resume'));
  const b = randomBatch(data, 16);
  assert.deepEqual(copy.update(b), c2.update(b));
  await assert.rejects(Sac.load({ format: 'x' } as never, new Rng(1)), /not a saved SAC agent/);
  [agent, copy, c2].forEach((a) => a.dispose());
});

test('replay buffer: ring overwrite, seeded sampling, input checks', () => {
  const buf = new ReplayBuffer(3, 2, 1);
  for (let i = 0; i < 5; i++) buf.add([i, i], [i], i, [i + 1, i + 1], i === 4);
  assert.equal(buf.size, 3);
  assert.deepEqual(Array.from(buf.rew), [3, 4, 2]);
  const s1 = buf.sample(10, new Rng(1));
  assert.deepEqual(buf.sample(10, new Rng(1)), s1);
  assert.ok(Array.from(s1.rew).every((r) => r >= 2 && r <= 4));
  assert.ok(
    Array.from(s1.obs).every((o, j) => o === s1.rew[Math.floor(j / 2)]),
    'rows stay aligned across fields',
  );
  assert.throws(() => buf.add([0, NaN], [0], 0, [0, 0], false), /obs\[1\] is NaN/);
  assert.throws(() => buf.add([0, 0], [0], NaN, [0, 0], false), /reward must be finite/);
  assert.throws(() => new ReplayBuffer(3, 2, 1).sample(2, new Rng(1)), /empty/);
});

test('learning sanity: on a one-step task SAC finds the best action and the critic learns the reward', () => {
  // Reward −(a − 0.5)², one step (gamma 0), constant observation.
  const agent = new Sac(
    { obsDim: 1, actDim: 1, actLow: [-1], actHigh: [1] },
    { hidden: 32, gamma: 0, actorLr: 3e-3, criticLr: 3e-3, alphaLr: 3e-3, initAlpha: 0.1 },
    new Rng('bandit'),
  );
  const rng = new Rng('bandit-data');
  const buf = new ReplayBuffer(2000, 1, 1);
  for (let i = 0; i < 600; i++) {
    const a = i < 200 ? rng.range(-1, 1) : agent.act([1], { deterministic: false }, rng)[0];
    buf.add([1], [a], -((a - 0.5) ** 2), [1], true);
    if (i >= 100) agent.update(buf.sample(64, rng));
  }
  const best = agent.act([1], { deterministic: true })[0];
  assert.ok(Math.abs(best - 0.5) < 0.15, `deterministic action ${best} should be near 0.5`);
  const q = agent.qValues([1, 1, 1], [0.5, -1, 1]);
  assert.ok(Math.abs(q[0] - 0) < 0.15 && Math.abs(q[1] - -2.25) < 0.5 && Math.abs(q[2] - -0.25) < 0.2, `Q ≈ reward, got ${Array.from(q)}`);
  agent.dispose();
});

test('model-free SAC (the model-based loop with no model) runs end to end, evaluates, and is deterministic for a seed', async () => {
  const cfg = modelFreeConfig('pendulum', {
    totalSteps: 240,
    startSteps: 100,
    batch: 32,
    evalEvery: 120,
    evalEpisodes: 1,
    sac: { hidden: 16 },
  });
  const a = await trainModelBased(cfg, 'train');
  assert.deepEqual(
    a.map((e) => e.step),
    [120, 240],
  );
  assert.ok(a.every((e) => e.eval_return < 0 && e.eval_return > -2000));
  assert.ok(
    a.every((e) => Number.isNaN(e.model_val_mse)),
    'no model',
  );
  assert.deepEqual(await trainModelBased(cfg, 'train'), a);
  await assert.rejects(trainModelBased({ ...cfg, totalSteps: 0 }, 'x'), /model-based config: totalSteps must be an integer >= 1, got 0/);
});

test('construction and dispose leave no tensors; logProb is a normalised density; value() is differentiable in obs only', () => {
  const before = tf.memory().numTensors;
  new Sac(DIMS, SMALL, new Rng('c')).dispose();
  assert.equal(tf.memory().numTensors, before, 'new Sac + dispose is tensor-neutral');

  const agent = new Sac(DIMS, SMALL, new Rng('density'));
  // ∫ π(a|s) da over env units [−2, 2] = half-range (2) × 1, since logProb is the density in [−1, 1].
  const m = 4000;
  const acts = Float32Array.from({ length: m }, (_, i) => -2 + (4 * (i + 0.5)) / m);
  const obs = new Float32Array(3 * m).fill(0.4);
  const lp = agent.logProb(obs, acts);
  const integral = lp.reduce((acc, l) => acc + Math.exp(l) * (4 / m), 0);
  assert.ok(Math.abs(integral - 2) < 0.04, `∫ exp(logProb) over env units = ${integral}, expected 2`);

  const o = tf.variable(
    tf.tensor2d([
      [0.1, 0.2, 0.3],
      [1, 0, -1],
    ]),
  );
  const eps = agent.noiseTensor(new Rng('e'), 2);
  const g = tf.variableGrads(() => tf.sum(agent.value(o, eps)) as tf.Scalar, [o]);
  assert.ok(tf.max(tf.abs(g.grads[o.name])).dataSync()[0] > 0, 'gradient reaches obs');
  tf.dispose([o, eps, g.value, ...Object.values(g.grads)]);
  agent.reseedNoise(new Rng('n1'));
  const b = randomBatch(new Rng('d'), 8);
  const s1 = agent.update(b);
  const twin = new Sac(DIMS, SMALL, new Rng('density'));
  twin.reseedNoise(new Rng('n1'));
  assert.deepEqual(twin.update(b), s1, 'reseeded noise streams give identical updates');
  agent.dispose();
  twin.dispose();
});

test('replay buffer round-trips through JSON, wrapped ring included', () => {
  const buf = new ReplayBuffer(4, 1, 1);
  for (let i = 0; i < 6; i++) buf.add([i], [i / 10], -i, [i + 1], i % 2 === 0);
  const copy = ReplayBuffer.fromJSON(JSON.parse(JSON.stringify(buf.toJSON())));
  assert.deepEqual(copy.sample(20, new Rng(3)), buf.sample(20, new Rng(3)));
  copy.add([9], [0], 0, [9], false);
  buf.add([9], [0], 0, [9], false);
  assert.deepEqual(copy.toJSON(), buf.toJSON(), 'the write position is restored');
  assert.throws(() => ReplayBuffer.fromJSON({ ...buf.toJSON(), rew: [1] }), /rew must have 4 numbers/);
});
