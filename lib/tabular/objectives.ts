/**
 * The objectives of a policy π and a model q, evaluated exactly (docs/MATH.md, "The three objectives"):
 *
 *   L_MnM(π, q)   = E_{q,π}[Σ γ^t ((1−γ) log r(s,a) + w·log p(s'|s,a)/q(s'|s,a) − (1−γ) log(1−γ))]
 *                   w = 1 in the paper's Eq. 3 (the reference, variant 'eq3');
 *                   w = γ in the variant 'gamma-weighted' (what Jensen over the geometric horizon gives;
 *                   tighter, since E_q[log p/q] ≤ 0).
 *   L_VMBPO(π, q) = E_{q,π}[Σ γ^t (r(s,a) + log p(s'|s,a)/q(s'|s,a))]
 *
 * Each is one policy evaluation of π in the MDP (q, r̃) with r̃(s,a) = c(s,a) − w·KL(q(·|s,a) ‖ p(·|s,a)).
 * Where q puts mass on an s' that p cannot reach, the KL is +∞ and the objective is −∞ if such a row is
 * visited (taken by π from a state reachable from p0 under q).
 */
import { checkModel, checkPolicy, dot, evaluateKernel, type EvalOptions } from './evaluate';
import type { Kernel, Policy, TabularMDP } from './mdp';

export type MnMVariant = 'eq3' | 'gamma-weighted';

/** KL(q(·|s,a) ‖ p(·|s,a)) for every (s, a); +∞ where q has mass outside p's support. */
export function modelKL(mdp: Kernel, q: Kernel): Float64Array {
  checkModel(mdp, q);
  const { S, A } = mdp;
  const pAt = new Float64Array(S);
  const kl = new Float64Array(S * A);
  for (let i = 0; i < S * A; i++) {
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) pAt[mdp.next[k]] += mdp.prob[k];
    let acc = 0;
    for (let k = q.rowStart[i]; k < q.rowStart[i + 1]; k++) {
      const qk = q.prob[k];
      if (!(qk > 0)) continue;
      const pk = pAt[q.next[k]];
      if (!(pk > 0)) {
        acc = Infinity;
        break;
      }
      acc += qk * Math.log(qk / pk);
    }
    // Duplicate successors inside one q row would need merging first; kernels built here never have them.
    kl[i] = Math.max(0, acc);
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) pAt[mdp.next[k]] = 0;
  }
  return kl;
}

/** p0·V of π in the MDP (q, rewardSA); −∞ if a visited (s, a) has reward −∞. */
function objectiveUnderModel(p0: Float64Array, q: Kernel, pi: Policy, rewardSA: Float64Array, gamma: number, opts: EvalOptions): number {
  const { S, A, rowStart, next, prob } = q;
  let anyInfinite = false;
  for (let i = 0; i < S * A; i++) if (pi[i] > 0 && rewardSA[i] === -Infinity) anyInfinite = true;
  if (anyInfinite) {
    // Reachability from p0's support under (q, π): a visited −∞ row makes the objective −∞.
    const seen = new Uint8Array(S);
    const stack: number[] = [];
    for (let s = 0; s < S; s++)
      if (p0[s] > 0) {
        seen[s] = 1;
        stack.push(s);
      }
    while (stack.length > 0) {
      const s = stack.pop() as number;
      for (let a = 0, i = s * A; a < A; a++, i++) {
        if (!(pi[i] > 0)) continue;
        if (rewardSA[i] === -Infinity) return -Infinity;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
          if (prob[k] > 0 && !seen[next[k]]) {
            seen[next[k]] = 1;
            stack.push(next[k]);
          }
        }
      }
    }
    rewardSA = rewardSA.map((r) => (r === -Infinity ? 0 : r)); // only unvisited rows are left
  }
  return dot(p0, evaluateKernel(q, pi, rewardSA, gamma, opts));
}

/** L_MnM(π, q), paper Eq. 3 by default; `variant: 'gamma-weighted'` puts weight γ on log p/q. */
export function mnmObjective(mdp: TabularMDP, pi: Policy, q: Kernel, opts: EvalOptions & { variant?: MnMVariant } = {}): number {
  checkPolicy(pi, mdp.S, mdp.A);
  const variant = opts.variant ?? 'eq3';
  if (variant !== 'eq3' && variant !== 'gamma-weighted')
    throw new Error(`mnmObjective: unknown variant '${variant}' (expected eq3 or gamma-weighted)`);
  const { reward, gamma } = mdp;
  const w = variant === 'eq3' ? 1 : gamma;
  const kl = modelKL(mdp, q);
  const rt = new Float64Array(reward.length);
  for (let i = 0; i < rt.length; i++) {
    if (!(reward[i] > 0))
      throw new Error(`mnmObjective: reward of state ${Math.floor(i / mdp.A)}, action ${i % mdp.A} is ${reward[i]}; must be > 0`);
    rt[i] = (1 - gamma) * (Math.log(reward[i]) - Math.log(1 - gamma)) - w * kl[i];
  }
  return objectiveUnderModel(mdp.p0, q, pi, rt, gamma, opts);
}

/** L_VMBPO(π, q): the return plus log p/q, under q. With q = p it equals J(π). */
export function vmbpoObjective(mdp: TabularMDP, pi: Policy, q: Kernel, opts: EvalOptions = {}): number {
  checkPolicy(pi, mdp.S, mdp.A);
  const kl = modelKL(mdp, q);
  const rt = new Float64Array(mdp.reward.length);
  for (let i = 0; i < rt.length; i++) rt[i] = mdp.reward[i] - kl[i];
  return objectiveUnderModel(mdp.p0, q, pi, rt, mdp.gamma, opts);
}
