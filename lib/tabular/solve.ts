/**
 * Exact solvers: value iteration with the three backups, greedy policies, the optimistic model, and the
 * value of a fixed policy under its best model. The formulas (docs/MATH.md, "Exact maximisation over q"):
 *
 *   return: Q(s,a) = r(s,a)                        + γ E_{p(s'|s,a)}[V(s')]
 *   MnM:    Q(s,a) = (1−γ)(log r(s,a) − log(1−γ)) + log E_{p(s'|s,a)}[exp(γ V(s'))]
 *   VMBPO:  Q(s,a) = r(s,a)                        + log E_{p(s'|s,a)}[exp(γ V(s'))]
 *   V(s) = max_a Q(s,a);   the maximising model is q*(s'|s,a) ∝ p(s'|s,a) exp(γ V(s')).
 *
 * backupQ below computes Q exactly as written (a log-sum-exp per (s, a)). Value iteration needs only V, and
 * its sweeps run in sweep-kernels.ts: the same numbers with one exp and one log per state, over a layout
 * that reads each successor once per state (see there); sweep-pool.ts splits a sweep over threads.
 */
import { checkPolicy, type EvalOptions } from './evaluate';
import type { Kernel, Policy, TabularMDP } from './mdp';
import {
  prepareSweep,
  rowLogSumExp,
  serialSweeps,
  sharedFloat64,
  type PreparedBackup,
  type SweepLayout,
  type SweepRunner,
} from './sweep-kernels';

export { evaluatePolicy, policyReturn, logReturn, returnMoments, evaluateKernel } from './evaluate';
export { mnmObjective, vmbpoObjective, modelKL, type MnMVariant } from './objectives';
export { stateBlocks, sweepValues, type PreparedBackup, type StateBlocks, type SweepLayout, type SweepRunner } from './sweep-kernels';

export type Backup = 'return' | 'mnm' | 'vmbpo';
export const BACKUPS: readonly Backup[] = ['return', 'mnm', 'vmbpo'];

export interface ValueIterationOptions {
  /** Starting values (default 0). */
  V0?: ArrayLike<number>;
  /** Stop when the sup-norm change of one sweep is below tol (default 1e-10). */
  tol?: number;
  maxIter?: number;
  /** Memory layout of the sweep (default 'auto'). */
  layout?: SweepLayout;
  /** Who runs the sweeps (default: this thread; a SweepPool from sweep-pool.ts spreads them over threads). */
  runner?: SweepRunner;
  /** Called after every sweep with the new V and Q (views reused by the next sweep: copy to keep). */
  onSweep?: (iteration: number, V: Float64Array, Q: Float64Array, change: number) => void;
}

export interface ValueIterationResult {
  V: Float64Array;
  /** Q of the last sweep (computed from the previous V). */
  Q: Float64Array;
  /** The greedy deterministic policy of Q. */
  policy: Policy;
  iterations: number;
  /** Sup-norm change of the last sweep. */
  change: number;
}

export function checkBackup(backup: string): Backup {
  if (!(BACKUPS as readonly string[]).includes(backup))
    throw new Error(`unknown backup '${backup}' (expected one of ${BACKUPS.join(', ')})`);
  return backup as Backup;
}

/** The per-(s, a) constant of a backup: r for return and VMBPO, (1−γ)(log r − log(1−γ)) for MnM. */
export function backupBase(mdp: TabularMDP, backup: Backup): Float64Array {
  const { reward, gamma } = mdp;
  const base = new Float64Array(reward.length);
  for (let i = 0; i < reward.length; i++) {
    if (backup === 'mnm') {
      if (!(reward[i] > 0))
        throw new Error(`mnm backup: reward of state ${Math.floor(i / mdp.A)}, action ${i % mdp.A} is ${reward[i]}; must be > 0`);
      base[i] = (1 - gamma) * (Math.log(reward[i]) - Math.log(1 - gamma));
    } else base[i] = reward[i];
  }
  return base;
}

/** Precomputes a backup for value-iteration sweeps (its constant c, and the layout: see sweep-kernels.ts). */
export function prepareBackup(mdp: TabularMDP, backup: Backup, layout: SweepLayout = 'auto'): PreparedBackup {
  checkBackup(backup);
  return prepareSweep(mdp, backupBase(mdp, backup), backup !== 'return', backup, layout);
}

/** A backup with any constant c(s,a): soft = c + log E_p exp(γV) (e.g. Eq. 5's log r), else c + γ E_p V. */
export function prepareCustomBackup(
  mdp: Kernel,
  base: Float64Array,
  soft: boolean,
  backup: Backup | 'custom' = 'custom',
  layout: SweepLayout = 'auto',
): PreparedBackup {
  return prepareSweep(mdp, base, soft, backup, layout);
}

/**
 * One sweep that also fills Q (a log per (s, a) in the soft backups): Q from V, V' = max_a Q into Vout;
 * returns ‖V' − V‖∞. `soft` selects c + log E_p exp(γV) over c + γ E_p V. Slower than sweepValues.
 */
export function sweep(
  mdp: Kernel & { gamma: number },
  soft: boolean,
  base: Float64Array,
  V: Float64Array,
  Vout: Float64Array,
  Q: Float64Array,
): number {
  backupQ(mdp, { soft, base }, V, Q);
  const { S, A } = mdp;
  let diff = 0;
  for (let s = 0; s < S; s++) {
    let best = -Infinity;
    for (let i = s * A; i < (s + 1) * A; i++) if (Q[i] > best) best = Q[i];
    Vout[s] = best;
    const d = Math.abs(best - V[s]);
    if (d > diff) diff = d;
  }
  return diff;
}

/** Q(s, a) of one backup from V, for every (s, a) (into Q). */
export function backupQ(
  mdp: Kernel & { gamma: number },
  prep: { soft: boolean; base: Float64Array },
  V: Float64Array,
  Q: Float64Array,
): void {
  const { S, A, rowStart, next, prob, gamma } = mdp;
  for (let i = 0; i < S * A; i++) {
    if (prep.soft) Q[i] = prep.base[i] + rowLogSumExp(rowStart[i], rowStart[i + 1], next, prob, V, gamma);
    else {
      let acc = 0;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) acc += prob[k] * V[next[k]];
      Q[i] = prep.base[i] + gamma * acc;
    }
  }
}

/** Value iteration from V0 (default 0) until the sup-norm change is below tol. */
export function valueIteration(mdp: TabularMDP, backup: Backup, opts: ValueIterationOptions = {}): ValueIterationResult {
  const prep = prepareBackup(mdp, backup, opts.layout);
  const { S, A } = mdp;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 1_000_000;
  if (!(tol > 0)) throw new Error(`valueIteration: tol must be > 0, got ${tol}`);
  let V = sharedFloat64(S);
  if (opts.V0 !== undefined) {
    if (opts.V0.length !== S) throw new Error(`valueIteration: V0 has ${opts.V0.length} entries, expected ${S}`);
    for (let s = 0; s < S; s++) {
      if (!Number.isFinite(opts.V0[s])) throw new Error(`valueIteration: V0[${s}] is ${opts.V0[s]}; must be finite`);
      V[s] = opts.V0[s];
    }
  }
  let Vn = sharedFloat64(S);
  const Q = new Float64Array(S * A);
  const e = sharedFloat64(S);
  const runner = opts.runner ?? serialSweeps;
  try {
    for (let it = 1; it <= maxIter; it++) {
      // Q is only materialised when someone looks at it (it costs a log per (s, a) in the soft backups).
      if (opts.onSweep) backupQ(mdp, prep, V, Q);
      const change = runner.sweep(mdp, prep, V, Vn, e);
      const t = V;
      V = Vn;
      Vn = t;
      opts.onSweep?.(it, V, Q, change);
      if (!Number.isFinite(change)) throw new Error(`valueIteration (${backup}): values became non-finite at sweep ${it}`);
      if (change < tol) {
        if (!opts.onSweep) backupQ(mdp, prep, Vn, Q); // Vn is now the V this last sweep started from
        return { V, Q, policy: greedyPolicy(Q, S, A), iterations: it, change };
      }
    }
  } finally {
    runner.finish?.(); // a pool's threads are free for the next solve
  }
  throw new Error(`valueIteration (${backup}): no convergence to ${tol} in ${maxIter} sweeps`);
}

/**
 * The optimism bonus of the soft backups at (s, a): log E_p[exp(γV(s'))] − γ E_p[V(s')] ≥ 0 (Jensen). It is
 * what optimising the model adds over the plain expectation, and it grows with the spread of V over the
 * successors (about γ²·Var_p V / 2 when the spread is small).
 */
export function optimismBonus(mdp: TabularMDP, V: ArrayLike<number>, s: number, a: number): number {
  const { S, A, rowStart, next, prob, gamma } = mdp;
  if (V.length !== S) throw new Error(`optimismBonus: V has ${V.length} entries, expected ${S}`);
  if (!(Number.isInteger(s) && s >= 0 && s < S && Number.isInteger(a) && a >= 0 && a < A))
    throw new Error(`optimismBonus: (s, a) = (${s}, ${a}) out of range`);
  const i = s * A + a;
  let mean = 0;
  for (let k = rowStart[i]; k < rowStart[i + 1]; k++) mean += prob[k] * V[next[k]];
  return rowLogSumExp(rowStart[i], rowStart[i + 1], next, prob, V as Float64Array, gamma) - gamma * mean;
}

/** The deterministic policy taking argmax_a Q(s, a) (the first on ties). */
export function greedyPolicy(Q: ArrayLike<number>, S: number, A: number): Policy {
  if (Q.length !== S * A) throw new Error(`greedyPolicy: Q has ${Q.length} entries, expected ${S}×${A} = ${S * A}`);
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    let best = 0;
    for (let a = 1; a < A; a++) if (Q[s * A + a] > Q[s * A + best]) best = a;
    pi[s * A + best] = 1;
  }
  return pi;
}

/** The optimistic model q*(s'|s,a) ∝ p(s'|s,a) exp(γ V(s')), on p's support. */
export function optimisticModel(mdp: TabularMDP, V: ArrayLike<number>): Kernel {
  const { S, A, rowStart, next, prob, gamma } = mdp;
  if (V.length !== S) throw new Error(`optimisticModel: V has ${V.length} entries, expected ${S}`);
  const q = new Float64Array(prob.length);
  for (let i = 0; i < S * A; i++) {
    const lo = rowStart[i];
    const hi = rowStart[i + 1];
    let mx = -Infinity;
    for (let k = lo; k < hi; k++) if (prob[k] > 0 && gamma * V[next[k]] > mx) mx = gamma * V[next[k]];
    let z = 0;
    for (let k = lo; k < hi; k++) {
      q[k] = prob[k] > 0 ? prob[k] * Math.exp(gamma * V[next[k]] - mx) : 0;
      z += q[k];
    }
    for (let k = lo; k < hi; k++) q[k] /= z;
  }
  return { S, A, rowStart, next, prob: q };
}

/**
 * The value of a FIXED policy under its best model, max_q L(π, q), per state: the fixed point of
 * V(s) = Σ_a π(a|s) [c(s,a) + log E_p exp(γ V(s'))] with c the MnM or VMBPO constant. Its best model is
 * optimisticModel(mdp, V). Iterated (a γ-contraction) until the change is below tol.
 */
export function bestModelValue(mdp: TabularMDP, pi: Policy, backup: 'mnm' | 'vmbpo', opts: EvalOptions = {}): Float64Array {
  checkPolicy(pi, mdp.S, mdp.A);
  const { S, A, rowStart, next, prob, gamma } = mdp;
  const base = backupBase(mdp, backup);
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 1_000_000;
  let V = new Float64Array(S);
  let Vn = new Float64Array(S);
  const e = new Float64Array(S);
  for (let it = 1; it <= maxIter; it++) {
    let vmax = -Infinity;
    for (let s = 0; s < S; s++) if (V[s] > vmax) vmax = V[s];
    const m = gamma * vmax;
    for (let s = 0; s < S; s++) e[s] = Math.exp(gamma * V[s] - m);
    let diff = 0;
    let scale = 1;
    for (let s = 0; s < S; s++) {
      let v = 0;
      for (let a = 0, i = s * A; a < A; a++, i++) {
        const w = pi[i];
        if (!(w > 0)) continue;
        let acc = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) acc += prob[k] * e[next[k]];
        const lse = acc > 0 ? Math.log(acc) + m : rowLogSumExp(rowStart[i], rowStart[i + 1], next, prob, V, gamma);
        v += w * (base[i] + lse);
      }
      Vn[s] = v;
      const d = Math.abs(v - V[s]);
      if (d > diff) diff = d;
      if (Math.abs(v) > scale) scale = Math.abs(v);
    }
    const t = V;
    V = Vn;
    Vn = t;
    if (diff / (1 - gamma) <= tol * scale) return V;
  }
  throw new Error(`bestModelValue (${backup}): no convergence to ${tol} in ${maxIter} sweeps`);
}
