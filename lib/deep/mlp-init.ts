/**
 * The initial weights of the MLPs of ./mlp as plain Float32Arrays, with no TensorFlow.js import: Mlp builds its
 * variables from them, and the engine-only SAC (./engine-sac-agent, the playground's) starts from the same numbers.
 * PyTorch's nn.Linear default: weights and biases U(−1/√fanIn, 1/√fanIn), drawn layer by layer (w [in×out], then b).
 */
import { Rng } from '../rng';

/** Uniform(−1/√fanIn, 1/√fanIn) draws from `rng` (PyTorch's nn.Linear default, for weights and biases). */
export function torchUniform(rng: Rng, count: number, fanIn: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.range(-bound, bound);
  return out;
}

/** An MLP's initial weights for layer widths `dims` ([in, ...hidden, out]), in `params` order: w0, b0, w1, b1, ... */
export function mlpInitWeights(dims: number[], rng: Rng): Float32Array[] {
  const out: Float32Array[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fi, fo] = [dims[l], dims[l + 1]];
    out.push(torchUniform(rng, fi * fo, fi), torchUniform(rng, fo, fi));
  }
  return out;
}

/** The stream member m of an ensemble is initialised from. */
export function memberRng(rng: Rng, m: number): Rng {
  return rng.fork(`member-${m}`);
}
