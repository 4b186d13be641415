/**
 * The Gaussian ensemble's likelihood step on the WebAssembly engine (lib/engine/assembly/ensemble.ts): the loss of
 * lib/deep/dynamics.ts GaussianEnsemble.nll (normalised inputs and targets, soft-bounded log-std, Gaussian negative
 * log-likelihood averaged over members, rows and dimensions; SiLU hidden layers) and one Adam step, as one call.
 * Also one member's Gaussian on a batch of inputs (`predict`: GaussianEnsemble's rollout step and validation MSE).
 * Weights, normalisers and Adam moments live in the engine's memory, allocated once (the minibatch buffers and the
 * workspace again only for a larger batch than any before; prediction works in fixed chunks of PREDICT_ROWS rows).
 *
 * GaussianEnsemble (lib/deep/dynamics.ts) drives it when the deep backend is 'engine'; it quantises the inputs
 * first where the model's input is capacity-limited, so the inputs here are what the members see before normalising.
 */
import { Engine, engineModule } from './engine';
import { ADAM, adamCorrections } from './wasm';

/** Descriptor slots (lib/engine/assembly/ensemble.ts S_*: same order). */
const SLOT = {
  members: 0,
  layers: 1,
  dims: 2,
  params: 3,
  grads: 4,
  m: 5,
  v: 6,
  inMean: 7,
  inStd: 8,
  outMean: 9,
  outStd: 10,
  x: 11,
  y: 12,
  work: 13,
  maxB: 14,
};
const SLOTS = 15;
/** Rows per predict() kernel call: its buffers are sized for this many, whatever the number of rows asked for. */
export const PREDICT_ROWS = 512;

/** Adam's step count and moments, flat in the weights' order. */
export interface EngineEnsembleAdam {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

export interface EngineEnsembleShape {
  inDim: number;
  /** Target dimension (obsDim + 1); the networks output 2·outDim (mean, raw log-std). */
  outDim: number;
  hidden: number[];
  members: number;
}

export class EngineEnsemble {
  readonly eng = new Engine(engineModule());
  readonly perMember: number;
  private readonly desc: number;
  private readonly shapes: number[][];
  private t = 0;
  private maxB = 0;
  /** predict()'s buffers: inputs, mean and standard deviation of PREDICT_ROWS rows, and their workspace. */
  private readonly pred: { x: number; mu: number; sd: number; work: number };

  constructor(
    readonly shape: EngineEnsembleShape,
    readonly opts: { lr: number; minLogStd: number; maxLogStd: number },
  ) {
    const widths = [shape.inDim, ...shape.hidden, 2 * shape.outDim];
    this.shapes = widths.slice(1).flatMap((w, l) => [[widths[l], w], [w]]);
    this.perMember = this.shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
    const total = this.perMember * shape.members;
    this.desc = this.eng.alloc(SLOTS);
    const dims = this.eng.alloc(widths.length);
    this.eng.i32(dims, widths.length).set(widths);
    this.slot(SLOT.members, shape.members);
    this.slot(SLOT.layers, widths.length - 1);
    this.slot(SLOT.dims, dims);
    for (const k of [SLOT.params, SLOT.grads, SLOT.m, SLOT.v]) this.slot(k, this.eng.alloc(total));
    for (const [k, n] of [
      [SLOT.inMean, shape.inDim],
      [SLOT.inStd, shape.inDim],
      [SLOT.outMean, shape.outDim],
      [SLOT.outStd, shape.outDim],
    ])
      this.slot(k, this.eng.alloc(n));
    this.eng.f32(this.slot(SLOT.inStd), shape.inDim).fill(1);
    this.eng.f32(this.slot(SLOT.outStd), shape.outDim).fill(1);
    const R = PREDICT_ROWS;
    this.pred = {
      x: this.eng.alloc(R * shape.inDim),
      mu: this.eng.alloc(R * shape.outDim),
      sd: this.eng.alloc(R * shape.outDim),
      work: this.eng.alloc(this.eng.exports.ensembleWorkspaceBytes(this.desc, R), 1),
    };
  }

  /** Bytes of engine memory in use (flat once the largest training batch has been seen). */
  get memoryBytes(): number {
    return this.eng.memory.buffer.byteLength;
  }

  private slot(k: number, value?: number): number {
    const d = this.eng.i32(this.desc, SLOTS);
    if (value !== undefined) d[k] = value;
    return d[k];
  }

  /** Weights in lib/deep/mlp.ts MlpEnsemble `params` order (member 0's layers, then member 1's, ...). */
  setWeights(arrays: ArrayLike<number>[]): void {
    if (arrays.length !== this.shapes.length * this.shape.members)
      throw new Error(`EngineEnsemble.setWeights: expected ${this.shapes.length * this.shape.members} arrays, got ${arrays.length}`);
    let off = this.slot(SLOT.params);
    arrays.forEach((a, i) => {
      const size = this.shapes[i % this.shapes.length].reduce((x, y) => x * y, 1);
      if (a.length !== size) throw new Error(`EngineEnsemble.setWeights: array ${i} needs ${size} numbers, got ${a.length}`);
      this.eng.f32(off, size).set(a);
      off += size * 4;
    });
  }

  getWeights(): Float32Array[] {
    const out: Float32Array[] = [];
    let off = this.slot(SLOT.params);
    for (let k = 0; k < this.shape.members; k++)
      for (const s of this.shapes) {
        const size = s.reduce((x, y) => x * y, 1);
        out.push(Float32Array.from(this.eng.f32(off, size)));
        off += size * 4;
      }
    return out;
  }

  /** The gradient of the last step (flat, all members in the weights' order; a copy): for the gradient tests. */
  getGradients(): Float32Array {
    return Float32Array.from(this.eng.f32(this.slot(SLOT.grads), this.perMember * this.shape.members));
  }

  /** All members' weights as one flat copy (the layout setParams takes back). */
  getParams(): Float32Array {
    return Float32Array.from(this.eng.f32(this.slot(SLOT.params), this.perMember * this.shape.members));
  }

  setParams(flat: Float32Array): void {
    const n = this.perMember * this.shape.members;
    if (flat.length !== n) throw new Error(`EngineEnsemble.setParams: needs ${n} numbers, got ${flat.length}`);
    this.eng.f32(this.slot(SLOT.params), n).set(flat);
  }

  /** Adam's step count and moments (copies), in the weights' order: lib/deep/flat-adam.ts FlatAdam's layout. */
  getAdam(): EngineEnsembleAdam {
    const n = this.perMember * this.shape.members;
    return {
      t: this.t,
      m: Float32Array.from(this.eng.f32(this.slot(SLOT.m), n)),
      v: Float32Array.from(this.eng.f32(this.slot(SLOT.v), n)),
    };
  }

  setAdam(s: { t: number; m: ArrayLike<number>; v: ArrayLike<number> }): void {
    const n = this.perMember * this.shape.members;
    if (!(Number.isInteger(s.t) && s.t >= 0 && s.m.length === n && s.v.length === n))
      throw new Error(`EngineEnsemble.setAdam: expected { t ≥ 0, m and v of ${n} numbers }, got t ${s.t}, ${s.m.length} and ${s.v.length}`);
    this.eng.f32(this.slot(SLOT.m), n).set(s.m);
    this.eng.f32(this.slot(SLOT.v), n).set(s.v);
    this.t = s.t;
  }

  /**
   * Member `member`'s Gaussian for n rows of inputs x [n·inDim]: mean and (unless `withSd` is false) standard
   * deviation of the target [n·outDim], raw units. Rows go through the kernel PREDICT_ROWS at a time.
   */
  predict(member: number, x: Float32Array, n: number, withSd = true): { mu: Float32Array; sd: Float32Array | null } {
    const { inDim, outDim, members } = this.shape;
    if (!(Number.isInteger(member) && member >= 0 && member < members))
      throw new Error(`EngineEnsemble.predict: member must be an integer in [0, ${members}), got ${member}`);
    if (!(Number.isInteger(n) && n >= 0 && x.length === n * inDim))
      throw new Error(`EngineEnsemble.predict: x needs n·inDim = ${n}·${inDim} numbers, got ${x.length}`);
    const mu = new Float32Array(n * outDim);
    const sd = withSd ? new Float32Array(n * outDim) : null;
    const p = this.pred;
    for (let i0 = 0; i0 < n; i0 += PREDICT_ROWS) {
      const rows = Math.min(PREDICT_ROWS, n - i0);
      this.eng.f32(p.x, rows * inDim).set(x.subarray(i0 * inDim, (i0 + rows) * inDim));
      const { minLogStd, maxLogStd } = this.opts;
      this.eng.exports.ensemblePredict(this.desc, member, rows, p.x, p.work, p.mu, sd ? p.sd : 0, minLogStd, maxLogStd);
      mu.set(this.eng.f32(p.mu, rows * outDim), i0 * outDim);
      sd?.set(this.eng.f32(p.sd, rows * outDim), i0 * outDim);
    }
    return { mu, sd };
  }

  setNormalisers(inMean: ArrayLike<number>, inStd: ArrayLike<number>, outMean: ArrayLike<number>, outStd: ArrayLike<number>): void {
    const { inDim, outDim } = this.shape;
    for (const [k, a, n, what] of [
      [SLOT.inMean, inMean, inDim, 'inMean'],
      [SLOT.inStd, inStd, inDim, 'inStd'],
      [SLOT.outMean, outMean, outDim, 'outMean'],
      [SLOT.outStd, outStd, outDim, 'outStd'],
    ] as const) {
      if (a.length !== n) throw new Error(`EngineEnsemble.setNormalisers: ${what} needs ${n} numbers, got ${a.length}`);
      this.eng.f32(this.slot(k), n).set(a);
    }
  }

  /**
   * One likelihood step on every member's minibatch: x [members·B·inDim] and y [members·B·outDim] in raw units.
   * Returns the loss before the step (the mean negative log-likelihood per dimension, normalised units).
   */
  step(x: Float32Array, y: Float32Array, B: number): number {
    this.loadBatch(x, y, B, 'EngineEnsemble.step');
    const a = this.nextAdamStep();
    return this.eng.exports.ensembleNllStep(
      this.desc,
      B,
      this.opts.minLogStd,
      this.opts.maxLogStd,
      ADAM.b1,
      ADAM.b2,
      ADAM.eps,
      a.stepSize,
      a.vScale,
    );
  }

  /** The descriptor the kernels read (for another kernel working on these members: lib/engine/mnm.ts). */
  get descriptor(): number {
    return this.desc;
  }

  /**
   * Copies every member's minibatch (x [members·B·inDim], y [members·B·outDim], raw units) into the kernels' batch
   * buffers, growing them and the workspace only for a larger B than any before.
   */
  loadBatch(x: Float32Array, y: Float32Array, B: number, where: string): void {
    const { members: E, inDim, outDim } = this.shape;
    if (!(Number.isInteger(B) && B > 0) || x.length !== E * B * inDim || y.length !== E * B * outDim)
      throw new Error(
        `${where}: x and y need members·B·inDim = ${E * B * inDim} and members·B·outDim = ${E * B * outDim} numbers (B a positive integer), got ${x.length} and ${y.length}`,
      );
    if (B > this.maxB) {
      this.slot(SLOT.x, this.eng.alloc(E * B * inDim));
      this.slot(SLOT.y, this.eng.alloc(E * B * outDim));
      this.slot(SLOT.work, this.eng.alloc(this.eng.exports.ensembleWorkspaceBytes(this.desc, B), 1));
      this.slot(SLOT.maxB, B);
      this.maxB = B;
    }
    this.eng.f32(this.slot(SLOT.x), x.length).set(x);
    this.eng.f32(this.slot(SLOT.y), y.length).set(y);
  }

  /** Counts one more Adam step on the members and returns its folded bias corrections (as FlatAdam). */
  nextAdamStep(): { b1: number; b2: number; eps: number; stepSize: number; vScale: number } {
    const t = ++this.t;
    return { ...ADAM, ...adamCorrections(this.opts.lr, t) };
  }
}
