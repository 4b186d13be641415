/**
 * Adam over a group of variables as ONE flat vector: the moments live in two flat variables and a step
 * is about a dozen element-wise ops for the whole group, instead of about a dozen PER variable as in
 * tf.train.adam. On wasm, where small ops cost ~10–20 µs each, this is the cheaper way to step the
 * many small tensors of an MLP (see lib/bench/sac.ts).
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
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
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
    this.m = tf.tidy(() => tf.variable(tf.zeros([this.size]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([this.size]), false));
  }

  /** One step with the gradients of `vars` (keyed by variable name; all must be present). */
  apply(grads: tf.NamedTensorMap): void {
    this.t++;
    const t = this.t;
    tf.tidy(() => {
      const g = tf.concat(
        this.vars.map((v) => {
          const gv = grads[v.name];
          if (!gv) throw new Error(`FlatAdam.apply: no gradient for variable '${v.name}'`);
          return tf.reshape(gv, [-1]);
        }),
      );
      const m = tf.add(tf.mul(this.m, this.beta1), tf.mul(g, 1 - this.beta1));
      const v = tf.add(tf.mul(this.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      this.m.assign(m);
      this.v.assign(v);
      // lr·m̂/(√v̂ + ε) with the bias corrections folded into two scalars computed in JS.
      const stepSize = this.lr / (1 - this.beta1 ** t);
      const vScale = 1 / Math.sqrt(1 - this.beta2 ** t);
      const update = tf.div(tf.mul(m, stepSize), tf.add(tf.mul(tf.sqrt(v), vScale), this.epsilon));
      const parts = tf.split(update, this.sizes);
      this.vars.forEach((variable, i) => variable.assign(tf.sub(variable, tf.reshape(parts[i], variable.shape))));
    });
  }

  getState(): FlatAdamState {
    return { t: this.t, m: Array.from(this.m.dataSync()), v: Array.from(this.v.dataSync()) };
  }

  setState(s: FlatAdamState): void {
    if (!s || !Number.isInteger(s.t) || s.t < 0 || s.m?.length !== this.size || s.v?.length !== this.size) {
      throw new Error(`FlatAdam.setState: expected { t ≥ 0, m and v of length ${this.size} }`);
    }
    this.t = s.t;
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(s.m));
      this.v.assign(tf.tensor1d(s.v));
    });
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}
