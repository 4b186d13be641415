/**
 * Soft Actor-Critic (Haarnoja et al. 2018, the "SAC v2" form with a learned temperature):
 * twin critics with Polyak-averaged target critics, a tanh-squashed Gaussian actor, α = exp(log α)
 * learned towards a target entropy (default −actDim). The update order and losses follow the PyTorch
 * peer ../shared/bench/peers/torch_sac_update.py (critics, then actor, then targets; α steps last, from
 * the batch's mean log π read back with the statistics: α does not enter the Polyak step, so the order is the same).
 * Optimizers: FlatAdam (./flat-adam) for actor and critics, the same Adam update in plain JS for log α.
 *
 *   const agent = new Sac({ obsDim, actDim, actLow, actHigh }, { hidden: 256 }, rng.fork('sac'));
 *   const a = agent.act(obs, { deterministic: false }, rng);   // Float32Array in the env's action units
 *   const stats = agent.update(buffer.sample(256, rng));          // SacStats (plain numbers)
 *   agent.qValues(obsFlat, actFlat)                               // min of the twin critics, one per row
 *   const saved = await agent.save(); const copy = await Sac.load(saved, rng);   // JSON-serialisable
 *
 * Randomness: network initialisation draws from the constructor's `rng`; the Gaussian noise of every
 * update k is drawn from that rng's fork 'update-noise', forked again by k (so a refused update draws nothing
 * later updates would miss); act() draws from the rng you
 * pass. Same seed → same numbers (on one backend: float rounding of wasm/cpu/native kernels differs).
 * Actions: the actor works in [−1, 1]^actDim; act() rescales to [actLow, actHigh], and update()/qValues()
 * take env-unit actions and rescale them back.
 * Every update reads its statistics back with ONE synchronous read, checks them (a NaN/∞ loss throws a
 * NonFiniteError naming the quantity and the update step) and leaves no tensors behind.
 * Backend (./backend deepBackend, or the constructor's opts.backend): 'tfjs' runs update() as below; 'engine'
 * runs it as one call into the WebAssembly engine (lib/engine/sac.ts: same losses and order, same noise), and the
 * tfjs networks, which every other method uses, are brought up to date from the engine when next needed.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { engineModule } from '../engine/engine';
import { EngineSac } from '../engine/sac';
import { deepBackend, type DeepBackend } from './deep-backend';
import { FlatAdam, FlatAdamState } from './flat-adam';
import { Mlp, MlpEnsemble, uniqueName } from './mlp';
import type { Batch } from './replay';
import {
  actionScale,
  checkSacBatch,
  checkSacDims,
  engineBatch,
  engineHyper,
  normalNoise,
  SAC_STREAMS,
  type SacConfig,
  sacConfig,
  type SacDims,
  type SacStats,
  type ScalarAdam,
  sacStats,
  stepLogAlpha,
  toEnvActions,
  toUnitActions,
} from './sac-core';
import { checkFinite } from './train-guard';

export { SAC_DEFAULTS, type SacConfig, sacConfig, type SacDims, type SacStats } from './sac-core';

/** What save() returns: plain JSON. Optimizer moments are included so a resumed run continues exactly. */
export interface SacSaved {
  format: 'mnm-sac-2';
  dims: { obsDim: number; actDim: number; actLow: number[]; actHigh: number[] };
  config: SacConfig;
  updates: number;
  actor: number[][];
  critics: number[][];
  targets: number[][];
  logAlpha: number;
  optimizers: Record<'actor' | 'critic' | 'alpha', FlatAdamState>;
}

const LOG_2PI = Math.log(2 * Math.PI);

export class Sac {
  readonly config: SacConfig;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actLow: Float32Array;
  readonly actHigh: Float32Array;
  readonly targetEntropy: number;
  readonly actor: Mlp;
  /** Both critics as one 2-member ensemble: one batched matMul per layer evaluates the pair. */
  readonly critics: MlpEnsemble;
  readonly targets: MlpEnsemble;
  readonly logAlpha: tf.Variable;
  /** Updates done so far (the step named in errors). */
  updates = 0;
  private noiseRng: Rng;
  private readonly actorOpt: FlatAdam;
  private readonly criticOpt: FlatAdam;
  /** log α's Adam runs in plain JS on numbers (one scalar: no tensor ops needed). */
  private alphaAdam: ScalarAdam = { t: 0, m: 0, v: 0 };
  private logAlphaValue: number;
  private readonly mid: tf.Tensor1D;
  private readonly half: tf.Tensor1D;
  private readonly midArr: Float32Array;
  private readonly halfArr: Float32Array;
  readonly backend: DeepBackend;
  /** The engine running update() when backend is 'engine'; its weights are the current ones. */
  private readonly engine: EngineSac | null = null;
  /** The tfjs networks that lag behind the engine's weights (brought up to date by sync()). */
  private stale = { actor: false, critics: false, targets: false };

  constructor(dims: SacDims, config: Partial<SacConfig>, rng: Rng, opts: { backend?: DeepBackend } = {}) {
    this.config = sacConfig(config);
    checkSacDims(dims, 'Sac');
    const { obsDim, actDim } = dims;
    this.obsDim = obsDim;
    this.actDim = actDim;
    this.actLow = Float32Array.from(dims.actLow);
    this.actHigh = Float32Array.from(dims.actHigh);
    ({ mid: this.midArr, half: this.halfArr } = actionScale(dims));
    this.mid = tf.keep(tf.tensor1d(this.midArr));
    this.half = tf.keep(tf.tensor1d(this.halfArr));
    this.targetEntropy = this.config.targetEntropy ?? -actDim;
    const hidden = Array.from({ length: this.config.layers }, () => this.config.hidden);
    this.actor = new Mlp({ inDim: obsDim, outDim: 2 * actDim, hidden }, rng.fork(SAC_STREAMS.actor), 'actor');
    this.critics = new MlpEnsemble({ inDim: obsDim + actDim, outDim: 1, hidden, members: 2 }, rng.fork(SAC_STREAMS.critics), 'critics');
    this.targets = new MlpEnsemble(
      { inDim: obsDim + actDim, outDim: 1, hidden, members: 2 },
      rng.fork(SAC_STREAMS.critics),
      'targets',
      false,
    );
    this.targets.copyFrom(this.critics);
    this.logAlpha = tf.tidy(() => tf.variable(tf.scalar(Math.log(this.config.initAlpha)), this.config.learnAlpha, uniqueName('logAlpha')));
    this.noiseRng = rng.fork(SAC_STREAMS.noise);
    this.logAlphaValue = Math.log(this.config.initAlpha);
    this.actorOpt = new FlatAdam(this.actor.params, { lr: this.config.actorLr });
    this.criticOpt = new FlatAdam(this.critics.params, { lr: this.config.criticLr });
    this.backend = opts.backend ?? deepBackend();
    if (this.backend === 'engine') {
      const c = this.config;
      this.engine = new EngineSac({ obsDim, actDim, hidden: c.hidden, layers: c.layers }, engineHyper(c), engineModule());
      this.pushToEngine();
    }
  }

  /** Copies the tfjs weights and optimizer moments into the engine (after construction or load). */
  private pushToEngine(): void {
    if (!this.engine) return;
    this.engine.setWeights({ actor: this.actor.getWeights(), critics: this.critics.getWeights(), targets: this.targets.getWeights() });
    this.engine.setAdam({ actor: this.actorOpt.getState(), critic: this.criticOpt.getState() });
  }

  /** Brings the named tfjs networks up to date with the engine (nothing to do on the tfjs backend). */
  private sync(...nets: ('actor' | 'critics' | 'targets')[]): void {
    if (!this.engine || !nets.some((k) => this.stale[k])) return;
    const w = this.engine.getWeights();
    for (const k of nets) {
      if (!this.stale[k]) continue;
      this[k].setWeights(w[k]);
      this.stale[k] = false;
    }
  }

  get alpha(): number {
    return Math.exp(this.logAlphaValue);
  }

  /** One Adam step on log α with gradient g (same update as FlatAdam, on a number). */
  private stepLogAlpha(g: number): void {
    this.logAlphaValue = stepLogAlpha(this.alphaAdam, this.logAlphaValue, g, this.config.alphaLr);
    tf.tidy(() => this.logAlpha.assign(tf.scalar(this.logAlphaValue)));
  }

  /**
   * Sets the stream the update noise is drawn from (e.g. re-keyed per episode, so a run resumed at an
   * episode boundary draws the same noise as an uninterrupted one).
   */
  reseedNoise(rng: Rng): void {
    this.noiseRng = rng;
  }

  /** Normal(0, 1) noise [rows, actDim], drawn from `rng` (so tfjs's own RNG is never used). */
  noiseTensor(rng: Rng, rows: number): tf.Tensor2D {
    return tf.tensor2d(this.noiseArray(rng, rows), [rows, this.actDim]);
  }

  /** The actor's and both critics' weights (`params` order, copies): what value() computes with, for lib/engine/mnm.ts. */
  valueNets(): { actor: Float32Array[]; critics: Float32Array[] } {
    this.sync('actor', 'critics');
    return { actor: this.actor.getWeights(), critics: this.critics.getWeights() };
  }

  /** Normal(0, 1) noise [rows·actDim] as value()'s eps takes it, drawn from `rng` like noiseTensor. */
  noiseArray(rng: Rng, rows: number): Float32Array {
    return normalNoise(rng, rows * this.actDim);
  }

  /**
   * V-like value for a model update: min_k Q_k(s, a) with a = tanh(μ(s) + σ(s)·eps), shape [n, 1].
   * Differentiable w.r.t. `obs`; actor and critics are held fixed (their weights get no gradient), so it
   * can sit inside another loss's tf.variableGrads. No entropy term.
   */
  value(obs: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
    this.sync('actor', 'critics');
    return tf.tidy(() => {
      const [mu, rawLogStd] = tf.split(this.actor.apply(obs, { frozen: true }), 2, 1);
      const logStd = tf.clipByValue(rawLogStd, this.config.logStdMin, this.config.logStdMax);
      const act = tf.tanh(tf.add(mu, tf.mul(tf.exp(logStd), eps)));
      return tf.min(this.critics.apply(tf.concat([obs, act], 1) as tf.Tensor2D, { frozen: true }), 0) as tf.Tensor2D;
    });
  }

  /**
   * log π(a|s) per row, for env-unit actions (obs [n·obsDim], act [n·actDim]): the tanh-squashed Gaussian
   * density of the action in the actor's [−1, 1] space — the same log π that enters SAC's targets and
   * α loss (the constant Σ log(half-range) of the rescaling to env units is not included). Actions at the
   * bounds are pulled in by 1e−6 so the density stays finite.
   */
  logProb(obs: ArrayLike<number>, act: ArrayLike<number>): Float32Array {
    const n = obs.length / this.obsDim;
    if (!Number.isInteger(n) || act.length !== n * this.actDim)
      throw new Error(`Sac.logProb: obs/act lengths ${obs.length}/${act.length} do not match obsDim ${this.obsDim}, actDim ${this.actDim}`);
    const a = new Float32Array(n * this.actDim);
    for (let i = 0; i < a.length; i++) {
      const j = i % this.actDim;
      if (!Number.isFinite(act[i])) throw new Error(`Sac.logProb: act[${i}] is ${act[i]}`);
      a[i] = Math.min(1 - 1e-6, Math.max(-1 + 1e-6, (act[i] - this.midArr[j]) / this.halfArr[j]));
    }
    this.sync('actor');
    const out = tf.tidy(() => {
      const [mu, rawLogStd] = tf.split(this.actor.apply(tf.tensor2d(Float32Array.from(obs), [n, this.obsDim])), 2, 1);
      const logStd = tf.clipByValue(rawLogStd, this.config.logStdMin, this.config.logStdMax);
      const at = tf.tensor2d(a, [n, this.actDim]);
      const u = tf.atanh(at);
      const z = tf.div(tf.sub(u, mu), tf.exp(logStd));
      const squash = tf.mul(tf.sub(tf.sub(Math.log(2), u), tf.softplus(tf.mul(u, -2))), 2);
      return tf.sum(tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), tf.add(logStd, 0.5 * LOG_2PI)), squash), 1);
    });
    const data = Float32Array.from(out.dataSync() as Float32Array);
    out.dispose();
    return data;
  }

  /**
   * Squashed-Gaussian sample for a batch of observations with the given standard-normal noise.
   * Returns the action in [−1, 1] and log π (with the tanh change of variables, in the stable form
   * log(1 − tanh²u) = 2(log 2 − u − softplus(−2u))).
   */
  private sample(obs: tf.Tensor2D, eps: tf.Tensor2D): { act: tf.Tensor2D; logp: tf.Tensor2D } {
    const out = this.actor.apply(obs);
    const [mu, rawLogStd] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const logStd = tf.clipByValue(rawLogStd, this.config.logStdMin, this.config.logStdMax);
    const u = tf.add(mu, tf.mul(tf.exp(logStd), eps));
    const act = tf.tanh(u) as tf.Tensor2D;
    const squash = tf.mul(tf.sub(tf.sub(Math.log(2), u), tf.softplus(tf.mul(u, -2))), 2);
    // log π = Σ_j [−½ε² − logσ − ½log2π − log(1 − tanh²u)]
    const logp = tf.sum(tf.sub(tf.sub(tf.mul(tf.square(eps), -0.5), tf.add(logStd, 0.5 * LOG_2PI)), squash), 1, true) as tf.Tensor2D;
    return { act, logp };
  }

  /** Actions for one observation, in env units. deterministic: tanh(μ) (evaluation); otherwise a sample drawn from `rng`. */
  act(obs: ArrayLike<number>, opts: { deterministic?: boolean }, rng?: Rng): Float32Array {
    return this.actBatch(obs, 1, opts, rng);
  }

  /** Actions for n observations (row-major obs [n·obsDim]) → [n·actDim] in env units. */
  actBatch(obs: ArrayLike<number>, n: number, opts: { deterministic?: boolean }, rng?: Rng): Float32Array {
    if (obs.length !== n * this.obsDim) throw new Error(`Sac.act: obs must have ${n}·${this.obsDim} numbers, got ${obs.length}`);
    for (let i = 0; i < obs.length; i++) if (!Number.isFinite(obs[i])) throw new Error(`Sac.act: obs[${i}] is ${obs[i]}`);
    if (!opts.deterministic && !rng) throw new Error('Sac.act: a stochastic action needs an Rng (pass one, or { deterministic: true })');
    if (this.engine) {
      // The same noise draw as below; the rescaling in float32 steps, as tfjs's mul and add.
      const eps = opts.deterministic ? null : normalNoise(rng as Rng, n * this.actDim);
      return toEnvActions(this.engine.act(Float32Array.from(obs), n, eps), this.midArr, this.halfArr);
    }
    const out = tf.tidy(() => {
      const o = tf.tensor2d(Float32Array.from(obs), [n, this.obsDim]);
      let a: tf.Tensor2D;
      if (opts.deterministic) {
        const [mu] = tf.split(this.actor.apply(o), 2, 1);
        a = tf.tanh(mu) as tf.Tensor2D;
      } else {
        a = this.sample(o, this.noiseTensor(rng as Rng, n)).act;
      }
      return tf.add(tf.mul(a, this.half), this.mid);
    });
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return Float32Array.from(data);
  }

  /** Env-unit actions → [−1, 1] (clipped: a stored action at the bound maps to ±1, never past it). */
  private normaliseActions(act: Float32Array, n: number): tf.Tensor2D {
    return tf.tensor2d(toUnitActions(act.subarray(0, n * this.actDim), this.midArr, this.halfArr), [n, this.actDim]);
  }

  /** min(Q1, Q2) for each row of (obs [n·obsDim], act [n·actDim] in env units). */
  qValues(obs: ArrayLike<number>, act: ArrayLike<number>): Float32Array {
    const n = obs.length / this.obsDim;
    if (!Number.isInteger(n) || act.length !== n * this.actDim)
      throw new Error(`Sac.qValues: obs/act lengths ${obs.length}/${act.length} do not match obsDim ${this.obsDim}, actDim ${this.actDim}`);
    this.sync('critics');
    const q = tf.tidy(() => {
      const x = tf.concat([tf.tensor2d(Float32Array.from(obs), [n, this.obsDim]), this.normaliseActions(Float32Array.from(act), n)], 1);
      return tf.min(this.critics.apply(x), 0).reshape([n]);
    });
    const data = Float32Array.from(q.dataSync() as Float32Array);
    q.dispose();
    return data;
  }

  /**
   * One SAC update on a batch (env-unit actions). Atomic: a bad batch is refused before anything changes, and
   * an update whose losses come out non-finite throws NonFiniteError after taking back every change
   * (weights, targets, optimizer moments, α, update count), so the agent is exactly as it was.
   */
  update(batch: Batch): SacStats {
    checkSacBatch(batch, this.obsDim, this.actDim);
    const { n } = batch;
    // The noise of update k comes from its own stream: a refused update draws nothing that later ones would miss.
    const noiseRng = this.noiseRng.fork(this.updates);
    if (this.engine) return this.updateOnEngine(batch, noiseRng, this.engine);
    let targetsBefore: Float32Array[] | null = null;
    const { gamma } = this.config;
    const criticVars = this.critics.params;
    const actorVars = this.actor.params;
    // Scalars kept out of the gradient closures (tf.keep survives every tidy: disposed below).
    let qMean: tf.Scalar | null = null;
    let logpMean: tf.Scalar | null = null;
    const packed = tf.tidy(() => {
      const o = tf.tensor2d(batch.obs, [n, this.obsDim]);
      const a = this.normaliseActions(batch.act, n);
      const r = tf.tensor2d(batch.rew, [n, 1]);
      const o2 = tf.tensor2d(batch.nextObs, [n, this.obsDim]);
      const notDone = tf.sub(1, tf.tensor2d(batch.done, [n, 1]));
      const epsNext = this.noiseTensor(noiseRng, n);
      const epsNow = this.noiseTensor(noiseRng, n);
      const alphaValue = Math.exp(this.logAlphaValue);
      const alpha = tf.scalar(alphaValue);

      // Critic target: r + γ(1 − done)(min_k Q̄_k(s', a') − α log π(a'|s')), no gradient.
      const next = this.sample(o2, epsNext);
      const qNext = tf.min(this.targets.apply(tf.concat([o2, next.act], 1)), 0) as tf.Tensor2D;
      const y = tf.add(r, tf.mul(tf.mul(notDone, gamma), tf.sub(qNext, tf.mul(alpha, next.logp))));

      const x = tf.concat([o, a], 1);
      const critic = tf.variableGrads(() => {
        const q = this.critics.apply(x); // [2, n, 1]
        qMean = tf.keep(tf.mean(q.slice([0, 0, 0], [1, n, 1]))) as tf.Scalar;
        // Σ_k mean_i (Q_k − y)²  =  2 · mean over (k, i)
        return tf.mul(tf.mean(tf.squaredDifference(q, y)), 2) as tf.Scalar;
      }, criticVars);
      this.criticOpt.apply(critic.grads);

      const actorStep = tf.variableGrads(() => {
        const cur = this.sample(o, epsNow);
        logpMean = tf.keep(tf.mean(cur.logp)) as tf.Scalar;
        // Frozen: the actor loss differentiates through the critics but trains only the actor.
        const q = tf.min(this.critics.apply(tf.concat([o, cur.act], 1), { frozen: true }), 0);
        return tf.mean(tf.sub(tf.mul(alpha, cur.logp), q)) as tf.Scalar;
      }, actorVars);
      this.actorOpt.apply(actorStep.grads);
      targetsBefore = this.targets.polyakFrom(this.critics, this.config.tau);
      return tf.stack([critic.value, actorStep.value, logpMean as tf.Scalar, qMean as tf.Scalar]);
    });
    (qMean as tf.Scalar | null)?.dispose();
    (logpMean as tf.Scalar | null)?.dispose();
    // The one synchronous read of the update.
    const s = packed.dataSync();
    packed.dispose();
    return this.finishUpdate(
      s,
      () => {
        this.criticOpt.undo();
        this.actorOpt.undo();
        this.targets.setWeights(targetsBefore as unknown as Float32Array[]);
      },
      () => {},
    );
  }

  /** update() on the engine: the same checks, noise (epsNext, then epsNow) and statistics, in one engine call. */
  private updateOnEngine(batch: Batch, noiseRng: Rng, engine: EngineSac): SacStats {
    const s = engine.update(engineBatch(batch, noiseRng, this.midArr, this.halfArr), this.alpha);
    // Nothing to undo: the engine wrote only its next copies; commit() keeps them.
    return this.finishUpdate(
      s,
      () => {},
      () => {
        engine.commit();
        this.stale = { actor: true, critics: true, targets: true };
      },
    );
  }

  /**
   * The end of an update on either backend, from s = [qLoss, actorLoss, mean log π, mean Q1]: the statistics are
   * checked (undo() and a NonFiniteError when one is not finite), then commit(), the count and α's own step.
   */
  private finishUpdate(s: ArrayLike<number>, undo: () => void, commit: () => void): SacStats {
    const stats = sacStats(s, this.logAlphaValue, this.targetEntropy);
    try {
      checkFinite(stats as unknown as Record<string, number>, { step: this.updates + 1, where: 'SAC update' });
    } catch (err) {
      undo();
      throw err;
    }
    commit();
    this.updates++;
    if (this.config.learnAlpha) this.stepLogAlpha(-(s[2] + this.targetEntropy));
    return stats;
  }

  /** Weights, α, optimizer moments and the update count as plain JSON. */
  async save(): Promise<SacSaved> {
    this.sync('actor', 'critics', 'targets');
    const arr = (ws: Float32Array[]) => ws.map((w) => Array.from(w));
    const adam = this.engine?.getAdam();
    const opt = (st: { t: number; m: Float32Array; v: Float32Array }) => ({ t: st.t, m: Array.from(st.m), v: Array.from(st.v) });
    return {
      format: 'mnm-sac-2',
      dims: { obsDim: this.obsDim, actDim: this.actDim, actLow: Array.from(this.actLow), actHigh: Array.from(this.actHigh) },
      config: { ...this.config },
      updates: this.updates,
      actor: arr(this.actor.getWeights()),
      critics: arr(this.critics.getWeights()),
      targets: arr(this.targets.getWeights()),
      logAlpha: this.logAlphaValue,
      optimizers: {
        actor: adam ? opt(adam.actor) : this.actorOpt.getState(),
        critic: adam ? opt(adam.critic) : this.criticOpt.getState(),
        alpha: { t: this.alphaAdam.t, m: [this.alphaAdam.m], v: [this.alphaAdam.v] },
      },
    };
  }

  /**
   * An agent restored from save(). `rng` seeds the update noise from here on (the restored agent
   * draws from rng.fork('update-noise'), so pass the run's rng to continue deterministically).
   */
  static async load(saved: SacSaved, rng: Rng, opts: { backend?: DeepBackend } = {}): Promise<Sac> {
    if (!saved || saved.format !== 'mnm-sac-2') throw new Error(`Sac.load: not a saved SAC agent (format ${saved?.format})`);
    const agent = new Sac(saved.dims, saved.config, rng, opts);
    agent.actor.setWeights(saved.actor);
    agent.critics.setWeights(saved.critics);
    agent.targets.setWeights(saved.targets);
    if (!Number.isFinite(saved.logAlpha)) throw new Error(`Sac.load: logAlpha must be finite, got ${saved.logAlpha}`);
    agent.logAlphaValue = saved.logAlpha;
    tf.tidy(() => agent.logAlpha.assign(tf.scalar(saved.logAlpha)));
    agent.updates = saved.updates;
    agent.actorOpt.setState(saved.optimizers.actor);
    agent.criticOpt.setState(saved.optimizers.critic);
    const al = saved.optimizers.alpha;
    agent.alphaAdam = { t: al.t, m: al.m[0], v: al.v[0] };
    agent.pushToEngine();
    return agent;
  }

  dispose(): void {
    this.actor.dispose();
    this.critics.dispose();
    this.targets.dispose();
    this.logAlpha.dispose();
    this.mid.dispose();
    this.half.dispose();
    this.actorOpt.dispose();
    this.criticOpt.dispose();
  }
}
