/**
 * MnM-approx's model step (Eq. 9) and classifier step (Eq. 4) on the engine (lib/engine/mnm.ts) against the
 * TensorFlow.js reference (lib/deep/mnm-model.ts mnmLoss, lib/deep/classifier.ts loss): the same weights, draws and
 * noise. Stated tolerances: the gradients of one step agree with tfjs autodiff norm-wise to 1e-4
 * (‖got − want‖∞ / ‖want‖∞), and with a central finite difference of the engine's own float32 loss along a random
 * direction to 2e-2 (float32 rounding of the loss bounds that one); a round of steps agrees with tfjs in every
 * statistic to 1e-4 relative and in every weight to 1e-4 absolute. Same seed → same bits; flat memory; named errors.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { TransitionClassifier } from '../../lib/deep/classifier';
import { GaussianEnsemble, type Transitions } from '../../lib/deep/dynamics';
import { DEFAULT_MNM_MODEL, drawStep, engineBatch, engineConfig, mnmLoss, mnmModelRound } from '../../lib/deep/mnm-model';
import { Sac } from '../../lib/deep/sac';
import { EngineMnm } from '../../lib/engine/mnm';
import { Rng } from '../../lib/rng';
import { relErr } from './rel-err';

before(async () => {
  await initBackend({ quiet: true });
});

function flat(arrays: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let off = 0;
  for (const a of arrays) {
    out.set(a, off);
    off += a.length;
  }
  return out;
}

/** Positions in [−1, 1] (so a 0.2 cell quantises the first two), the rest normal; s' near s. */
function transitions(rng: Rng, n: number, obsDim: number, actDim: number): Transitions {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  const obs = f(n * obsDim, () => rng.range(-1, 1));
  const act = f(n * actDim, () => rng.range(-1, 1));
  return { n, obs, act, rew: f(n, () => 1 + rng.normal()), nextObs: obs.map((o, i) => o + 0.05 * act[i % actDim] + 0.02 * rng.normal()) };
}

const CASES = [
  {
    name: 'obs 3, act 1, model [16, 12] × 3, SAC 2×8, classifier [10, 6], B 20',
    obsDim: 3,
    actDim: 1,
    hidden: [16, 12],
    members: 3,
    sac: { hidden: 8, layers: 2 },
    clf: [10, 6],
    B: 20,
    inputCell: 0,
    likelihoodWeight: 0,
  },
  {
    name: 'obs 4, act 2, model [9] × 2, SAC 1×9, classifier [7], B 13, quantised input, λ 0.5',
    obsDim: 4,
    actDim: 2,
    hidden: [9],
    members: 2,
    sac: { hidden: 9, layers: 1 },
    clf: [7],
    B: 13,
    inputCell: 0.2,
    likelihoodWeight: 0.5,
  },
];

type Case = (typeof CASES)[number];

/** A model per backend from one seed, SAC and a classifier, all fitted to the same data. */
function setup(c: Case, backend: 'tfjs' | 'engine') {
  const { obsDim, actDim } = c;
  const data = transitions(new Rng('mnm/data'), 150, obsDim, actDim);
  const model = new GaussianEnsemble(
    { obsDim, actDim, members: c.members, elites: 1, hidden: c.hidden, lr: 1e-3, minLogStd: -5, maxLogStd: 0.25, inputCell: c.inputCell },
    new Rng('mnm/model'),
    { backend },
  );
  model.fitNormalisers(data);
  const sac = new Sac({ obsDim, actDim, actLow: Array(actDim).fill(-1), actHigh: Array(actDim).fill(1) }, c.sac, new Rng('mnm/sac'), {
    backend: 'tfjs',
  });
  const clf = new TransitionClassifier({ obsDim, actDim, hidden: c.clf, lr: 1e-3, logitClip: 10 }, new Rng('mnm/clf'));
  clf.fitNormaliser(data);
  const cfg = { ...DEFAULT_MNM_MODEL, valueWeight: 0.5, likelihoodWeight: c.likelihoodWeight, classifierSteps: 1 };
  return { data, model, sac, clf, cfg, dispose: () => [model, sac, clf].forEach((x) => x.dispose()) };
}

function twinFor(s: ReturnType<typeof setup>, c: Case): EngineMnm {
  const eng = s.model.engineForWriting();
  assert.ok(eng);
  const twin = new EngineMnm(eng, {
    obsDim: c.obsDim,
    actDim: c.actDim,
    sacHidden: Array(c.sac.layers).fill(c.sac.hidden),
    classifierHidden: c.clf,
  });
  const nets = s.sac.valueNets();
  twin.setValueNets(nets.actor, nets.critics);
  const a = s.clf.getArrays();
  twin.setClassifier(a.weights, a.inMean, a.inStd, a.adam);
  return twin;
}

test('one MnM step: the model and classifier gradients on the engine agree with TensorFlow.js autodiff (≤ 1e-4 norm-wise)', () => {
  for (const c of CASES) {
    const ref = setup(c, 'tfjs');
    const eng = setup(c, 'engine');
    const twin = twinFor(eng, c);
    const draws = drawStep(ref.model, ref.data, c.B, new Rng('mnm/draws'));
    const valueEps = ref.sac.noiseArray(new Rng('mnm/value'), c.members * c.B);
    const E = c.members;
    let fake: tf.Tensor2D | null = null;
    const want = tf.tidy(() => {
      const value = (obs: tf.Tensor2D) => ref.sac.value(obs, tf.tensor2d(valueEps, [E * c.B, c.actDim]));
      let parts: Float32Array = new Float32Array(0);
      const { grads } = tf.variableGrads(() => {
        const r = mnmLoss(ref.model, ref.clf, value, draws, ref.cfg);
        parts = r.parts.dataSync() as Float32Array;
        fake = tf.keep(r.next);
        return r.loss;
      }, ref.model.trainableVariables());
      return { grads: flat(ref.model.trainableVariables().map((v) => grads[v.name].dataSync())), parts };
    });
    const got = twin.step(engineBatch(eng.model, draws, valueEps), engineConfig(eng.model, eng.clf, eng.sac, eng.cfg));
    const err = relErr(
      (eng.model.engineForWriting() as NonNullable<ReturnType<GaussianEnsemble['engineForWriting']>>).getGradients(),
      want.grads,
    );
    assert.ok(err <= 1e-4, `${c.name}: model gradient differs by ${err}`);
    [got.value, got.logit, got.rewardNll].forEach((v, i) =>
      assert.ok(
        Math.abs(v - want.parts[i]) <= 1e-4 * Math.max(1, Math.abs(want.parts[i])),
        `${c.name}: statistic ${i}: ${v} against ${want.parts[i]}`,
      ),
    );
    // The classifier's gradient on real rows against the model's samples (tiled as tfjs tiles them).
    const clfGrad = tf.tidy(() => {
      const rep = (x: Float32Array, d: number) => tf.tile(tf.tensor2d(x, [c.B, d]), [E, 1]) as tf.Tensor2D;
      const { grads } = tf.variableGrads(
        () =>
          ref.clf.loss(
            rep(draws.sub.obs, c.obsDim),
            rep(draws.sub.act, c.actDim),
            rep(draws.sub.nextObs, c.obsDim),
            fake as unknown as tf.Tensor2D,
          ),
        ref.clf.net.params,
      );
      return flat(ref.clf.net.params.map((v) => grads[v.name].dataSync()));
    });
    (fake as unknown as tf.Tensor2D).dispose();
    const cErr = relErr(twin.classifierGradients(), clfGrad);
    assert.ok(cErr <= 1e-4, `${c.name}: classifier gradient differs by ${cErr}`);
    ref.dispose();
    eng.dispose();
  }
});

test("one MnM step: the engine's model gradient agrees with a central finite difference of its own float32 loss (≤ 2e-2)", () => {
  const c = CASES[0];
  const s = setup(c, 'engine');
  const twin = twinFor(s, c);
  const ens = s.model.engineForWriting();
  assert.ok(ens);
  const draws = drawStep(s.model, s.data, c.B, new Rng('fd/draws'));
  const valueEps = s.sac.noiseArray(new Rng('fd/value'), c.members * c.B);
  const batch = engineBatch(s.model, draws, valueEps);
  const cfg = { ...engineConfig(s.model, s.clf, s.sac, s.cfg), classifierSteps: 0 };
  const w0 = ens.getParams();
  const rng = new Rng('fd/direction');
  const dir = Float32Array.from(w0, () => rng.normal());
  // The loss at w (read before the step it takes; the weights are put back each time).
  const loss = (h: number) => {
    ens.setParams(Float32Array.from(w0, (w, i) => w + h * dir[i]));
    const st = twin.step(batch, cfg);
    return -(st.value + st.logit) + st.rewardNll;
  };
  loss(0);
  const g = ens.getGradients();
  const analytic = g.reduce((a, gi, i) => a + gi * dir[i], 0);
  const h = 1e-3;
  const numeric = (loss(h) - loss(-h)) / (2 * h);
  assert.ok(
    Math.abs(numeric - analytic) <= 2e-2 * Math.abs(analytic),
    `directional derivative ${analytic} against the finite difference ${numeric}`,
  );
  s.dispose();
});

test('a round of MnM steps on the engine agrees with TensorFlow.js (statistics ≤ 1e-4 relative, weights ≤ 1e-4); same seed → same bits; memory flat', async () => {
  for (const c of CASES) {
    const round = (backend: 'tfjs' | 'engine', rounds = 1) => {
      const s = setup(c, backend);
      const stats: number[][] = [];
      let bytes: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const opts = {
          steps: 5,
          batch: c.B,
          cfg: { ...s.cfg, classifierSteps: 2 },
          fitRng: new Rng(`round/fit/${r}`),
          valueRng: new Rng(`round/value/${r}`),
        };
        mnmModelRound(s.model, s.clf, s.sac, s.data, opts, (_, st) =>
          stats.push([st.value, st.logit, st.rewardNll, st.classifierLoss, st.classifierAccuracy]),
        );
        const eng = backend === 'engine' ? s.model.engineForWriting() : null;
        if (eng) bytes = [...bytes, eng.memoryBytes];
      }
      const out = { stats, model: flat(s.model.net.getWeights()), clf: flat(s.clf.net.getWeights()), bytes };
      s.dispose();
      return out;
    };
    const a = round('tfjs');
    const b = round('engine');
    a.stats.forEach((row, k) =>
      row.forEach((v, i) =>
        assert.ok(
          Math.abs(b.stats[k][i] - v) <= 1e-4 * Math.max(1, Math.abs(v)),
          `${c.name}, step ${k}, statistic ${i}: ${b.stats[k][i]} against ${v}`,
        ),
      ),
    );
    for (const key of ['model', 'clf'] as const) {
      const d = a[key].reduce((m, v, i) => Math.max(m, Math.abs(v - b[key][i])), 0);
      assert.ok(d <= 1e-4, `${c.name}: ${key} weights differ by ${d}`);
    }
    const again = round('engine', 3);
    assert.deepEqual(again.stats.slice(0, b.stats.length), b.stats, `${c.name}: a second engine run from the same seed differs`);
    assert.deepEqual(again.bytes, Array(3).fill(again.bytes[0]), `${c.name}: engine memory grew over rounds`);
  }
});

test('bad input to the engine MnM step: wrong lengths are named errors', () => {
  const c = CASES[0];
  const s = setup(c, 'engine');
  const twin = twinFor(s, c);
  const draws = drawStep(s.model, s.data, c.B, new Rng('bad'));
  const batch = engineBatch(s.model, draws, new Float32Array(c.members * c.B));
  const cfg = engineConfig(s.model, s.clf, s.sac, s.cfg);
  assert.throws(() => twin.step({ ...batch, obs: new Float32Array(5) }, cfg), /EngineMnm.step: obs needs 60 numbers for B = 20, got 5/);
  assert.throws(() => twin.step({ ...batch, memberY: new Float32Array(3) }, cfg), /EngineMnm.step: x and y need/);
  assert.throws(() => twin.setValueNets([new Float32Array(3)], []), /EngineMnm: the actor needs \d+ numbers, got 3/);
  s.dispose();
});

test("a step that fails on the engine is reported by its own check, not by the classifier's write-back", () => {
  const c = CASES[0];
  const s = setup(c, 'engine');
  const data = { ...s.data, nextObs: s.data.nextObs.map((x, i) => (i === 0 ? NaN : x)) };
  const opts = { steps: 3, batch: data.n, cfg: s.cfg, fitRng: new Rng('nan/fit'), valueRng: new Rng('nan/value') };
  assert.throws(
    () =>
      mnmModelRound(s.model, s.clf, s.sac, data, opts, (k, st) => {
        if (!Number.isFinite(st.classifierLoss)) throw new Error(`classifier loss is ${st.classifierLoss} at model step ${k}`);
      }),
    /^Error: classifier loss is NaN at model step \d$/,
  );
  s.dispose();
});
