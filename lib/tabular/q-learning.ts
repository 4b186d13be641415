/**
 * Tabular Q-learning pieces: ε-greedy action choice (ties broken at random, so an untouched row is
 * explored uniformly) and the TD update Q(s,a) += α (r + γ max_a' Q(s',a') − Q(s,a)).
 * Q is a Float64Array indexed s*A + a, initialised to 0 by the learners.
 */
import type { Kernel } from './mdp';
import type { Rng } from '../rng';

export function maxQ(Q: Float64Array, s: number, A: number): number {
  let best = Q[s * A];
  for (let a = 1; a < A; a++) if (Q[s * A + a] > best) best = Q[s * A + a];
  return best;
}

/** argmax_a Q(s, a), a uniformly random one among ties. */
export function greedyAction(Q: Float64Array, s: number, A: number, rng: Rng): number {
  let best = -Infinity;
  let chosen = 0;
  let ties = 0;
  for (let a = 0; a < A; a++) {
    const v = Q[s * A + a];
    if (v > best) {
      best = v;
      chosen = a;
      ties = 1;
    } else if (v === best) {
      ties++;
      // Reservoir choice among equal values: each tied action ends up chosen with probability 1/ties.
      if (rng.int(ties) === 0) chosen = a;
    }
  }
  return chosen;
}

/** With probability ε a uniformly random action, else the greedy one. */
export function epsilonGreedy(Q: Float64Array, s: number, A: number, epsilon: number, rng: Rng): number {
  return rng.uniform() < epsilon ? rng.int(A) : greedyAction(Q, s, A, rng);
}

/** One TD update toward r + γ max Q(s'); returns the TD error. */
export function qUpdate(Q: Float64Array, A: number, s: number, a: number, r: number, sNext: number, gamma: number, lr: number): number {
  const i = s * A + a;
  const delta = r + gamma * maxQ(Q, sNext, A) - Q[i];
  Q[i] += lr * delta;
  return delta;
}

/** Draws s' ~ kernel(·|s, a). */
export function sampleNext(kernel: Kernel, s: number, a: number, rng: Rng): number {
  const i = s * kernel.A + a;
  const lo = kernel.rowStart[i];
  const hi = kernel.rowStart[i + 1];
  let u = rng.uniform();
  for (let k = lo; k < hi - 1; k++) {
    u -= kernel.prob[k];
    if (u < 0) return kernel.next[k];
  }
  return kernel.next[hi - 1];
}
