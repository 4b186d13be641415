/**
 * SAC on the engine (lib/engine/sac.ts through lib/deep/sac.ts with backend 'engine') against the TensorFlow.js
 * reference. Stated tolerance, after 12 updates of the same agent on the same batches and noise: every statistic
 * within 1e-4 relative (of max(1, |x|)), and every weight, target and Adam moment within 1e-5 absolute (float32
 * sums in another order are the only difference: ~3e-8 was seen). Also: same seed → same bits; a non-finite
 * update changes nothing; save/load across backends; memory flat over many updates.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import type { Batch } from '../../lib/deep/replay';
import { Sac, type SacDims, type SacSaved, type SacStats } from '../../lib/deep/sac';
import { NonFiniteError } from '../../lib/deep/train-guard';
import { Rng } from '../../lib/rng';

before(async () => {
  await initBackend({ quiet: true });
});

function randomBatch(rng: Rng, dims: SacDims, n: number): Batch {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  return {
    n,
    obs: f(dims.obsDim * n, () => rng.normal()),
    act: f(dims.actDim * n, () => rng.range(dims.actLow[0], dims.actHigh[0])),
    rew: f(n, () => rng.normal()),
    nextObs: f(dims.obsDim * n, () => rng.normal()),
    done: f(n, () => (rng.uniform() < 0.1 ? 1 : 0)),
  };
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  let d = 0;
  a.forEach((arr, i) => arr.forEach((x, j) => (d = Math.max(d, Math.abs(x - b[i][j])))));
  return d;
}

const CASES: { name: string; dims: SacDims; config: { hidden: number; layers?: number }; n: number }[] = [
  { name: 'obs 3, act 1, 2×32 units', dims: { obsDim: 3, actDim: 1, actLow: [-2], actHigh: [2] }, config: { hidden: 32 }, n: 64 },
  {
    name: 'obs 5, act 2, 1×20 units',
    dims: { obsDim: 5, actDim: 2, actLow: [-1, -1], actHigh: [1, 1] },
    config: { hidden: 20, layers: 1 },
    n: 37,
  },
  {
    name: 'obs 2, act 3, 3×9 units',
    dims: { obsDim: 2, actDim: 3, actLow: [-3, -3, -3], actHigh: [3, 3, 3] },
    config: { hidden: 9, layers: 3 },
    n: 10,
  },
];

test('12 SAC updates on the engine agree with TensorFlow.js (stats ≤ 1e-4 relative, weights and moments ≤ 1e-5)', async () => {
  for (const c of CASES) {
    const ref = new Sac(c.dims, c.config, new Rng('agree'), { backend: 'tfjs' });
    const eng = new Sac(c.dims, c.config, new Rng('agree'), { backend: 'engine' });
    const data = new Rng('agree/data');
    for (let k = 0; k < 12; k++) {
      const batch = randomBatch(data, c.dims, c.n);
      const a = ref.update(batch);
      const b = eng.update(batch);
      for (const key of Object.keys(a) as (keyof SacStats)[]) {
        const err = Math.abs(a[key] - b[key]) / Math.max(1, Math.abs(a[key]));
        assert.ok(err <= 1e-4, `${c.name}, update ${k + 1}: ${key} ${b[key]} on the engine, ${a[key]} on tfjs`);
      }
    }
    const [sa, sb] = [await ref.save(), await eng.save()];
    for (const key of ['actor', 'critics', 'targets'] as const) {
      const d = maxAbsDiff(sa[key], sb[key]);
      assert.ok(d <= 1e-5, `${c.name}: ${key} weights differ by ${d}`);
    }
    for (const key of ['actor', 'critic'] as const) {
      assert.equal(sb.optimizers[key].t, sa.optimizers[key].t);
      assert.ok(maxAbsDiff([sa.optimizers[key].m], [sb.optimizers[key].m]) <= 1e-5, `${c.name}: ${key} Adam m`);
      assert.ok(maxAbsDiff([sa.optimizers[key].v], [sb.optimizers[key].v]) <= 1e-5, `${c.name}: ${key} Adam v`);
    }
    assert.ok(Math.abs(sa.logAlpha - sb.logAlpha) <= 1e-7, `${c.name}: log α`);
    const obs = Float32Array.from({ length: c.dims.obsDim }, (_, i) => 0.1 * (i + 1));
    const [x, y] = [ref.act(obs, { deterministic: true }), eng.act(obs, { deterministic: true })];
    x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= 1e-5, `${c.name}: deterministic action`));
    const rows = 5;
    const many = Float32Array.from({ length: rows * c.dims.obsDim }, (_, i) => Math.sin(i));
    const [p, q] = [ref.actBatch(many, rows, {}, new Rng('act')), eng.actBatch(many, rows, {}, new Rng('act'))];
    p.forEach((v, i) => assert.ok(Math.abs(v - q[i]) <= 1e-5, `${c.name}: sampled action ${i}: ${q[i]} on the engine, ${v} on tfjs`));
    ref.dispose();
    eng.dispose();
  }
});

test('same seed → same bits on the engine (whatever other engines exist); another seed differs', async () => {
  const c = CASES[0];
  const run = async (seed: string) => {
    const agent = new Sac(c.dims, c.config, new Rng(seed), { backend: 'engine' });
    const data = new Rng('bits/data');
    const stats = Array.from({ length: 5 }, () => agent.update(randomBatch(data, c.dims, c.n)));
    const saved = await agent.save();
    agent.dispose();
    return JSON.stringify({ stats, saved });
  };
  const first = await run('bits');
  const other = new Sac(c.dims, { hidden: 48 }, new Rng('x'), { backend: 'engine' }); // another engine alive meanwhile
  other.update(randomBatch(new Rng('y'), c.dims, 80));
  assert.equal(await run('bits'), first);
  assert.notEqual(await run('bits-2'), first);
  other.dispose();
});

test('an update whose losses are not finite throws NonFiniteError and changes nothing; the next update is as if it never happened', async () => {
  const c = CASES[0];
  const a = new Sac(c.dims, c.config, new Rng('nan'), { backend: 'engine' });
  const b = new Sac(c.dims, c.config, new Rng('nan'), { backend: 'engine' });
  const data = new Rng('nan/data');
  const first = randomBatch(data, c.dims, c.n);
  a.update(first);
  b.update(first);
  const before: SacSaved = await a.save();
  const bad = randomBatch(data, c.dims, c.n);
  bad.rew.fill(3e38); // finite input, infinite squared TD error
  assert.throws(
    () => a.update(bad),
    (e: Error) => e instanceof NonFiniteError && /SAC update/.test(e.message),
  );
  assert.deepEqual(await a.save(), before);
  // Noise is keyed by the update count, which the refused update did not advance: a and b stay in step.
  const next = randomBatch(data, c.dims, c.n);
  assert.deepEqual(a.update(next), b.update(next));
  assert.deepEqual(await a.save(), await b.save());
  assert.throws(() => a.update({ ...next, rew: next.rew.subarray(1) }), /batch.rew has 63 numbers, expected n = 64/);
  a.dispose();
  b.dispose();
});

test('save on the engine, load on TensorFlow.js (and back): the same weights, moments and next update', async () => {
  const c = CASES[0];
  const data = new Rng('io/data');
  const eng = new Sac(c.dims, c.config, new Rng('io'), { backend: 'engine' });
  for (let k = 0; k < 3; k++) eng.update(randomBatch(data, c.dims, c.n));
  const saved = await eng.save();
  const ref = await Sac.load(saved, new Rng('io/resume'), { backend: 'tfjs' });
  const back = await Sac.load(saved, new Rng('io/resume'), { backend: 'engine' });
  assert.deepEqual(await ref.save(), saved);
  assert.deepEqual(await back.save(), saved);
  const batch = randomBatch(data, c.dims, c.n);
  const [x, y] = [ref.update(batch), back.update(batch)];
  for (const key of Object.keys(x) as (keyof SacStats)[]) assert.ok(Math.abs(x[key] - y[key]) <= 1e-4 * Math.max(1, Math.abs(x[key])), key);
  [eng, ref, back].forEach((s) => s.dispose());
});

test('memory stays flat: engine buffers are allocated once, no tensor or engine growth over 400 updates and actions', () => {
  const c = CASES[0];
  const agent = new Sac(c.dims, c.config, new Rng('mem'), { backend: 'engine' });
  const data = new Rng('mem/data');
  const batches = Array.from({ length: 4 }, () => randomBatch(data, c.dims, c.n));
  const obs = Float32Array.of(0.1, 0.2, 0.3);
  const step = (k: number) => {
    agent.update(batches[k % 4]);
    agent.act(obs, { deterministic: false }, new Rng(k));
  };
  step(0);
  const engine = (agent as unknown as { engine: { memoryBytes: number } }).engine;
  const bytes = engine.memoryBytes;
  const tensors = tf.memory().numTensors;
  for (let k = 1; k <= 400; k++) step(k);
  assert.equal(engine.memoryBytes, bytes, 'engine memory grew');
  assert.equal(tf.memory().numTensors, tensors, 'tfjs tensors leaked');
  agent.dispose();
});
