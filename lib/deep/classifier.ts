/**
 * The transition classifier C(s, a, s') of MnM (paper Sec. 4.1): tells real transitions from model ones
 * that start at the same real (s, a). Trained with the cross-entropy of Eq. 4:
 *
 *   max_φ  log C(s, a, s'_real) + log(1 − C(s, a, s'_model))
 *
 * At the Bayes optimum C/(1 − C) = p/q, so its logit estimates log p(s'|s,a)/q(s'|s,a): the term the model
 * update (Eq. 9) and the augmented reward (Eq. 5) use. The network sees normalised (s, a, s' − s).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { Mlp } from './mlp';
import type { Transitions } from './dynamics';
import { type SavedTensor, loadVariables, saveVariables } from './checkpoint';
import { FlatAdam, type FlatAdamState } from './flat-adam';
import { readValues } from './backend';

export interface ClassifierConfig {
  obsDim: number;
  actDim: number;
  hidden: number[];
  lr: number;
  /** |logit| is clipped to this where it is used as a reward or model signal (Eq. 5, Eq. 9). */
  logitClip: number;
}

export const DEFAULT_CLASSIFIER: Omit<ClassifierConfig, 'obsDim' | 'actDim'> = { hidden: [64, 64], lr: 3e-4, logitClip: 10 };

/** Mean sigmoid cross-entropy, real labelled 1 and fake 0: −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z). */
function crossEntropy(real: tf.Tensor1D, fake: tf.Tensor1D): tf.Scalar {
  return tf.softplus(real.neg()).mean().add(tf.softplus(fake).mean()).mul(0.5) as tf.Scalar;
}

export class TransitionClassifier {
  readonly cfg: ClassifierConfig;
  readonly net: Mlp;
  /** Adam in plain JS (./flat-adam): no tfjs kernels for the step. */
  private readonly optimizer: FlatAdam;
  private readonly inMean: tf.Variable;
  private readonly inStd: tf.Variable;

  constructor(cfg: ClassifierConfig, rng: Rng) {
    if (!(cfg.logitClip > 0 && cfg.lr > 0))
      throw new Error(`TransitionClassifier: logitClip and lr must be positive, got ${cfg.logitClip}, ${cfg.lr}`);
    this.cfg = cfg;
    const inDim = 2 * cfg.obsDim + cfg.actDim;
    this.net = new Mlp({ inDim, outDim: 1, hidden: cfg.hidden, activation: 'relu' }, rng, 'classifier');
    this.optimizer = new FlatAdam(this.net.params, { lr: cfg.lr });
    this.inMean = tf.tidy(() => tf.variable(tf.zeros([inDim]), false));
    this.inStd = tf.tidy(() => tf.variable(tf.ones([inDim]), false));
  }

  /** Fits the input normaliser to real transitions (called with the dynamics model's training data). */
  fitNormaliser(data: Transitions): void {
    const { obsDim, actDim } = this.cfg;
    const d = 2 * obsDim + actDim;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (let i = 0; i < data.n; i++) {
      for (let j = 0; j < d; j++) {
        const v =
          j < obsDim
            ? data.obs[i * obsDim + j]
            : j < obsDim + actDim
              ? data.act[i * actDim + j - obsDim]
              : data.nextObs[i * obsDim + j - obsDim - actDim] - data.obs[i * obsDim + j - obsDim - actDim];
        mean[j] += v;
        sq[j] += v * v;
      }
    }
    const n = Math.max(data.n, 1);
    const m = Float32Array.from(mean, (s) => s / n);
    const s = Float32Array.from(sq, (q, j) => Math.max(Math.sqrt(Math.max(q / n - m[j] * m[j], 0)), 1e-4));
    tf.tidy(() => {
      this.inMean.assign(tf.tensor1d(m));
      this.inStd.assign(tf.tensor1d(s));
    });
  }

  /** Unclipped logit of C for each row: [B]. Differentiable in all three inputs (the model update needs s'). */
  logit(obs: tf.Tensor2D, act: tf.Tensor2D, nextObs: tf.Tensor2D): tf.Tensor1D {
    const x = tf
      .concat([obs, act, nextObs.sub(obs)], 1)
      .sub(this.inMean)
      .div(this.inStd) as tf.Tensor2D;
    return this.net.apply(x).reshape([-1]);
  }

  /** The logit clipped to ±logitClip: the estimate of log p/q used in Eq. 5 and Eq. 9. */
  clippedLogit(obs: tf.Tensor2D, act: tf.Tensor2D, nextObs: tf.Tensor2D): tf.Tensor1D {
    return tf.clipByValue(this.logit(obs, act, nextObs), -this.cfg.logitClip, this.cfg.logitClip);
  }

  /** −(Eq. 4), averaged: sigmoid cross-entropy with real next states labelled 1 and model ones 0. */
  loss(obs: tf.Tensor2D, act: tf.Tensor2D, realNext: tf.Tensor2D, modelNext: tf.Tensor2D): tf.Scalar {
    return crossEntropy(this.logit(obs, act, realNext), this.logit(obs, act, modelNext));
  }

  /** One Adam step on Eq. 4. Returns the loss and the accuracy at threshold 1/2 (both before the step). */
  trainStep(obs: tf.Tensor2D, act: tf.Tensor2D, realNext: tf.Tensor2D, modelNext: tf.Tensor2D): { loss: number; accuracy: number } {
    let acc: tf.Scalar | null = null;
    const loss = tf.tidy(() => {
      // The model's samples are constants here: only the classifier's weights get gradients.
      const { value, grads } = tf.variableGrads(() => {
        const real = this.logit(obs, act, realNext);
        const fake = this.logit(obs, act, modelNext);
        acc = tf.keep(real.greater(0).cast('float32').mean().add(fake.lessEqual(0).cast('float32').mean()).mul(0.5) as tf.Scalar);
        return crossEntropy(real, fake);
      }, this.net.params);
      this.optimizer.apply(grads);
      return value;
    });
    const out = { loss: loss.dataSync()[0], accuracy: (acc as tf.Scalar | null)?.dataSync()[0] ?? NaN };
    loss.dispose();
    (acc as tf.Scalar | null)?.dispose();
    return out;
  }

  /** Mean clipped logit on the given transitions (a diagnostic: ≈ 0 when the model fools the classifier). */
  meanLogit(obs: tf.Tensor2D, act: tf.Tensor2D, nextObs: tf.Tensor2D): number {
    const m = tf.tidy(() => this.clippedLogit(obs, act, nextObs).mean());
    const v = m.dataSync()[0];
    m.dispose();
    return v;
  }

  /** Weights (`params` order), input normaliser and Adam state as plain arrays (copies): for lib/engine/mnm.ts. */
  getArrays(): ClassifierArrays {
    return {
      weights: this.net.getWeights(),
      inMean: Float32Array.from(readValues(this.inMean)),
      inStd: Float32Array.from(readValues(this.inStd)),
      adam: this.optimizer.getMoments(),
    };
  }

  /** Takes back weights and Adam state trained elsewhere (lib/engine/mnm.ts); the normaliser is not changed there. */
  setTrained(weights: ArrayLike<number>[], adam: { t: number; m: ArrayLike<number>; v: ArrayLike<number> }): void {
    this.net.setWeights(weights);
    this.optimizer.setMoments(adam, 'TransitionClassifier.setTrained');
  }

  async getState(): Promise<ClassifierState> {
    return { vars: saveVariables([...this.net.params, this.inMean, this.inStd]), optimizer: this.optimizer.getState() };
  }

  async setState(state: ClassifierState): Promise<void> {
    loadVariables([...this.net.params, this.inMean, this.inStd], state.vars, 'TransitionClassifier.setState');
    this.optimizer.setState(state.optimizer);
  }

  dispose(): void {
    this.net.dispose();
    this.optimizer.dispose();
    this.inMean.dispose();
    this.inStd.dispose();
  }
}

export interface ClassifierArrays {
  weights: Float32Array[];
  inMean: Float32Array;
  inStd: Float32Array;
  adam: { t: number; m: Float32Array; v: Float32Array };
}

export interface ClassifierState {
  vars: SavedTensor[];
  optimizer: FlatAdamState;
}
