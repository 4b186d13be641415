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
 * An ensemble runs its k members as one batched matMul per layer: one op per layer instead of k.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';

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

/** Uniform(−1/√fanIn, 1/√fanIn) draws from `rng` (PyTorch's nn.Linear default, for weights and biases). */
export function torchUniform(rng: Rng, count: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.range(-bound, bound);
  return out;
}

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'tanh') return tf.tanh(x);
  return tf.mul(x, tf.sigmoid(x));
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

  /** this ← (1 − tau)·this + tau·other, in place (target networks). */
  polyakFrom(other: Params, tau: number): void {
    tf.tidy(() => {
      this.params.forEach((v, i) => v.assign(tf.add(tf.mul(v, 1 - tau), tf.mul(other.params[i], tau))));
    });
  }

  dispose(): void {
    this.params.forEach((v) => v.dispose());
  }
}

export class Mlp extends Params {
  readonly spec: Required<MlpSpec>;
  readonly params: tf.Variable[];
  private readonly layers: { w: tf.Variable; b: tf.Variable }[] = [];

  constructor(spec: MlpSpec, rng: Rng, name = 'mlp', trainable = true) {
    super();
    validate(spec, `Mlp '${name}'`);
    this.spec = { activation: 'relu', ...spec };
    const dims = [spec.inDim, ...spec.hidden, spec.outDim];
    for (let l = 0; l + 1 < dims.length; l++) {
      const [fi, fo] = [dims[l], dims[l + 1]];
      const w = tf.variable(tf.tensor2d(torchUniform(rng, fi * fo, fi), [fi, fo]), trainable, `${name}/w${l}_${uid()}`);
      const b = tf.variable(tf.tensor1d(torchUniform(rng, fo, fi)), trainable, `${name}/b${l}_${uid()}`);
      this.layers.push({ w, b });
    }
    this.params = this.layers.flatMap((l) => [l.w, l.b]);
  }

  /** x: [B, inDim] → [B, outDim]. Matmul and bias fused (one op) per layer. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h: tf.Tensor2D = x;
    this.layers.forEach((l, i) => {
      h = tf.fused.matMul({ a: h, b: l.w as tf.Tensor2D, bias: l.b }) as tf.Tensor2D;
      if (i + 1 < this.layers.length) h = activate(h, this.spec.activation) as tf.Tensor2D;
    });
    return h;
  }
}

export class MlpEnsemble extends Params {
  readonly spec: Required<MlpSpec> & { members: number };
  readonly params: tf.Variable[];
  private readonly layers: { w: tf.Variable; b: tf.Variable }[] = [];

  /** Members are initialised one after the other from `rng` (member m draws from rng.fork(m)). */
  constructor(spec: MlpSpec & { members: number }, rng: Rng, name = 'ensemble', trainable = true) {
    super();
    validate(spec, `MlpEnsemble '${name}'`);
    if (!(Number.isInteger(spec.members) && spec.members > 0)) {
      throw new Error(`MlpEnsemble '${name}': members must be a positive integer, got ${spec.members}`);
    }
    this.spec = { activation: 'relu', ...spec };
    const k = spec.members;
    const dims = [spec.inDim, ...spec.hidden, spec.outDim];
    const memberRngs = Array.from({ length: k }, (_, m) => rng.fork(`member-${m}`));
    for (let l = 0; l + 1 < dims.length; l++) {
      const [fi, fo] = [dims[l], dims[l + 1]];
      const wData = new Float32Array(k * fi * fo);
      const bData = new Float32Array(k * fo);
      for (let m = 0; m < k; m++) {
        wData.set(torchUniform(memberRngs[m], fi * fo, fi), m * fi * fo);
        bData.set(torchUniform(memberRngs[m], fo, fi), m * fo);
      }
      const w = tf.variable(tf.tensor3d(wData, [k, fi, fo]), trainable, `${name}/w${l}_${uid()}`);
      const b = tf.variable(tf.tensor3d(bData, [k, 1, fo]), trainable, `${name}/b${l}_${uid()}`);
      this.layers.push({ w, b });
    }
    this.params = this.layers.flatMap((l) => [l.w, l.b]);
  }

  get members(): number {
    return this.spec.members;
  }

  /** x: [B, in] (the same input for every member) or [k, B, in] → [k, B, out]. */
  apply(x: tf.Tensor2D | tf.Tensor3D): tf.Tensor3D {
    const k = this.spec.members;
    let h: tf.Tensor3D = x.rank === 2 ? tf.broadcastTo(x, [k, x.shape[0], x.shape[1]] as [number, number, number]) : (x as tf.Tensor3D);
    this.layers.forEach((l, i) => {
      // wasm's fused kernel takes only a rank-1 bias: batched matMul, then add the [k, 1, out] bias.
      h = tf.add(tf.matMul(h, l.w as tf.Tensor3D), l.b) as tf.Tensor3D;
      if (i + 1 < this.layers.length) h = activate(h, this.spec.activation) as tf.Tensor3D;
    });
    return h;
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
