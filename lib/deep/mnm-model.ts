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
 * valueWeight: the bound (Eq. 2–3) weighs the per-step reward by (1 − γ) against a unit-weight log p/q term,
 * so with task-scale values the faithful balance is valueWeight = 1 − γ; 1 reproduces Eq. 9 literally.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { TransitionClassifier } from './classifier';
import { type GaussianEnsemble, type Transitions, subsetTransitions } from './dynamics';

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

function normalNoise(rng: Rng, size: number): Float32Array {
  const z = new Float32Array(size);
  for (let i = 0; i < size; i++) z[i] = rng.normal();
  return z;
}

/**
 * One MnM model step + `classifierSteps` classifier steps on a minibatch per member (real transitions).
 * All randomness (minibatches, ε) comes from `rng`.
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
  const B = Math.min(batch, train.n);
  const idx = new Int32Array(B);
  for (let i = 0; i < B; i++) idx[i] = rng.int(train.n);
  const sub = subsetTransitions(train, obsDim, actDim, idx);
  const eps = normalNoise(rng, E * B * obsDim);
  const rewMb = model.memberBatches(train, batch, rng);
  let fakeNext: tf.Tensor2D | null = null;
  let parts: tf.Tensor | null = null;
  tf.tidy(() => {
    const obs = tf.tensor2d(sub.obs, [B, obsDim]);
    const act = tf.tensor2d(sub.act, [B, actDim]);
    const obsRep = tf.tile(obs, [E, 1]) as tf.Tensor2D;
    const actRep = tf.tile(act, [E, 1]) as tf.Tensor2D;
    const xr = tf.tensor3d(rewMb.x, [E, rewMb.B, model.inDim]);
    const yr = tf.tensor3d(rewMb.y, [E, rewMb.B, model.outDim]);
    model.minimize(() => {
      const next = model.sampleNextObs(obs, act, tf.tensor3d(eps, [E, B, obsDim])).reshape([E * B, obsDim]) as tf.Tensor2D;
      const v = value(next).reshape([-1]).mul(cfg.valueWeight);
      const lg = classifier.clippedLogit(obsRep, actRep, next);
      const rewardNll = model.nll(xr, yr, 'reward');
      fakeNext = tf.keep(next);
      parts = tf.keep(tf.stack([v.mean(), lg.mean(), rewardNll]));
      // Maximise Eq. 9 (minimise its negative) and fit the reward head by likelihood (and, optionally, the next state too).
      const loss = v.add(lg).mean().neg().add(rewardNll);
      return (cfg.likelihoodWeight > 0 ? loss.add(model.nll(xr, yr, 'next').mul(cfg.likelihoodWeight)) : loss) as tf.Scalar;
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
