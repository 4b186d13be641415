/**
 * The MnM-approx model update (paper Eq. 9) and its classifier (Eq. 4), through reparameterised samples.
 *
 * For real (s, a), each ensemble member samples s' = s + denorm(μ + σ·ε) and is pushed to MAXIMISE
 *
 *     valueWeight · V(s') + clip(logit C(s, a, s'))                                     (Eq. 9)
 *
 * where V(s') = min_k Q_k(s', a'), a' ~ π(·|s') (the paper's one-sample V; here from the SAC agent), and
 * logit C estimates log p(s'|s,a)/q(s'|s,a). Gradients flow through s' into both terms; only the model's
 * weights move. The reward output is not part of Eq. 9 (the paper learns the reward like MBPO, Sec. 4.2),
 * so it is trained by likelihood on the reward dimension alone. Then the classifier takes one step of Eq. 4
 * on the same real transitions against the model's (now constant) samples.
 *
 * Backend: on the engine (the model's backend 'engine') a round of steps runs in lib/engine/mnm.ts (`mnmModelRound`)
 * with the same draws; `mnmLoss` is its TensorFlow.js reference.
 *
 * valueWeight: the bound (Eq. 2–3) weighs the per-step reward by (1 − γ) against a unit-weight log p/q term,
 * so with task-scale values the faithful balance is valueWeight = 1 − γ; 1 reproduces Eq. 9 literally.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { EngineMnm, type EngineMnmBatch, type EngineMnmConfig } from '../engine/mnm';
import type { EngineEnsemble } from '../engine/ensemble';
import type { TransitionClassifier } from './classifier';
import { type GaussianEnsemble, type Transitions, concatRows, subsetTransitions } from './dynamics';
import { normalNoise } from './sac-core';
import type { Sac } from './sac';

/** V(s) for a batch of observations [n, obsDim] → [n] or [n, 1], differentiable w.r.t. the observations. */
export type ValueFn = (obs: tf.Tensor2D) => tf.Tensor;

export interface MnmModelConfig {
  /** Weight of V(s') against the classifier logit (see the module comment). */
  valueWeight: number;
  /** Classifier steps per model step (GAN practice: keep the classifier near its optimum). */
  classifierSteps: number;
  /** Weight of a likelihood term on the next-state head added to Eq. 9 (0: Eq. 9 alone; a departure from the paper when > 0). */
  likelihoodWeight: number;
  /** The first this many model rounds begin with likelihood training to a held-out plateau (MBPO's), then Eq. 9 (0: none). */
  warmupRounds: number;
}

export const DEFAULT_MNM_MODEL: MnmModelConfig = { valueWeight: 0.01, classifierSteps: 1, likelihoodWeight: 0, warmupRounds: 0 };

export interface MnmStepStats {
  /** Mean of valueWeight·V(s') over the model samples (before the step). */
  value: number;
  /** Mean clipped classifier logit on the model samples (≈ log p/q; 0 when the classifier cannot tell). */
  logit: number;
  /** Likelihood loss of the reward output. */
  rewardNll: number;
  classifierLoss: number;
  classifierAccuracy: number;
}

/** What one model step draws from its stream, in this order: B real rows, the model's noise, every member's minibatch. */
export interface StepDraws {
  B: number;
  sub: Transitions;
  eps: Float32Array;
  rewMb: { x: Float32Array; y: Float32Array; B: number };
}

export function drawStep(model: GaussianEnsemble, train: Transitions, batch: number, rng: Rng): StepDraws {
  const { obsDim, actDim, members: E } = model.cfg;
  const B = Math.min(batch, train.n);
  const idx = new Int32Array(B);
  for (let i = 0; i < B; i++) idx[i] = rng.int(train.n);
  const sub = subsetTransitions(train, obsDim, actDim, idx);
  const eps = normalNoise(rng, E * B * obsDim);
  return { B, sub, eps, rewMb: model.memberBatches(train, batch, rng) };
}

/**
 * The model's loss of one step on TensorFlow.js (the reference of the engine kernel): −mean(w·V(s') + clip(logit))
 * + NLL_r (+ λ·NLL_s'), with the samples s' [members·B, obsDim] and [mean w·V, mean logit, NLL_r]. Call inside a
 * gradient tape over the model's weights.
 */
export function mnmLoss(
  model: GaussianEnsemble,
  classifier: TransitionClassifier,
  value: ValueFn,
  d: StepDraws,
  cfg: MnmModelConfig,
): { loss: tf.Scalar; next: tf.Tensor2D; parts: tf.Tensor1D } {
  const { obsDim, actDim, members: E } = model.cfg;
  const { B, sub, eps, rewMb } = d;
  const obs = tf.tensor2d(sub.obs, [B, obsDim]);
  const act = tf.tensor2d(sub.act, [B, actDim]);
  const xr = tf.tensor3d(rewMb.x, [E, rewMb.B, model.inDim]);
  const yr = tf.tensor3d(rewMb.y, [E, rewMb.B, model.outDim]);
  const next = model.sampleNextObs(obs, act, tf.tensor3d(eps, [E, B, obsDim])).reshape([E * B, obsDim]) as tf.Tensor2D;
  const v = value(next).reshape([-1]).mul(cfg.valueWeight);
  const lg = classifier.clippedLogit(tf.tile(obs, [E, 1]) as tf.Tensor2D, tf.tile(act, [E, 1]) as tf.Tensor2D, next);
  const rewardNll = model.nll(xr, yr, 'reward');
  // Maximise Eq. 9 (minimise its negative) and fit the reward head by likelihood (and, optionally, the next state too).
  const loss = v.add(lg).mean().neg().add(rewardNll);
  return {
    loss: (cfg.likelihoodWeight > 0 ? loss.add(model.nll(xr, yr, 'next').mul(cfg.likelihoodWeight)) : loss) as tf.Scalar,
    next,
    parts: tf.stack([v.mean(), lg.mean(), rewardNll]) as tf.Tensor1D,
  };
}

/**
 * One MnM model step + `classifierSteps` classifier steps on a minibatch per member (real transitions), on
 * TensorFlow.js with any value function. All randomness (minibatches, ε) comes from `rng`.
 */
export function mnmModelStep(
  model: GaussianEnsemble,
  classifier: TransitionClassifier,
  value: ValueFn,
  train: Transitions,
  batch: number,
  cfg: MnmModelConfig,
  rng: Rng,
): MnmStepStats {
  const { obsDim, actDim, members: E } = model.cfg;
  const draws = drawStep(model, train, batch, rng);
  const { B, sub } = draws;
  let fakeNext: tf.Tensor2D | null = null;
  let parts: tf.Tensor | null = null;
  tf.tidy(() => {
    model.minimize(() => {
      const r = mnmLoss(model, classifier, value, draws, cfg);
      fakeNext = tf.keep(r.next);
      parts = tf.keep(r.parts);
      return r.loss;
    });
  });
  const p = (parts as tf.Tensor | null)!.dataSync();
  (parts as tf.Tensor | null)!.dispose();
  let clf = { loss: NaN, accuracy: NaN };
  const fake = fakeNext as tf.Tensor2D | null;
  if (fake === null) throw new Error('mnmModelStep: the model step produced no samples');
  tf.tidy(() => {
    const obsRep = tf.tile(tf.tensor2d(sub.obs, [B, obsDim]), [E, 1]) as tf.Tensor2D;
    const actRep = tf.tile(tf.tensor2d(sub.act, [B, actDim]), [E, 1]) as tf.Tensor2D;
    const realRep = tf.tile(tf.tensor2d(sub.nextObs, [B, obsDim]), [E, 1]) as tf.Tensor2D;
    for (let k = 0; k < cfg.classifierSteps; k++) clf = classifier.trainStep(obsRep, actRep, realRep, fake);
  });
  fake.dispose();
  return { value: p[0], logit: p[1], rewardNll: p[2], classifierLoss: clf.loss, classifierAccuracy: clf.accuracy };
}

/** One step's draws as the engine takes them, with the actor's noise for V(s') (lib/engine/mnm.ts EngineMnmBatch). */
export function engineBatch(model: GaussianEnsemble, d: StepDraws, valueEps: Float32Array): EngineMnmBatch {
  const { obsDim, actDim } = model.cfg;
  const { B, sub } = d;
  return {
    B,
    obs: sub.obs,
    act: sub.act,
    seen: model.seenRows(concatRows(sub.obs, obsDim, sub.act, actDim, B)),
    realNext: sub.nextObs,
    eps: d.eps,
    valueEps,
    memberX: model.seenRows(d.rewMb.x),
    memberY: d.rewMb.y,
  };
}

/** The engine's settings of a model step: the config, the classifier's, the model's log-std bounds and the actor's clip. */
export function engineConfig(model: GaussianEnsemble, classifier: TransitionClassifier, sac: Sac, cfg: MnmModelConfig): EngineMnmConfig {
  return {
    valueWeight: cfg.valueWeight,
    likelihoodWeight: cfg.likelihoodWeight,
    classifierSteps: cfg.classifierSteps,
    classifierLr: classifier.cfg.lr,
    logitClip: classifier.cfg.logitClip,
    minLogStd: model.cfg.minLogStd,
    maxLogStd: model.cfg.maxLogStd,
    actLogStdMin: sac.config.logStdMin,
    actLogStdMax: sac.config.logStdMax,
  };
}

/** The engine twin of each engine ensemble that has run MnM steps: its buffers are allocated once per agent. */
const twins = new WeakMap<EngineEnsemble, EngineMnm>();

function twinOf(eng: EngineEnsemble, model: GaussianEnsemble, classifier: TransitionClassifier, sac: Sac): EngineMnm {
  const shape = {
    obsDim: model.cfg.obsDim,
    actDim: model.cfg.actDim,
    sacHidden: Array.from({ length: sac.config.layers }, () => sac.config.hidden),
    classifierHidden: classifier.cfg.hidden,
  };
  let twin = twins.get(eng);
  if (twin && JSON.stringify(twin.shape) !== JSON.stringify(shape))
    throw new Error('mnmModelRound: the model met a SAC or classifier of another shape');
  if (!twin) twins.set(eng, (twin = new EngineMnm(eng, shape)));
  return twin;
}

/**
 * A round of `steps` MnM model steps (each followed by cfg.classifierSteps classifier steps) with the paper's
 * one-sample V(s') = min_k Q_k(s', a'), a' ~ π(·|s') from SAC (weights held fixed), its noise from `valueRng`;
 * minibatches and the model's noise from `fitRng`. On the engine backend (the model's) the steps run in
 * lib/engine/mnm.ts with the same draws; on tfjs, mnmModelStep. `after(k, stats)` sees every step (e.g. checks).
 */
export function mnmModelRound(
  model: GaussianEnsemble,
  classifier: TransitionClassifier,
  sac: Sac,
  train: Transitions,
  opts: { steps: number; batch: number; cfg: MnmModelConfig; fitRng: Rng; valueRng: Rng },
  after: (k: number, stats: MnmStepStats) => void,
): void {
  const { steps, batch, cfg, fitRng, valueRng } = opts;
  const eng = model.engineForWriting();
  if (!eng) {
    const value: ValueFn = (obs) => sac.value(obs, sac.noiseTensor(valueRng, obs.shape[0]));
    for (let k = 0; k < steps; k++) after(k, mnmModelStep(model, classifier, value, train, batch, cfg, fitRng));
    return;
  }
  const twin = twinOf(eng, model, classifier, sac);
  const nets = sac.valueNets();
  twin.setValueNets(nets.actor, nets.critics);
  const c = classifier.getArrays();
  twin.setClassifier(c.weights, c.inMean, c.inStd, c.adam);
  const engineCfg = engineConfig(model, classifier, sac, cfg);
  try {
    for (let k = 0; k < steps; k++) {
      const d = drawStep(model, train, batch, fitRng);
      after(k, twin.step(engineBatch(model, d, sac.noiseArray(valueRng, model.cfg.members * d.B)), engineCfg));
    }
  } finally {
    // The classifier goes back to tfjs, as its steps there would have left it; after a step that failed its weights
    // may not be finite, and that step's own error (thrown on) is the one to see.
    const t = twin.getClassifier();
    if (t.weights.every((w) => w.every(Number.isFinite))) classifier.setTrained(t.weights, t.adam);
  }
}
