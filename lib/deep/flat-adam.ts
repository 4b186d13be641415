/**
 * Adam over a group of variables, computed in plain JS on the weights' values (./backend
 * rewriteVariable): one new buffer per variable, no tfjs kernel. On wasm every op costs ~5–10 µs and tfjs's tf.train.adam runs about a
 * dozen per variable; a flat tensor version needs a concat and a split, which cost ~4 ms each at 135k
 * parameters on wasm (measured, see lib/bench/sac.ts). The moments are plain Float32Arrays.
 *
 *   const opt = new FlatAdam(net.params, { lr: 3e-4 });
 *   const { value, grads } = tf.variableGrads(loss, net.params);
 *   opt.apply(grads);                       // grads keyed by variable name, as variableGrads returns them
 *   opt.getState() / opt.setState(state)    // { t, m, v } as plain arrays (save / resume)
 *
 * Same update as tf.train.adam and torch.optim.Adam: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g²,
 * θ ← θ − lr · m̂ / (√v̂ + ε) with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t).
 */
import * as tf from '@tensorflow/tfjs';
import { readValues, rewriteVariable } from './backend';

export interface FlatAdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface FlatAdamState {
  t: number;
  m: number[];
  v: number[];
}

export class FlatAdam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Steps taken. */
  t = 0;
  private m: Float32Array;
  private v: Float32Array;
  /** What the last apply() changed, for undo(). */
  private before: { t: number; m: Float32Array; v: Float32Array; weights: Float32Array[] } | null = null;
  private readonly sizes: number[];
  readonly size: number;

  constructor(
    readonly vars: tf.Variable[],
    cfg: FlatAdamConfig,
  ) {
    this.lr = cfg.lr;
    this.beta1 = cfg.beta1 ?? 0.9;
    this.beta2 = cfg.beta2 ?? 0.999;
    this.epsilon = cfg.epsilon ?? 1e-8;
    if (!(this.lr > 0 && this.beta1 >= 0 && this.beta1 < 1 && this.beta2 >= 0 && this.beta2 < 1 && this.epsilon > 0)) {
      throw new Error(`FlatAdam: need lr > 0, β1 and β2 in [0, 1), ε > 0; got ${JSON.stringify(cfg)}`);
    }
    this.sizes = vars.map((v) => v.size);
    this.size = this.sizes.reduce((a, b) => a + b, 0);
    this.m = new Float32Array(this.size);
    this.v = new Float32Array(this.size);
  }

  /**
   * One step with the gradients of `vars` (keyed by variable name; all must be present: checked before any
   * change). undo() takes the step back.
   */
  apply(grads: tf.NamedTensorMap): void {
    for (const v of this.vars) if (!grads[v.name]) throw new Error(`FlatAdam.apply: no gradient for variable '${v.name}'`);
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const [m0, v0] = [this.m, this.v];
    const m = new Float32Array(this.size);
    const v = new Float32Array(this.size);
    const t = this.t + 1;
    // lr·m̂/(√v̂ + ε) with the bias corrections folded into two scalars.
    const stepSize = this.lr / (1 - b1 ** t);
    const vScale = 1 / Math.sqrt(1 - b2 ** t);
    let off = 0;
    const weights = this.vars.map((variable, k) => {
      const grad = grads[variable.name];
      const old = rewriteVariable(variable, (w0, w) => {
        const g = readValues(grad);
        for (let i = 0, j = off; i < w.length; i++, j++) {
          const gi = g[i];
          m[j] = b1 * m0[j] + (1 - b1) * gi;
          v[j] = b2 * v0[j] + (1 - b2) * gi * gi;
          w[i] = w0[i] - (stepSize * m[j]) / (Math.sqrt(v[j]) * vScale + eps);
        }
      });
      off += this.sizes[k];
      return old;
    });
    this.before = { t: this.t, m: m0, v: v0, weights };
    [this.t, this.m, this.v] = [t, m, v];
  }

  /** Takes back the last apply() (weights, moments and step count), e.g. when the update it belonged to failed. */
  undo(): void {
    const b = this.before;
    if (!b) throw new Error('FlatAdam.undo: no step to take back');
    this.vars.forEach((variable, k) => tf.tidy(() => variable.assign(tf.tensor(b.weights[k], variable.shape, 'float32'))));
    [this.t, this.m, this.v] = [b.t, b.m, b.v];
    this.before = null;
  }

  getState(): FlatAdamState {
    return { t: this.t, m: Array.from(this.m), v: Array.from(this.v) };
  }

  setState(s: FlatAdamState): void {
    this.setMoments(s, 'FlatAdam.setState');
  }

  /** Step count and moments as Float32Arrays (copies): for another implementation of this update (lib/engine). */
  getMoments(): { t: number; m: Float32Array; v: Float32Array } {
    return { t: this.t, m: Float32Array.from(this.m), v: Float32Array.from(this.v) };
  }

  setMoments(s: { t: number; m: ArrayLike<number>; v: ArrayLike<number> }, where = 'FlatAdam.setMoments'): void {
    if (!s || !Number.isInteger(s.t) || s.t < 0 || s.m?.length !== this.size || s.v?.length !== this.size) {
      throw new Error(`${where}: expected { t ≥ 0, m and v of length ${this.size} }`);
    }
    this.t = s.t;
    this.m = Float32Array.from(s.m);
    this.v = Float32Array.from(s.v);
    this.before = null;
  }

  /** Nothing to free: the moments are plain arrays (kept for symmetry with the networks). */
  dispose(): void {}
}
