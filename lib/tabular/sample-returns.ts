/** Monte Carlo discounted returns of a policy, for showing return distributions next to the exact moments. */
import type { Rng } from '../rng';
import { checkPolicy } from './evaluate';
import type { Policy, TabularMDP } from './mdp';

/**
 * `n` discounted returns Σ_t γ^t r(s_t, a_t) from s_0 ~ p0, each truncated after the horizon where γ^t
 * falls below `truncation` relative to step 0 (the tail it drops is at most γ^H max r / (1 − γ)).
 */
export function sampleReturns(mdp: TabularMDP, pi: Policy, rng: Rng, n: number, truncation = 1e-8): Float64Array {
  checkPolicy(pi, mdp.S, mdp.A);
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`sampleReturns: n must be a positive integer, got ${n}`);
  const { A, rowStart, next, prob, reward, gamma, p0 } = mdp;
  const horizon = Math.ceil(Math.log(truncation) / Math.log(gamma));
  const out = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    let s = rng.categorical(p0);
    let g = 0;
    let disc = 1;
    for (let t = 0; t < horizon; t++) {
      const a = rng.categorical(pi, s * A, A);
      const i = s * A + a;
      g += disc * reward[i];
      disc *= gamma;
      const lo = rowStart[i];
      s = next[lo + rng.categorical(prob, lo, rowStart[i + 1] - lo)];
    }
    out[e] = g;
  }
  return out;
}
