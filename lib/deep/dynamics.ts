/**
 * An ensemble of probabilistic (Gaussian) dynamics networks, as in MBPO/PETS.
 *
 * Each member maps a normalised (obs, act) to a diagonal Gaussian over the normalised target
 * [Δobs, reward]. All members live in one set of rank-3 weights ([members, in, out]) so a single batched
 * matMul evaluates the whole ensemble: on the wasm backend one op per layer instead of one per member.
 *
 * Two ways to train it, sharing everything else:
 *   - `fitLikelihood` (MBPO): Gaussian negative log-likelihood, each member on its own bootstrap minibatches;
 *   - the MnM-approx objective (Eq. 9) lives in `mnm-model.ts` and uses `sampleNextObs` (reparameterised).
 * Validation MSE (of the mean next observation, raw units) is measured on a held-out split and picks elites.
 *
 * Backend (./deep-backend, or the constructor's opts.backend): on 'engine' the likelihood steps, the validation MSE
 * and the rollout step run on the WebAssembly engine (lib/engine/ensemble.ts: the same loss, Adam and inputs,
 * quantised the same way), and so does MnM-approx's Eq. 9 step (lib/engine/mnm.ts, through `engineForWriting`);
 * everything else (`forward`, `net`, checkpoints) runs on the TensorFlow.js members. Weights and Adam moments are copied across only when the other side changed them
 * (`current`), so each side always starts from the latest ones.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { MlpEnsemble } from './mlp';
import { type SavedTensor, loadVariables, saveVariables } from './checkpoint';
import { FlatAdam, type FlatAdamState } from './flat-adam';
import { MAZE_QUANTISE, quantiseObsRows, quantiseRowsLikeTensor, quantiseTensor } from './input-quantise';
import { EngineEnsemble } from '../engine/ensemble';
import { deepBackend, type DeepBackend } from './deep-backend';

/** Plain transitions in row-major typed arrays: obs is n×obsDim, act n×actDim, rew n, nextObs n×obsDim. */
export interface Transitions {
  n: number;
  obs: Float32Array;
  act: Float32Array;
  rew: Float32Array;
  nextObs: Float32Array;
}

export interface EnsembleConfig {
  obsDim: number;
  actDim: number;
  /** Ensemble size (MBPO: 7). */
  members: number;
  /** Members used for rollouts, the ones with the lowest validation MSE (MBPO: 5). */
  elites: number;
  /** Hidden layer widths (MBPO: 4×200). */
  hidden: number[];
  lr: number;
  /** Bounds of the predicted log standard deviation (normalised units), soft-clipped as in PETS. */
  minLogStd: number;
  maxLogStd: number;
  /**
   * A capacity limit (E7 Stage B): the members see observation columns 0 and 1 (the point maze's position) only to
   * the centre of their `inputCell`-wide cell of [−1, 1] (./input-quantise.ts); 0 = full resolution. Targets and
   * the state a prediction is added to stay exact.
   */
  inputCell: number;
}

export const DEFAULT_ENSEMBLE: Omit<EnsembleConfig, 'obsDim' | 'actDim'> = {
  members: 5,
  elites: 3,
  hidden: [64, 64],
  lr: 1e-3,
  minLogStd: -5,
  maxLogStd: 0.25,
  inputCell: 0,
};

/** Mean and standard deviation of each column of an n×d array (std floored so constant columns do not divide by 0). */
function columnStats(x: Float32Array, n: number, d: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (x[i * d + j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) std[j] = Math.max(Math.sqrt(std[j] / Math.max(n, 1)), 1e-4);
  return { mean, std };
}

/** Row-wise concatenation of an n×a and an n×b array. */
export function concatRows(a: Float32Array, da: number, b: Float32Array, db: number, n: number): Float32Array {
  const out = new Float32Array(n * (da + db));
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * (da + db));
    out.set(b.subarray(i * db, (i + 1) * db), i * (da + db) + da);
  }
  return out;
}

/** The regression target [Δobs, reward] of each transition, n×(obsDim+1). */
export function targetsOf(t: Transitions, obsDim: number): Float32Array {
  const d = obsDim + 1;
  const y = new Float32Array(t.n * d);
  for (let i = 0; i < t.n; i++) {
    for (let j = 0; j < obsDim; j++) y[i * d + j] = t.nextObs[i * obsDim + j] - t.obs[i * obsDim + j];
    y[i * d + obsDim] = t.rew[i];
  }
  return y;
}

/** Selects rows `idx` of an n×d array. */
export function takeRows(x: Float32Array, d: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * d);
  for (let k = 0; k < idx.length; k++) out.set(x.subarray(idx[k] * d, idx[k] * d + d), k * d);
  return out;
}

export function subsetTransitions(t: Transitions, obsDim: number, actDim: number, idx: ArrayLike<number>): Transitions {
  const rew = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) rew[k] = t.rew[idx[k]];
  return {
    n: idx.length,
    obs: takeRows(t.obs, obsDim, idx),
    act: takeRows(t.act, actDim, idx),
    rew,
    nextObs: takeRows(t.nextObs, obsDim, idx),
  };
}

export interface FitOptions {
  /** Gradient steps in this call. */
  steps: number;
  /** Minibatch size per member. */
  batch: number;
  /** Names the caller in a non-finite-loss error (e.g. "MBPO model round at env step 1200"). */
  where?: string;
}

export interface PlateauOptions {
  /** Minibatch size per member. */
  batch: number;
  /** Epochs without progress before training stops (mbrl-lib's MBPO configs: 5). */
  patience: number;
  /** At most this many epochs in one call (a budget cap). */
  maxEpochs: number;
  /** Relative fall of some member's validation MSE that counts as progress (mbrl-lib: 0.01). */
  minImprovement: number;
  where?: string;
}

export interface PlateauReport {
  epochs: number;
  steps: number;
  /** Per-member validation MSE of the restored weights. */
  valMse: number[];
}

export interface FitReport {
  /** Mean training loss over the last 10% of steps. */
  loss: number;
  /** Validation MSE of each member's mean next observation (raw units, averaged over dims). */
  valMse: number[];
  /** Mean over the elites. */
  eliteValMse: number;
}

export class GaussianEnsemble {
  readonly cfg: EnsembleConfig;
  readonly inDim: number;
  /** Target dimension: obsDim + 1 (reward). */
  readonly outDim: number;
  /** The members: one batched MLP (lib/deep/mlp.ts), output [mean, raw log-std] of the normalised target. */
  private readonly nets: MlpEnsemble;
  private readonly inMean: tf.Variable;
  private readonly inStd: tf.Variable;
  private readonly outMean: tf.Variable;
  private readonly outStd: tf.Variable;
  /** Adam in plain JS over all members' weights (./flat-adam: no tfjs kernels; tf.train.adam ran ~12 per variable). */
  private readonly optimizer: FlatAdam;
  /** Indices of the elite members, best first. */
  elites: number[];
  /** Whether the normalisers have been fitted to data. */
  private normalised = false;
  readonly backend: DeepBackend;
  /** The engine running likelihood steps, validation and rollouts when backend is 'engine'. */
  private readonly engine: EngineEnsemble | null = null;
  /**
   * Which side holds the latest weights and Adam moments: 'both', or the one that changed them last (the other is
   * brought up to date before it is next used). Always 'both' on the tfjs backend.
   */
  private current: 'both' | 'tfjs' | 'engine' = 'both';

  constructor(cfg: EnsembleConfig, rng: Rng, opts: { backend?: DeepBackend } = {}) {
    for (const [k, v] of Object.entries(cfg)) {
      if (k === 'hidden') continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`GaussianEnsemble: config.${k} must be a finite number, got ${v}`);
    }
    if (!(cfg.members >= 1 && cfg.elites >= 1 && cfg.elites <= cfg.members)) {
      throw new Error(`GaussianEnsemble: need 1 ≤ elites (${cfg.elites}) ≤ members (${cfg.members})`);
    }
    if (cfg.inputCell < 0 || (cfg.inputCell > 0 && cfg.obsDim < 2))
      throw new Error(
        `GaussianEnsemble: inputCell must be 0 or > 0 with an observation of at least 2 columns, got ${cfg.inputCell} (obsDim ${cfg.obsDim})`,
      );
    if (!(cfg.hidden.length >= 1 && cfg.hidden.every((h) => Number.isInteger(h) && h > 0))) {
      throw new Error(`GaussianEnsemble: hidden must be positive integers, got [${cfg.hidden}]`);
    }
    this.cfg = cfg;
    this.inDim = cfg.obsDim + cfg.actDim;
    this.outDim = cfg.obsDim + 1;
    this.nets = new MlpEnsemble(
      { inDim: this.inDim, outDim: 2 * this.outDim, hidden: cfg.hidden, activation: 'swish', members: cfg.members },
      rng,
      'dynamics',
    );
    this.inMean = tf.tidy(() => tf.variable(tf.zeros([this.inDim]), false));
    this.inStd = tf.tidy(() => tf.variable(tf.ones([this.inDim]), false));
    this.outMean = tf.tidy(() => tf.variable(tf.zeros([this.outDim]), false));
    this.outStd = tf.tidy(() => tf.variable(tf.ones([this.outDim]), false));
    this.optimizer = new FlatAdam(this.nets.params, { lr: cfg.lr });
    this.elites = Array.from({ length: cfg.elites }, (_, i) => i);
    this.backend = opts.backend ?? deepBackend();
    if (this.backend === 'engine') {
      this.engine = new EngineEnsemble(
        { inDim: this.inDim, outDim: this.outDim, hidden: cfg.hidden, members: cfg.members },
        { lr: cfg.lr, minLogStd: cfg.minLogStd, maxLogStd: cfg.maxLogStd },
      );
      this.current = 'tfjs';
    }
  }

  /** The engine with the latest weights and moments (copied over from tfjs if they changed there). */
  private onEngine(): EngineEnsemble {
    const eng = this.engine;
    if (!eng) throw new Error('GaussianEnsemble: no engine on the tfjs backend');
    if (this.current === 'tfjs') {
      eng.setWeights(this.nets.getWeights());
      eng.setAdam(this.optimizer.getMoments());
      this.current = 'both';
    }
    return eng;
  }

  /** Brings the tfjs members and moments up to date with the engine; `writing`: the caller is about to change them. */
  private onTfjs(writing: boolean): void {
    if (!this.engine) return;
    if (this.current === 'engine') {
      this.nets.setWeights(this.engine.getWeights());
      this.optimizer.setMoments(this.engine.getAdam());
      this.current = 'both';
    }
    if (writing) this.current = 'tfjs';
  }

  /** The members as TensorFlow.js networks, up to date (the caller may change their weights: the engine then takes them back). */
  get net(): MlpEnsemble {
    this.onTfjs(true);
    return this.nets;
  }

  /** The trainable weights (for optimisers outside this class, e.g. the MnM model update). */
  trainableVariables(): tf.Variable[] {
    return this.net.params;
  }

  /**
   * The engine, up to date, for a caller about to change the members' weights and moments there (MnM-approx's
   * Eq. 9 step, lib/deep/mnm-model.ts); null on the tfjs backend.
   */
  engineForWriting(): EngineEnsemble | null {
    if (!this.engine) return null;
    const eng = this.onEngine();
    this.current = 'engine';
    return eng;
  }

  /** Raw input rows [n·inDim] as the members see them before normalising (./input-quantise, as netInput does in tfjs). */
  seenRows(x: Float32Array): Float32Array {
    const cell = this.cfg.inputCell;
    return cell > 0 ? quantiseRowsLikeTensor(x, this.inDim, { ...MAZE_QUANTISE, cell }) : x;
  }

  /** Refits the input and target normalisers to `data` (MBPO refits them before each training round). */
  fitNormalisers(data: Transitions): void {
    const x = concatRows(data.obs, this.cfg.obsDim, data.act, this.cfg.actDim, data.n);
    // The input normaliser describes what the members see: the quantised position when there is a capacity limit.
    const xs = columnStats(
      this.cfg.inputCell > 0 ? quantiseObsRows(x, this.inDim, { ...MAZE_QUANTISE, cell: this.cfg.inputCell }) : x,
      data.n,
      this.inDim,
    );
    const ys = columnStats(targetsOf(data, this.cfg.obsDim), data.n, this.outDim);
    tf.tidy(() => {
      this.inMean.assign(tf.tensor1d(xs.mean));
      this.inStd.assign(tf.tensor1d(xs.std));
      this.outMean.assign(tf.tensor1d(ys.mean));
      this.outStd.assign(tf.tensor1d(ys.std));
    });
    this.engine?.setNormalisers(xs.mean, xs.std, ys.mean, ys.std);
    this.normalised = true;
  }

  /**
   * Every member's Gaussian for inputs x ([members, B, inDim] raw units, or [B, inDim] shared by all):
   * mean and log-std of the NORMALISED target, each [members, B, outDim].
   */
  forward(x: tf.Tensor): { mean: tf.Tensor3D; logStd: tf.Tensor3D } {
    this.onTfjs(false);
    const h = this.nets.apply(this.netInput(x) as tf.Tensor2D | tf.Tensor3D);
    const [mean, raw] = tf.split(h as tf.Tensor3D, 2, 2) as [tf.Tensor3D, tf.Tensor3D];
    return { mean, logStd: this.boundLogStd(raw) as tf.Tensor3D };
  }

  /** Member m's Gaussian for inputs x [B, inDim] (raw units): mean and log-std of the normalised target, each [B, outDim]. */
  forwardMember(m: number, x: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    this.onTfjs(false);
    const h = this.nets.nets[m].apply(this.netInput(x) as tf.Tensor2D);
    const [mean, raw] = tf.split(h, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, logStd: this.boundLogStd(raw) as tf.Tensor2D };
  }

  /** Raw inputs [..., inDim] as the members see them: quantised where the capacity limit applies, then normalised. */
  private netInput(x: tf.Tensor): tf.Tensor {
    const seen = this.cfg.inputCell > 0 ? quantiseTensor(x, { ...MAZE_QUANTISE, cell: this.cfg.inputCell }) : x;
    return seen.sub(this.inMean).div(this.inStd);
  }

  /** Soft bounds (PETS): keeps the variance from collapsing or exploding where data is thin. */
  private boundLogStd(raw: tf.Tensor): tf.Tensor {
    const { minLogStd, maxLogStd } = this.cfg;
    const upper = tf.scalar(maxLogStd).sub(tf.softplus(tf.scalar(maxLogStd).sub(raw)));
    return tf.scalar(minLogStd).add(tf.softplus(upper.sub(minLogStd)));
  }

  /**
   * Gaussian negative log-likelihood (per dimension, normalised units) of targets y [members, B, outDim].
   * `only: 'reward'` scores the reward dimension alone (the MnM model learns s' by Eq. 9 and r by likelihood),
   * `only: 'next'` the next-state dimensions alone (MnM-approx's optional likelihood term).
   */
  nll(x: tf.Tensor3D, y: tf.Tensor3D, only: 'all' | 'reward' | 'next' = 'all'): tf.Scalar {
    let { mean, logStd } = this.forward(x);
    let z = y.sub(this.outMean).div(this.outStd);
    const d = this.cfg.obsDim;
    if (only === 'reward') {
      [mean, logStd, z] = [mean, logStd, z].map((t) => t.slice([0, 0, d], [-1, -1, 1])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor];
    } else if (only === 'next') {
      [mean, logStd, z] = [mean, logStd, z].map((t) => t.slice([0, 0, 0], [-1, -1, d])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor];
    }
    return z.sub(mean).square().mul(logStd.mul(-2).exp()).mul(0.5).add(logStd).mean() as tf.Scalar;
  }

  /** One step of this ensemble's own Adam optimiser on `loss` (over the ensemble's weights only). */
  minimize(loss: () => tf.Scalar): tf.Scalar {
    this.onTfjs(true);
    const { value, grads } = tf.variableGrads(loss, this.trainableVariables());
    this.optimizer.apply(grads);
    tf.dispose(grads);
    return value;
  }

  /** Random minibatches for every member: inputs [members, B, inDim] and targets [members, B, outDim], raw units. */
  memberBatches(train: Transitions, batch: number, rng: Rng): { x: Float32Array; y: Float32Array; B: number } {
    const { obsDim, actDim, members: E } = this.cfg;
    const B = Math.min(batch, train.n);
    const idx = new Int32Array(E * B);
    for (let i = 0; i < idx.length; i++) idx[i] = rng.int(train.n);
    const sub = subsetTransitions(train, obsDim, actDim, idx);
    return { x: concatRows(sub.obs, obsDim, sub.act, actDim, sub.n), y: targetsOf(sub, obsDim), B };
  }

  /**
   * Reparameterised next-observation samples for every member: s' = s + denorm(μ + σ·ε), [members, B, obsDim],
   * differentiable in the weights. `eps` is standard normal noise [members, B, obsDim].
   */
  sampleNextObs(obs: tf.Tensor2D, act: tf.Tensor2D, eps: tf.Tensor3D): tf.Tensor3D {
    const d = this.cfg.obsDim;
    const { mean, logStd } = this.forward(tf.concat([obs, act], 1));
    const z = mean.add(logStd.exp().mul(tf.concat([eps, tf.zeros([eps.shape[0], eps.shape[1], 1])], 2)));
    const delta = z.mul(this.outStd).add(this.outMean).slice([0, 0, 0], [-1, -1, d]);
    return delta.add(obs.expandDims(0)) as tf.Tensor3D;
  }

  /**
   * Trains by likelihood for `opts.steps` minibatch steps; each member draws its own minibatch (bootstrap,
   * as in MBPO). Returns the losses it saw; call `validate` for held-out error.
   */
  fitLikelihood(train: Transitions, opts: FitOptions, rng: Rng): number {
    if (train.n === 0) throw new Error('GaussianEnsemble.fitLikelihood: no training transitions');
    if (!this.normalised) this.fitNormalisers(train);
    let tail = 0;
    let tailCount = 0;
    const tailFrom = Math.floor(opts.steps * 0.9);
    for (let step = 0; step < opts.steps; step++) {
      const v = this.likelihoodStep(train, opts.batch, rng, opts.where ?? 'dynamics model', step);
      if (step >= tailFrom) {
        tail += v;
        tailCount++;
      }
    }
    return tail / Math.max(tailCount, 1);
  }

  /** One Adam step of the likelihood loss on a bootstrap minibatch per member; returns the loss (throws on a non-finite one). */
  private likelihoodStep(train: Transitions, batch: number, rng: Rng, where: string, step: number): number {
    const E = this.cfg.members;
    const { x, y, B } = this.memberBatches(train, batch, rng);
    let v: number;
    if (this.engine) {
      v = this.onEngine().step(this.seenRows(x), y, B);
      this.current = 'engine';
    } else {
      const loss = tf.tidy(() => {
        const xt = tf.tensor3d(x, [E, B, this.inDim]);
        const yt = tf.tensor3d(y, [E, B, this.outDim]);
        return this.minimize(() => this.nll(xt, yt));
      });
      v = loss.dataSync()[0];
      loss.dispose();
    }
    if (!Number.isFinite(v)) throw new Error(`${where}: likelihood loss is ${v} at model step ${step}`);
    return v;
  }

  /**
   * Likelihood training to a held-out plateau, as mbrl-lib's ModelTrainer (and Janner et al.'s MBPO) do it:
   * epochs of ⌈n / batch⌉ bootstrap minibatch steps per member; after each epoch the validation MSE of every
   * member; an epoch counts as progress when some member's MSE fell by more than `minImprovement` (relative)
   * below its best, and then the whole ensemble's weights are kept; training stops after `patience` epochs
   * without progress (or `maxEpochs`) and the kept weights are restored. Returns epochs, steps and the final
   * per-member validation MSE.
   */
  fitToPlateau(train: Transitions, val: Transitions, opts: PlateauOptions, rng: Rng): PlateauReport {
    if (train.n === 0) throw new Error('GaussianEnsemble.fitToPlateau: no training transitions');
    if (!this.normalised) this.fitNormalisers(train);
    const where = opts.where ?? 'dynamics model';
    const stepsPerEpoch = Math.max(1, Math.ceil(train.n / opts.batch));
    let best = this.validate(val);
    let kept = this.keepWeights();
    let since = 0;
    let epochs = 0;
    let steps = 0;
    while (epochs < opts.maxEpochs && since < opts.patience) {
      for (let k = 0; k < stepsPerEpoch; k++) this.likelihoodStep(train, opts.batch, rng, where, steps++);
      epochs++;
      const mse = this.validate(val);
      if (mse.some((m, i) => (best[i] - m) / Math.abs(best[i]) > opts.minImprovement)) {
        best = best.map((b, i) => Math.min(b, mse[i]));
        kept = this.keepWeights();
        since = 0;
      } else since++;
    }
    kept();
    return { epochs, steps, valMse: this.validate(val) };
  }

  /** A copy of the weights (not the optimiser's moments), as a function that puts it back; on the side that trains. */
  private keepWeights(): () => void {
    if (this.engine) {
      const w = this.onEngine().getParams();
      return () => {
        this.onEngine().setParams(w);
        this.current = 'engine';
      };
    }
    const w = this.nets.getWeights();
    return () => this.nets.setWeights(w);
  }

  /** Per-member MSE of the mean next observation on held-out transitions (raw units, averaged over dims). */
  validate(val: Transitions): number[] {
    const { obsDim, members: E } = this.cfg;
    if (val.n === 0) return new Array(E).fill(NaN);
    if (this.engine) return this.validateOnEngine(val, this.onEngine());
    const mse = tf.tidy(() => {
      const obs = tf.tensor2d(val.obs, [val.n, obsDim]);
      const x = tf.concat([obs, tf.tensor2d(val.act, [val.n, this.cfg.actDim])], 1);
      const { mean } = this.forward(x);
      const pred = mean.mul(this.outStd).add(this.outMean).slice([0, 0, 0], [-1, -1, obsDim]).add(obs.expandDims(0));
      const next = tf.tensor2d(val.nextObs, [val.n, obsDim]).expandDims(0);
      return pred.sub(next).square().mean([1, 2]);
    });
    const out = Array.from(mse.dataSync());
    mse.dispose();
    return out;
  }

  /** validate() on the engine: each member's mean next observation, then the same MSE (summed in float64). */
  private validateOnEngine(val: Transitions, eng: EngineEnsemble): number[] {
    const { obsDim, actDim, members: E } = this.cfg;
    const D = this.outDim;
    const x = this.seenRows(concatRows(val.obs, obsDim, val.act, actDim, val.n));
    return Array.from({ length: E }, (_, k) => {
      const { mu } = eng.predict(k, x, val.n, false);
      let s = 0;
      for (let i = 0; i < val.n; i++)
        for (let j = 0; j < obsDim; j++) {
          const e = Math.fround(mu[i * D + j] + val.obs[i * obsDim + j]) - val.nextObs[i * obsDim + j];
          s += e * e;
        }
      return Math.fround(s / (val.n * obsDim));
    });
  }

  /** Validates, then keeps the `elites` members with the lowest validation MSE. */
  selectElites(val: Transitions): FitReport['valMse'] {
    const mse = this.validate(val);
    const order = mse.map((m, i) => [Number.isFinite(m) ? m : Infinity, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.elites = order.slice(0, this.cfg.elites).map(([, i]) => i);
    return mse;
  }

  /** Mean validation MSE over the current elites. */
  eliteMse(valMse: number[]): number {
    return this.elites.reduce((s, i) => s + valMse[i], 0) / this.elites.length;
  }

  /**
   * One model step for n rows (plain arrays in, plain arrays out, for rollouts): each row uses a random
   * elite member and a Gaussian sample drawn from `rng`, as in MBPO. Only the member a row drew is
   * evaluated on it (rows are grouped by member), so the cost does not grow with the ensemble.
   */
  step(obs: Float32Array, act: Float32Array, n: number, rng: Rng): { nextObs: Float32Array; reward: Float32Array } {
    const { obsDim, actDim } = this.cfg;
    const D = this.outDim;
    const member = Int32Array.from({ length: n }, () => this.elites[rng.int(this.elites.length)]);
    const nextObs = new Float32Array(n * obsDim);
    const reward = new Float32Array(n);
    const mu = new Float32Array(n * D);
    const sd = new Float32Array(n * D);
    // On the engine: every row's input, as the members see it, once.
    const seen = this.engine ? this.seenRows(concatRows(obs, obsDim, act, actDim, n)) : null;
    for (const e of new Set(member)) {
      const rows = Int32Array.from(member.keys()).filter((i) => member[i] === e);
      let mv: Float32Array;
      let sv: Float32Array;
      if (seen) {
        const g = this.onEngine().predict(e, takeRows(seen, this.inDim, rows), rows.length);
        [mv, sv] = [g.mu, g.sd as Float32Array];
      } else {
        const [m, s] = tf.tidy(() => {
          const x = tf.concat(
            [
              tf.tensor2d(takeRows(obs, obsDim, rows), [rows.length, obsDim]),
              tf.tensor2d(takeRows(act, actDim, rows), [rows.length, actDim]),
            ],
            1,
          );
          const { mean, logStd } = this.forwardMember(e, x);
          return [mean.mul(this.outStd).add(this.outMean), logStd.exp().mul(this.outStd)];
        });
        [mv, sv] = [m.dataSync() as Float32Array, s.dataSync() as Float32Array];
        m.dispose();
        s.dispose();
      }
      rows.forEach((i, k) => {
        mu.set(mv.subarray(k * D, (k + 1) * D), i * D);
        sd.set(sv.subarray(k * D, (k + 1) * D), i * D);
      });
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) {
        const v = mu[i * D + j] + sd[i * D + j] * rng.normal();
        if (j < obsDim) nextObs[i * obsDim + j] = obs[i * obsDim + j] + v;
        else reward[i] = v;
      }
    }
    return { nextObs, reward };
  }

  /** Weights, normalisers, elites and optimiser state as plain arrays (for checkpoints). */
  async getState(): Promise<EnsembleState> {
    this.onTfjs(false);
    return {
      vars: saveVariables([...this.nets.params, this.inMean, this.inStd, this.outMean, this.outStd]),
      optimizer: this.optimizer.getState(),
      elites: [...this.elites],
      normalised: this.normalised,
    };
  }

  async setState(state: EnsembleState): Promise<void> {
    loadVariables(
      [...this.trainableVariables(), this.inMean, this.inStd, this.outMean, this.outStd],
      state.vars,
      'GaussianEnsemble.setState',
    );
    this.optimizer.setState(state.optimizer);
    this.elites = [...state.elites];
    this.normalised = state.normalised;
    if (this.engine) {
      const [inMean, inStd, outMean, outStd] = [this.inMean, this.inStd, this.outMean, this.outStd].map((v) => v.dataSync());
      this.engine.setNormalisers(inMean, inStd, outMean, outStd);
      this.current = 'tfjs';
    }
  }

  dispose(): void {
    this.nets.dispose();
    for (const v of [this.inMean, this.inStd, this.outMean, this.outStd]) v.dispose();
    this.optimizer.dispose();
  }
}

export interface EnsembleState {
  vars: SavedTensor[];
  optimizer: FlatAdamState;
  elites: number[];
  normalised: boolean;
}
