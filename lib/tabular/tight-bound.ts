/**
 * Eq. 10, the tight lower bound (paper App. A, as the authors' notebook computes it; docs/PAPER-SETTINGS.md):
 *
 *   ρ_t = the state–action marginal at step t under q and π from p0 (t = 0, 1, …)
 *   R_t = E_{ρ_t}[log r(s, a)],   KL_t = E_{ρ_t}[KL(q(·|s,a) ‖ p(·|s,a))]
 *   L_tight(π, q) = log Σ_t exp( R_t + t·log γ − Σ_{t'<t} KL_{t'} )
 *
 * It is ≤ log J(π) (Jensen's inequality applied per time step, inside the sum over t) and ≥ the Eq. 2
 * bound L(π, q) (Jensen once more over the geometric weights (1−γ)γ^t, which also shows that the KL of step
 * t weighs γ^{t+1} here against γ^t in Eq. 2). The sum is cut where the discounted mass still left,
 * Σ_{t≥T} γ^t (times the largest reward and the KL already paid, relative to the sum so far), is below
 * `tail` (default 1e-12).
 */
import { checkModel, checkPolicy } from './evaluate';
import { modelKL } from './objectives';
import type { Kernel, Policy, TabularMDP } from './mdp';

export interface TightBoundOptions {
  /** Stop when the rest of the series is below this fraction of the sum so far (default 1e-12). */
  tail?: number;
  /** Hard cap on the number of steps (default 1,000,000). */
  maxSteps?: number;
}

export interface TightBoundTerms {
  /** L_tight. */
  value: number;
  /** Steps summed. */
  steps: number;
  /** R_t and KL_t per step. */
  logReward: number[];
  kl: number[];
}

/** L_tight(π, q) and the per-step terms behind it. */
export function tightBoundTerms(mdp: TabularMDP, pi: Policy, q: Kernel, opts: TightBoundOptions = {}): TightBoundTerms {
  checkPolicy(pi, mdp.S, mdp.A);
  checkModel(mdp, q);
  const tail = opts.tail ?? 1e-12;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  if (!(tail > 0 && tail < 1)) throw new Error(`tightBound: tail must be in (0, 1), got ${tail}`);
  const { S, A, gamma, reward } = mdp;
  const kl = modelKL(mdp, q);
  let logRMax = -Infinity;
  const logR = new Float64Array(S * A);
  for (let i = 0; i < S * A; i++) {
    if (!(reward[i] > 0)) throw new Error(`tightBound: reward of state ${Math.floor(i / A)}, action ${i % A} is ${reward[i]}; must be > 0`);
    logR[i] = Math.log(reward[i]);
    if (logR[i] > logRMax) logRMax = logR[i];
  }
  const logGamma = Math.log(gamma);
  let d = Float64Array.from(mdp.p0);
  let dn = new Float64Array(S);
  let paidKL = 0; // Σ_{t'<t} KL_t'
  let logSum = -Infinity; // log Σ_{t'≤t} exp(logit_t')
  const terms: TightBoundTerms = { value: -Infinity, steps: 0, logReward: [], kl: [] };
  for (let t = 0; t < maxSteps; t++) {
    let Rt = 0;
    let Kt = 0;
    dn.fill(0);
    for (let s = 0; s < S; s++) {
      if (d[s] === 0) continue;
      for (let a = 0, i = s * A; a < A; a++, i++) {
        const w = d[s] * pi[i];
        if (w === 0) continue;
        Rt += w * logR[i];
        Kt += w * kl[i];
        for (let k = q.rowStart[i]; k < q.rowStart[i + 1]; k++) dn[q.next[k]] += w * q.prob[k];
      }
    }
    const logit = Rt + t * logGamma - paidKL;
    if (logit > -Infinity)
      logSum = logSum === -Infinity ? logit : Math.max(logSum, logit) + Math.log1p(Math.exp(-Math.abs(logSum - logit)));
    terms.logReward.push(Rt);
    terms.kl.push(Kt);
    terms.steps = t + 1;
    paidKL += Kt;
    // Every later term is at most γ^{t'} r_max e^{−paidKL}: stop once their sum is negligible.
    const restLog = (t + 1) * logGamma - Math.log(1 - gamma) + logRMax - paidKL;
    if (restLog - logSum < Math.log(tail)) break;
    const x = d;
    d = dn;
    dn = x;
  }
  terms.value = logSum;
  return terms;
}

/** Eq. 10: L_tight(π, q). */
export function tightBound(mdp: TabularMDP, pi: Policy, q: Kernel, opts: TightBoundOptions = {}): number {
  return tightBoundTerms(mdp, pi, q, opts).value;
}
