/**
 * MnM-approx's model step (Eq. 9) and classifier step (Eq. 4) on the WebAssembly engine
 * (lib/engine/assembly/mnm.ts): the losses of lib/deep/mnm-model.ts mnmModelStep and lib/deep/classifier.ts
 * trainStep, their gradients and Adam steps, each one call. It works on an EngineEnsemble's members, in that
 * ensemble's memory, beside copies of SAC's actor and critics (held fixed over a model round) and the classifier's
 * weights, normaliser and Adam moments. Every buffer is allocated once, in the constructor (the batch buffers again
 * only for a larger batch than any before).
 *
 *   const mnm = new EngineMnm(ensemble, shape);
 *   mnm.setValueNets(actorWeights, criticWeights);       // per round: SAC's networks (tfjs order)
 *   mnm.setClassifier(weights, inMean, inStd, adam);      // per round: from lib/deep/classifier.ts
 *   const stats = mnm.step(batch, cfg);                   // one model step, then cfg.classifierSteps classifier steps
 *   mnm.getClassifier();                                  // back to the tfjs classifier at the end of the round
 */
import type { EngineEnsemble } from './ensemble';
import { ADAM, adamCorrections } from './wasm';

/** Descriptor slots (lib/engine/assembly/mnm.ts M_*: same order). */
const SLOT = {
  obsDim: 0,
  actDim: 1,
  actor: 2,
  actorDims: 3,
  actorLayers: 4,
  critic: 5,
  criticDims: 6,
  criticLayers: 7,
  clf: 8,
  clfGrads: 9,
  clfM: 10,
  clfV: 11,
  clfDims: 12,
  clfLayers: 13,
  clfInMean: 14,
  clfInStd: 15,
  obs: 16,
  act: 17,
  seen: 18,
  real: 19,
  eps: 20,
  valueEps: 21,
  fake: 22,
  work: 23,
  stats: 24,
} as const;
const SLOTS = 25;

export interface EngineMnmShape {
  obsDim: number;
  actDim: number;
  /** SAC's hidden widths (actor and both critics). */
  sacHidden: number[];
  /** The classifier's hidden widths. */
  classifierHidden: number[];
}

/** One model step's inputs: B real rows shared by every member, and the noise and member minibatches drawn for them. */
export interface EngineMnmBatch {
  B: number;
  obs: Float32Array;
  /** Actions in env units (what the classifier sees). */
  act: Float32Array;
  /** The model's input rows [s, a] as its members see them (quantised where the model's input is). */
  seen: Float32Array;
  realNext: Float32Array;
  /** The model's noise [members·B·obsDim] and the actor's in V(s') [members·B·actDim]. */
  eps: Float32Array;
  valueEps: Float32Array;
  /** Every member's own minibatch of B rows (raw inputs as the members see them, targets), for the reward's likelihood. */
  memberX: Float32Array;
  memberY: Float32Array;
}

export interface EngineMnmConfig {
  valueWeight: number;
  likelihoodWeight: number;
  classifierSteps: number;
  classifierLr: number;
  logitClip: number;
  /** The model's soft log-std bounds and the actor's log-std clip. */
  minLogStd: number;
  maxLogStd: number;
  actLogStdMin: number;
  actLogStdMax: number;
}

export interface EngineMnmStats {
  value: number;
  logit: number;
  rewardNll: number;
  classifierLoss: number;
  classifierAccuracy: number;
}

export class EngineMnm {
  private readonly desc: number;
  private readonly sizes: { actor: number; critics: number; clf: number };
  private readonly widths: { actor: number[]; critic: number[]; clf: number[] };
  private maxB = 0;
  /** The classifier's Adam step count (its moments live in the engine). */
  private clfT = 0;

  constructor(
    readonly ensemble: EngineEnsemble,
    readonly shape: EngineMnmShape,
  ) {
    const { obsDim: O, actDim: A } = shape;
    const eng = ensemble.eng;
    this.widths = {
      actor: [O, ...shape.sacHidden, 2 * A],
      critic: [O + A, ...shape.sacHidden, 1],
      clf: [2 * O + A, ...shape.classifierHidden, 1],
    };
    const size = (w: number[]) => w.slice(1).reduce((n, b, l) => n + w[l] * b + b, 0);
    this.sizes = { actor: size(this.widths.actor), critics: 2 * size(this.widths.critic), clf: size(this.widths.clf) };
    this.desc = eng.alloc(SLOTS);
    const put = (k: number, v: number) => {
      eng.i32(this.desc, SLOTS)[k] = v;
    };
    put(SLOT.obsDim, O);
    put(SLOT.actDim, A);
    for (const [dims, layers, w] of [
      [SLOT.actorDims, SLOT.actorLayers, this.widths.actor],
      [SLOT.criticDims, SLOT.criticLayers, this.widths.critic],
      [SLOT.clfDims, SLOT.clfLayers, this.widths.clf],
    ] as const) {
      const ptr = eng.alloc(w.length);
      eng.i32(ptr, w.length).set(w);
      put(dims, ptr);
      put(layers, w.length - 1);
    }
    put(SLOT.actor, eng.alloc(this.sizes.actor));
    put(SLOT.critic, eng.alloc(this.sizes.critics));
    for (const k of [SLOT.clf, SLOT.clfGrads, SLOT.clfM, SLOT.clfV]) put(k, eng.alloc(this.sizes.clf));
    put(SLOT.clfInMean, eng.alloc(2 * O + A));
    put(SLOT.clfInStd, eng.alloc(2 * O + A));
    put(SLOT.stats, eng.alloc(5, 8));
  }

  private slot(k: number): number {
    return this.ensemble.eng.i32(this.desc, SLOTS)[k];
  }

  /** Writes `arrays` one after another into slot k's n numbers (one error naming `what` if the count is wrong). */
  private write(what: string, k: number, n: number, arrays: ArrayLike<number>[]): void {
    const total = arrays.reduce((s, a) => s + a.length, 0);
    if (total !== n) throw new Error(`EngineMnm: ${what} needs ${n} numbers, got ${total}`);
    const view = this.ensemble.eng.f32(this.slot(k), n);
    let off = 0;
    for (const a of arrays) {
      view.set(a, off);
      off += a.length;
    }
  }

  /** SAC's actor and both critics (lib/deep/mlp.ts `params` order, critic 0 then 1), held fixed until set again. */
  setValueNets(actor: ArrayLike<number>[], critics: ArrayLike<number>[]): void {
    this.write('the actor', SLOT.actor, this.sizes.actor, actor);
    this.write('the critics', SLOT.critic, this.sizes.critics, critics);
  }

  /** The classifier's weights (`params` order), input normaliser and Adam state (lib/deep/flat-adam.ts layout). */
  setClassifier(
    weights: ArrayLike<number>[],
    inMean: ArrayLike<number>,
    inStd: ArrayLike<number>,
    adam: { t: number; m: ArrayLike<number>; v: ArrayLike<number> },
  ): void {
    const n = this.sizes.clf;
    const d = this.widths.clf[0];
    if (!(Number.isInteger(adam.t) && adam.t >= 0))
      throw new Error(`EngineMnm: the classifier's Adam step count must be ≥ 0, got ${adam.t}`);
    this.write('the classifier', SLOT.clf, n, weights);
    this.write("the classifier's Adam m", SLOT.clfM, n, [adam.m]);
    this.write("the classifier's Adam v", SLOT.clfV, n, [adam.v]);
    this.write("the classifier's input mean", SLOT.clfInMean, d, [inMean]);
    this.write("the classifier's input std", SLOT.clfInStd, d, [inStd]);
    this.clfT = adam.t;
  }

  /** The classifier's weights (one array per variable, `params` order) and Adam state, copies. */
  getClassifier(): { weights: Float32Array[]; adam: { t: number; m: Float32Array; v: Float32Array } } {
    const eng = this.ensemble.eng;
    const flat = eng.f32(this.slot(SLOT.clf), this.sizes.clf);
    const w = this.widths.clf;
    const weights: Float32Array[] = [];
    let off = 0;
    for (let l = 1; l < w.length; l++)
      for (const size of [w[l - 1] * w[l], w[l]]) {
        weights.push(Float32Array.from(flat.subarray(off, off + size)));
        off += size;
      }
    const copy = (k: number) => Float32Array.from(eng.f32(this.slot(k), this.sizes.clf));
    return { weights, adam: { t: this.clfT, m: copy(SLOT.clfM), v: copy(SLOT.clfV) } };
  }

  /** The classifier's gradient of its last step (flat, `params` order; a copy): for the gradient tests. */
  classifierGradients(): Float32Array {
    return Float32Array.from(this.ensemble.eng.f32(this.slot(SLOT.clfGrads), this.sizes.clf));
  }

  /** Grows the batch buffers and the workspace for B rows per member (only past the largest B so far). */
  private reserve(B: number): void {
    if (B <= this.maxB) return;
    const eng = this.ensemble.eng;
    const { obsDim: O, actDim: A } = this.shape;
    const E = this.ensemble.shape.members;
    const i32 = () => eng.i32(this.desc, SLOTS);
    const sizes: [number, number][] = [
      [SLOT.obs, B * O],
      [SLOT.act, B * A],
      [SLOT.seen, B * this.ensemble.shape.inDim],
      [SLOT.real, B * O],
      [SLOT.eps, E * B * O],
      [SLOT.valueEps, E * B * A],
      [SLOT.fake, E * B * O],
    ];
    for (const [k, n] of sizes) {
      const ptr = eng.alloc(n);
      i32()[k] = ptr;
    }
    const work = eng.alloc(eng.exports.mnmWorkspaceBytes(this.desc, E, B), 1);
    i32()[SLOT.work] = work;
    this.maxB = B;
  }

  /** One model step and then cfg.classifierSteps classifier steps (the classifier's statistics are of its last step). */
  step(b: EngineMnmBatch, cfg: EngineMnmConfig): EngineMnmStats {
    const { obsDim: O, actDim: A } = this.shape;
    const { members: E, inDim } = this.ensemble.shape;
    const B = b.B;
    const want: [string, Float32Array, number][] = [
      ['obs', b.obs, B * O],
      ['act', b.act, B * A],
      ['seen', b.seen, B * inDim],
      ['realNext', b.realNext, B * O],
      ['eps', b.eps, E * B * O],
      ['valueEps', b.valueEps, E * B * A],
    ];
    for (const [what, a, n] of want)
      if (a.length !== n) throw new Error(`EngineMnm.step: ${what} needs ${n} numbers for B = ${B}, got ${a.length}`);
    this.ensemble.loadBatch(b.memberX, b.memberY, B, 'EngineMnm.step');
    this.reserve(B);
    const eng = this.ensemble.eng;
    for (const [k, a] of [
      [SLOT.obs, b.obs],
      [SLOT.act, b.act],
      [SLOT.seen, b.seen],
      [SLOT.real, b.realNext],
      [SLOT.eps, b.eps],
      [SLOT.valueEps, b.valueEps],
    ] as const)
      eng.f32(this.slot(k), a.length).set(a);
    const m = this.ensemble.nextAdamStep();
    eng.exports.mnmModelStep(
      this.ensemble.descriptor,
      this.desc,
      B,
      cfg.valueWeight,
      cfg.likelihoodWeight,
      cfg.logitClip,
      cfg.minLogStd,
      cfg.maxLogStd,
      cfg.actLogStdMin,
      cfg.actLogStdMax,
      m.b1,
      m.b2,
      m.eps,
      m.stepSize,
      m.vScale,
    );
    const st = () => eng.f64(this.slot(SLOT.stats), 5);
    st()[3] = NaN;
    st()[4] = NaN;
    for (let k = 0; k < cfg.classifierSteps; k++) {
      const a = adamCorrections(cfg.classifierLr, ++this.clfT);
      eng.exports.mnmClassifierStep(this.desc, E, B, ADAM.b1, ADAM.b2, ADAM.eps, a.stepSize, a.vScale);
    }
    const s = st();
    return { value: s[0], logit: s[1], rewardNll: s[2], classifierLoss: s[3], classifierAccuracy: s[4] };
  }
}
