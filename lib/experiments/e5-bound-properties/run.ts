/**
 * E5 (Table 1): properties of the MnM bound (Eq. 2/3) on seeded random finite MDPs.
 *
 * "Holds globally": for random (MDP, π, q) triples (2–8 states, 1–3 actions, γ in (0.5, 0.99), sparse and
 * dense rows, rewards over four orders of magnitude, models from q = p to unrelated q on p's support),
 * L(π, q) ≤ log J(π), for the paper's Eq. 3 and the γ-weighted variant.
 * "Not tight at optimality" (Eq. 2 column of Table 1): at the joint optimum (π*, q*) found by exact MnM
 * value iteration, the gap log J(π*) − L(π*, q*) is measured on random MDPs with stochastic dynamics and
 * (at least 2 successors per (s, a)) and with deterministic dynamics (one successor per (s, a)), together with how far the bound's optimum
 * falls below the best achievable log J* and whether MnM's policy is return-optimal.
 */
import { rules } from '../../config';
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { dot } from '../../tabular/evaluate';
import { randomMDP, randomTriple } from '../../tabular/random-mdp';
import { logReturn, mnmObjective, optimisticModel, policyReturn, valueIteration } from '../../tabular/solve';
import { tightBound } from '../../tabular/tight-bound';

export const ID = 'e5-bound-properties';
/** Random triples and random MDPs solved to the optimum, per seed. */
export const E5_SIZES: Record<Scale, { triples: number; optima: number }> = {
  smoke: { triples: 400, optima: 60 },
  quick: { triples: 4000, optima: 400 },
  paper: { triples: 20000, optima: 2000 },
};

export interface E5Config {
  triples: number;
  optima: number;
}

export const E5_CONFIG = {
  defaults: (scale: Scale): E5Config => ({ ...E5_SIZES[scale] }),
  rules: { triples: rules.intAtLeast(1), optima: rules.intAtLeast(1) },
};

export type TripleRow = {
  seed: number;
  S: number;
  A: number;
  gamma: number;
  model: string;
  log_J: number;
  bound: number;
  bound_gamma_weighted: number;
  tight_bound: number;
  gap: number;
};
export type OptimumRow = {
  seed: number;
  dynamics: 'deterministic' | 'stochastic';
  S: number;
  A: number;
  gamma: number;
  constant_reward_path: boolean | null;
  bound_at_optimum: number;
  value_at_optimum: number;
  log_J_mnm_policy: number;
  log_J_star: number;
  gap_at_optimum: number;
  gap_to_best: number;
  tight_gap_at_optimum: number;
  return_ratio: number;
};
export type E5Tables = { triples: TripleRow[]; optima: OptimumRow[] };

export function runSeed(ctx: SeedContext<E5Config>): SeedResult<E5Tables> {
  const { triples: nT, optima: nO } = ctx.config;
  const triples: TripleRow[] = [];
  const rt = ctx.rng.fork('triples');
  for (let t = 0; t < nT; t++) {
    const { mdp, pi, q, modelKind } = randomTriple(rt);
    const logJ = logReturn(mdp, pi);
    const L = mnmObjective(mdp, pi, q);
    const Lg = mnmObjective(mdp, pi, q, { variant: 'gamma-weighted' });
    triples.push({
      seed: ctx.seed,
      S: mdp.S,
      A: mdp.A,
      gamma: mdp.gamma,
      model: modelKind,
      log_J: logJ,
      bound: L,
      bound_gamma_weighted: Lg,
      tight_bound: tightBound(mdp, pi, q),
      gap: logJ - L,
    });
    if (t % 500 === 0) ctx.progress(t, nT + nO, 'triples');
  }
  const optima: OptimumRow[] = [];
  const ro = ctx.rng.fork('optima');
  for (let t = 0; t < nO; t++) {
    const deterministic = t % 2 === 1;
    const S = 2 + ro.int(7);
    const A = 1 + ro.int(3);
    const gamma = ro.range(0.5, 0.95);
    const mdp = randomMDP(ro, { S, A, gamma, successors: deterministic ? 1 : 2 + ro.int(S - 1), start: 'single' });
    const mnm = valueIteration(mdp, 'mnm');
    const Lstar = mnmObjective(mdp, mnm.policy, optimisticModel(mdp, mnm.V));
    const Jm = policyReturn(mdp, mnm.policy);
    const best = valueIteration(mdp, 'return').policy;
    const Jstar = policyReturn(mdp, best);
    // Eq. 10 at the optimum: the return-optimal policy with q = p, and MnM's (π*, q*); the better of the two.
    const tightAtOptimum = Math.max(tightBound(mdp, best, mdp), tightBound(mdp, mnm.policy, optimisticModel(mdp, mnm.V)));
    optima.push({
      seed: ctx.seed,
      dynamics: deterministic ? 'deterministic' : 'stochastic',
      S,
      A,
      gamma,
      constant_reward_path: deterministic ? constantRewardPath(mdp, mnm.policy) : null,
      bound_at_optimum: Lstar,
      value_at_optimum: dot(mdp.p0, mnm.V),
      log_J_mnm_policy: Math.log(Jm),
      log_J_star: Math.log(Jstar),
      gap_at_optimum: Math.log(Jm) - Lstar,
      gap_to_best: Math.log(Jstar) - Lstar,
      tight_gap_at_optimum: Math.log(Jstar) - tightAtOptimum,
      return_ratio: Jm / Jstar,
    });
    if (t % 50 === 0) ctx.progress(nT + t, nT + nO, 'optima');
  }
  return { tables: { triples, optima } };
}

/** Deterministic dynamics: whether every step of π's path from the start (into its cycle) earns the same reward. */
function constantRewardPath(mdp: ReturnType<typeof randomMDP>, pi: Float64Array): boolean {
  const { A } = mdp;
  let s = mdp.p0.indexOf(1);
  let r0: number | null = null;
  for (let k = 0; k <= mdp.S; k++) {
    let a = 0;
    while (pi[s * A + a] !== 1) a++;
    const r = mdp.reward[s * A + a];
    if (r0 === null) r0 = r;
    else if (r !== r0) return false;
    s = mdp.next[mdp.rowStart[s * A + a]];
  }
  return true;
}
