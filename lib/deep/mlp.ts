/**
 * Multilayer perceptrons on raw `tf.Variable`s (no tf.layers: fewer ops per call, and every initial
 * weight comes from our seeded `Rng`, so the same seed gives the same network on every backend).
 *
 *   const net = new Mlp({ inDim: 4, outDim: 2, hidden: [256, 256] }, rng.fork('actor'));
 *   const y = net.apply(x);                       // x: [B, inDim] → [B, outDim]
 *   const ens = new MlpEnsemble({ ...spec, members: 5 }, rng);
 *   ens.apply(x)                                  // x: [B, in] (shared) or [k, B, in] → [k, B, out]
 *
 * Both: `params` (the trainable variables, in a fixed order), `getWeights()` / `setWeights()` (plain
 * Float32Arrays in `params` order), `copyFrom(other)`, `polyakFrom(other, tau)` (target ← (1−τ)·target + τ·other),
 * `numParams`, `dispose()`. Initialisation: PyTorch's nn.Linear default, weights and biases
 * U(−1/√fanIn, 1/√fanIn). Hidden activation: relu (default), tanh, or swish (x·sigmoid x).
 *
 * Speed on the wasm backend (measured, see lib/bench/sac.ts): its matMul is fast (XNNPACK) only for
 * rank-2 operands without transpose flags. tfjs's own matMul gradient uses transposeA/transposeB
 * (12–15× slower at 256 units) and a rank-3 batched matMul is slower still (≈50×). So every layer is
 * `dense()`/`denseRelu()`: a fused matMul+bias(+relu) kernel whose custom gradient transposes explicitly and stays on the fast
 * path, and an ensemble keeps each member's weights as separate rank-2 variables (k small matMuls).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { readValues, rewriteVariable } from './backend';
import { memberRng, mlpInitWeights } from './mlp-init';

export { torchUniform } from './mlp-init';

export type Activation = 'relu' | 'tanh' | 'swish';

export interface MlpSpec {
  inDim: number;
  outDim: number;
  /** Widths of the hidden layers, e.g. [256, 256]. */
  hidden: number[];
  activation?: Activation;
}

function validate(spec: MlpSpec, where: string): void {
  const dims = [spec.inDim, spec.outDim, ...spec.hidden];
  if (!dims.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: inDim, outDim and hidden widths must be positive integers, got ${JSON.stringify(spec)}`);
  }
  if (spec.activation && !['relu', 'tanh', 'swish'].includes(spec.activation)) {
    throw new Error(`${where}: activation must be relu, tanh or swish, got '${spec.activation}'`);
  }
}

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'tanh') return tf.tanh(x);
  return tf.mul(x, tf.sigmoid(x));
}

/** Column sums of a [B, n] tensor as [n], by a [1, B]·[B, n] matMul: far cheaper than tf.sum(dy, 0) on wasm. */
function columnSums(dy: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]);
}

/**
 * matMul + bias (+ relu) as ONE wasm kernel. Called from inside the custom gradients below, where tfjs's
 * own tf.fused.matMul would refuse to fuse a relu (it un-fuses whenever a gradient tape is recording).
 */
function fusedForward(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, relu: boolean): tf.Tensor2D {
  // The kernel takes rank-3 operands (tf.fused.matMul reshapes the same way before calling it).
  const [n, k] = x.shape;
  const m = w.shape[1] as number;
  const y = tf.engine().runKernel('_FusedMatMul', { a: tf.reshape(x, [1, n, k]), b: tf.reshape(w, [1, k, m]), bias: b }, {
    transposeA: false,
    transposeB: false,
    activation: relu ? 'relu' : 'linear',
    leakyreluAlpha: 0.2,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return tf.reshape(y, [n, m]);
}

/** dy through the relu (when y = relu(...)): dy · step(y). */
function throughRelu(dy: tf.Tensor, y: tf.Tensor | null): tf.Tensor2D {
  return (y ? tf.mul(dy, tf.step(y)) : dy) as tf.Tensor2D;
}

function makeDense(relu: boolean): (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b] = args as tf.Tensor[];
    const y = fusedForward(x, w, b, relu);
    (args[3] as tf.GradSaveFunc)(relu ? [x, w, y] : [x, w]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as tf.Tensor2D[];
        const g = throughRelu(dy, relu ? sy : null);
        return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sx), g), columnSums(g)];
      },
    };
  }) as (x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor) => tf.Tensor2D;
}

/**
 * y = x·w + b, or relu(x·w + b) (w: [in, out], b: [out]), with a gradient that calls only the fast rank-2,
 * untransposed matMul: dx = dy'·transpose(w), dw = transpose(x)·dy', db = column sums of dy'
 * (dy' = dy · step(y) through the relu).
 */
export const dense = makeDense(false);
export const denseRelu = makeDense(true);

/**
 * The same layer with its weights held constant: gradients flow to x only (dx = dy'·transpose(w)).
 * Used where a loss differentiates THROUGH a network without training it (SAC's actor loss through the
 * critics): it skips the weight-gradient matMuls that tfjs would otherwise compute and throw away.
 */
function frozenDense(w: tf.Variable, b: tf.Variable, relu: boolean): (x: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor2D;
    const y = fusedForward(x, w, b, relu);
    if (relu) (args[1] as tf.GradSaveFunc)([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(throughRelu(dy, relu ? saved[0] : null), tf.transpose(w))],
    };
  }) as (x: tf.Tensor2D) => tf.Tensor2D;
}

/** Shared parts of Mlp and MlpEnsemble: weights in and out, copies, Polyak averaging. */
abstract class Params {
  abstract readonly params: tf.Variable[];

  get numParams(): number {
    return this.params.reduce((n, v) => n + v.size, 0);
  }

  /** Current weights as Float32Arrays, in `params` order (one synchronous read each). */
  getWeights(): Float32Array[] {
    return this.params.map((v) => v.dataSync() as Float32Array).map((d) => Float32Array.from(d));
  }

  setWeights(weights: ArrayLike<number>[]): void {
    if (weights.length !== this.params.length) {
      throw new Error(`setWeights: expected ${this.params.length} arrays, got ${weights.length}`);
    }
    weights.forEach((w, i) => {
      const v = this.params[i];
      if (w.length !== v.size) throw new Error(`setWeights: array ${i} (${v.name}) needs ${v.size} numbers, got ${w.length}`);
      for (let j = 0; j < w.length; j++) {
        if (!Number.isFinite(w[j])) throw new Error(`setWeights: array ${i} (${v.name}) has a non-finite entry at ${j}`);
      }
      tf.tidy(() => v.assign(tf.tensor(Float32Array.from(w), v.shape)));
    });
  }

  copyFrom(other: Params): void {
    if (other.params.length !== this.params.length) throw new Error('copyFrom: networks have different shapes');
    this.params.forEach((v, i) => v.assign(other.params[i]));
  }

  /**
   * this ← (1 − tau)·this + tau·other (target networks), in plain JS (./backend rewriteVariable): no tfjs
   * kernel. Returns the previous weights (setWeights() restores them).
   */
  polyakFrom(other: Params, tau: number): Float32Array[] {
    return this.params.map((v, i) =>
      rewriteVariable(v, (w0, w) => {
        const o = readValues(other.params[i]);
        for (let j = 0; j < w.length; j++) w[j] = (1 - tau) * w0[j] + tau * o[j];
      }),
    );
  }

  dispose(): void {
    this.params.forEach((v) => v.dispose());
  }
}

export class Mlp extends Params {
  readonly spec: Required<MlpSpec>;
  readonly params: tf.Variable[];
  private readonly layers: { w: tf.Variable; b: tf.Variable; relu: boolean; frozen: (x: tf.Tensor2D) => tf.Tensor2D }[] = [];

  constructor(spec: MlpSpec, rng: Rng, name = 'mlp', trainable = true) {
    super();
    validate(spec, `Mlp '${name}'`);
    this.spec = { activation: 'relu', ...spec };
    const dims = [spec.inDim, ...spec.hidden, spec.outDim];
    const init = mlpInitWeights(dims, rng);
    for (let l = 0; l + 1 < dims.length; l++) {
      const [fi, fo] = [dims[l], dims[l + 1]];
      // Inside tidy: the initial tensor is a temporary (the variable keeps its own reference).
      const w = tf.tidy(() => tf.variable(tf.tensor2d(init[2 * l], [fi, fo]), trainable, `${name}/w${l}_${uid()}`));
      const b = tf.tidy(() => tf.variable(tf.tensor1d(init[2 * l + 1]), trainable, `${name}/b${l}_${uid()}`));
      // Hidden relu layers fuse their activation into the matMul kernel; the output layer is linear.
      const relu = this.spec.activation === 'relu' && l + 2 < dims.length;
      this.layers.push({ w, b, relu, frozen: frozenDense(w, b, relu) });
    }
    this.params = this.layers.flatMap((l) => [l.w, l.b]);
  }

  /**
   * x: [B, inDim] → [B, outDim]. Matmul and bias fused (one op) per layer.
   * opts.frozen: gradients reach x but not the weights (differentiating through a fixed network).
   */
  apply(x: tf.Tensor2D, opts: { frozen?: boolean } = {}): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    this.layers.forEach((l, i) => {
      h = opts.frozen ? l.frozen(h) : l.relu ? denseRelu(h, l.w, l.b) : dense(h, l.w, l.b);
      if (!l.relu && i + 1 < this.layers.length) h = activate(h, this.spec.activation) as tf.Tensor2D;
    });
    return h;
  }
}

export class MlpEnsemble extends Params {
  readonly spec: Required<MlpSpec> & { members: number };
  readonly params: tf.Variable[];
  /** The members, each an ordinary Mlp (rank-2 weights: the fast matMul path on wasm). */
  readonly nets: Mlp[];

  /** Member m is initialised from rng.fork(`member-${m}`). `params` lists member 0's, then member 1's, ... */
  constructor(spec: MlpSpec & { members: number }, rng: Rng, name = 'ensemble', trainable = true) {
    super();
    validate(spec, `MlpEnsemble '${name}'`);
    if (!(Number.isInteger(spec.members) && spec.members > 0)) {
      throw new Error(`MlpEnsemble '${name}': members must be a positive integer, got ${spec.members}`);
    }
    this.spec = { activation: 'relu', ...spec };
    const { members, ...mlpSpec } = this.spec;
    this.nets = Array.from({ length: members }, (_, m) => new Mlp(mlpSpec, memberRng(rng, m), `${name}/m${m}`, trainable));
    this.params = this.nets.flatMap((net) => net.params);
  }

  get members(): number {
    return this.spec.members;
  }

  /** x: [B, in] (the same input for every member) or [k, B, in] → [k, B, out]. opts.frozen as in Mlp.apply. */
  apply(x: tf.Tensor2D | tf.Tensor3D, opts: { frozen?: boolean } = {}): tf.Tensor3D {
    const k = this.spec.members;
    if (x.rank === 3 && x.shape[0] !== k)
      throw new Error(`MlpEnsemble.apply: a rank-3 input needs ${k} rows on axis 0, got shape [${x.shape}]`);
    const xs = x.rank === 2 ? this.nets.map(() => x as tf.Tensor2D) : (tf.unstack(x) as tf.Tensor2D[]);
    return tf.stack(this.nets.map((net, m) => net.apply(xs[m], opts))) as tf.Tensor3D;
  }
}

let counter = 0;
/** tfjs variable names must be unique per process; a counter keeps them so (names are labels only). */
function uid(): number {
  return counter++;
}

/** A process-unique tfjs variable name starting with `prefix`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${uid()}`;
}
