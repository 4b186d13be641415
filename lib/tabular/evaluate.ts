/**
 * Exact policy evaluation in a sparse kernel: V = (I − γ P_π)^{-1} r_π.
 *
 * Small problems (S ≤ 400 by default) are solved directly (dense Gaussian elimination on the S×S system,
 * built only for the solve); larger ones by Gauss-Seidel sweeps over the CSR rows until the error bound
 * ‖ΔV‖∞/(1−γ) is below tol·max(1, ‖V‖∞), so memory stays linear in the number of stored transitions.
 */
import type { Kernel, Policy, TabularMDP } from './mdp';

export interface EvalOptions {
  /** 'auto' (default): direct when S ≤ directMaxStates, else iterative. */
  method?: 'auto' | 'direct' | 'iterative';
  directMaxStates?: number;
  /** Relative accuracy of the iterative method (default 1e-12). */
  tol?: number;
  maxIter?: number;
}

/** Checks a policy's shape and rows (non-negative, summing to 1); errors name the state and value. */
export function checkPolicy(pi: Policy, S: number, A: number, what = 'policy'): void {
  if (!(pi instanceof Float64Array)) throw new Error(`${what}: must be a Float64Array indexed s*A + a`);
  if (pi.length !== S * A) throw new Error(`${what}: has ${pi.length} entries, expected ${S}×${A} = ${S * A}`);
  for (let s = 0; s < S; s++) {
    let sum = 0;
    for (let a = 0; a < A; a++) {
      const p = pi[s * A + a];
      if (!(p >= 0) || !Number.isFinite(p)) throw new Error(`${what}: π(${a}|${s}) is ${p}; must be finite and ≥ 0`);
      sum += p;
    }
    if (Math.abs(sum - 1) > 1e-9) throw new Error(`${what}: probabilities of state ${s} sum to ${sum}, not 1`);
  }
}

/** Checks that a model kernel has the MDP's shape. */
export function checkModel(mdp: Kernel, q: Kernel, what = 'model'): void {
  if (q.S !== mdp.S || q.A !== mdp.A) throw new Error(`${what}: has ${q.S} states × ${q.A} actions, the MDP has ${mdp.S} × ${mdp.A}`);
}

/**
 * V^π of the chain (kernel, π) with expected per-(s, a) reward `rewardSA` and discount `gamma`.
 * Entries of rewardSA where π(a|s) = 0 are ignored (they may be non-finite).
 */
export function evaluateKernel(kernel: Kernel, pi: Policy, rewardSA: Float64Array, gamma: number, opts: EvalOptions = {}): Float64Array {
  const { S, A, rowStart, next, prob } = kernel;
  if (!(gamma >= 0 && gamma < 1)) throw new Error(`evaluate: discount must be in [0, 1), got ${gamma}`);
  const rPi = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let acc = 0;
    for (let a = 0; a < A; a++) {
      const w = pi[s * A + a];
      if (w > 0) acc += w * rewardSA[s * A + a];
    }
    if (!Number.isFinite(acc)) throw new Error(`evaluate: expected reward of state ${s} under the policy is ${acc}; must be finite`);
    rPi[s] = acc;
  }
  const method = opts.method ?? 'auto';
  const direct = method === 'direct' || (method === 'auto' && S <= (opts.directMaxStates ?? 400));
  if (direct) {
    // Dense system (I − γ P_π) V = r_π; strictly diagonally dominant, so elimination without pivoting is stable.
    const M = new Float64Array(S * S);
    for (let s = 0; s < S; s++) {
      M[s * S + s] = 1;
      for (let a = 0; a < A; a++) {
        const w = pi[s * A + a];
        if (!(w > 0)) continue;
        const i = s * A + a;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) M[s * S + next[k]] -= gamma * w * prob[k];
      }
    }
    const V = rPi;
    for (let c = 0; c < S; c++) {
      const piv = M[c * S + c];
      for (let r = c + 1; r < S; r++) {
        const f = M[r * S + c] / piv;
        if (f === 0) continue;
        for (let j = c; j < S; j++) M[r * S + j] -= f * M[c * S + j];
        V[r] -= f * V[c];
      }
    }
    for (let r = S - 1; r >= 0; r--) {
      let acc = V[r];
      for (let j = r + 1; j < S; j++) acc -= M[r * S + j] * V[j];
      V[r] = acc / M[r * S + r];
    }
    return V;
  }
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 1_000_000;
  const V = new Float64Array(S);
  for (let it = 1; it <= maxIter; it++) {
    let diff = 0;
    let vmax = 0;
    for (let s = 0; s < S; s++) {
      let acc = 0;
      for (let a = 0; a < A; a++) {
        const w = pi[s * A + a];
        if (!(w > 0)) continue;
        const i = s * A + a;
        let e = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) e += prob[k] * V[next[k]];
        acc += w * e;
      }
      const v = rPi[s] + gamma * acc;
      const d = Math.abs(v - V[s]);
      if (d > diff) diff = d;
      if (Math.abs(v) > vmax) vmax = Math.abs(v);
      V[s] = v;
    }
    if (diff / (1 - gamma) <= tol * Math.max(1, vmax)) return V;
  }
  throw new Error(`evaluate: Gauss-Seidel did not reach tolerance ${tol} in ${maxIter} sweeps`);
}

/** The expected discounted return of π from each state under the true dynamics: V^π. */
export function evaluatePolicy(mdp: TabularMDP, pi: Policy, opts: EvalOptions = {}): Float64Array {
  checkPolicy(pi, mdp.S, mdp.A);
  return evaluateKernel(mdp, pi, mdp.reward, mdp.gamma, opts);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) s += a[i] * b[i];
  return s;
}

/** J(π) = p0·V^π. */
export function policyReturn(mdp: TabularMDP, pi: Policy, opts: EvalOptions = {}): number {
  return dot(mdp.p0, evaluatePolicy(mdp, pi, opts));
}

/** log J(π), the quantity Theorem 3.1 bounds from below. */
export function logReturn(mdp: TabularMDP, pi: Policy, opts: EvalOptions = {}): number {
  return Math.log(policyReturn(mdp, pi, opts));
}

/**
 * Mean and variance of the discounted return G = Σ γ^t r(s_t, a_t) from p0, exactly. The variance solves
 * its own Bellman equation (Sobel 1982): Var(s) = E[(r + γV(s') − V(s))²] + γ² E[Var(s')], a policy
 * evaluation with discount γ² whose reward is the one-step squared TD error under V^π. This never takes
 * E[G²] − E[G]², so a sure return has variance exactly 0 instead of a rounding residue.
 */
export function returnMoments(mdp: TabularMDP, pi: Policy, opts: EvalOptions = {}): { mean: number; variance: number; std: number } {
  const V = evaluatePolicy(mdp, pi, opts);
  const { S, A, rowStart, next, prob, reward, gamma, p0 } = mdp;
  const local = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    for (let i = s * A; i < (s + 1) * A; i++) {
      let e = 0;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
        const td = reward[i] + gamma * V[next[k]] - V[s];
        e += prob[k] * td * td;
      }
      local[i] = e;
    }
  }
  const varS = evaluateKernel(mdp, pi, local, gamma * gamma, opts);
  const mean = dot(p0, V);
  let variance = 0;
  for (let s = 0; s < S; s++) if (p0[s] > 0) variance += p0[s] * (varS[s] + (V[s] - mean) ** 2);
  variance = Math.max(0, variance);
  return { mean, variance, std: Math.sqrt(variance) };
}
