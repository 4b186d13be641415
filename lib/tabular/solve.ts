/**
 * Exact solvers: value iteration with the three backups, greedy policies, the optimistic model, and the
 * value of a fixed policy under its best model. The formulas (MATH.md, "Exact maximisation over q"):
 *
 *   return: Q(s,a) = r(s,a)                        + γ E_{p(s'|s,a)}[V(s')]
 *   MnM:    Q(s,a) = (1−γ)(log r(s,a) − log(1−γ)) + log E_{p(s'|s,a)}[exp(γ V(s'))]
 *   VMBPO:  Q(s,a) = r(s,a)                        + log E_{p(s'|s,a)}[exp(γ V(s'))]
 *   V(s) = max_a Q(s,a);   the maximising model is q*(s'|s,a) ∝ p(s'|s,a) exp(γ V(s')).
 *
 * log E exp(γV) is computed stably: with m = γ max V, take e(s) = exp(γV(s) − m) once per state per sweep,
 * then log of max_a [exp(c − c_max) Σ p e] + c_max + m once per state (see PreparedBackup); a row whose
 * terms all underflow is redone with its own maximum. The sweep (sweepValues) runs over per-state blocks
 * (StateBlocks) when the actions of a state share their successors, else over the CSR rows, and allocates
 * nothing. Q is materialised only at the end (or every sweep when onSweep asks for it).
 */
import { checkPolicy, type EvalOptions } from './evaluate';
import type { Kernel, Policy, TabularMDP } from './mdp';

export { evaluatePolicy, policyReturn, logReturn, returnMoments, evaluateKernel } from './evaluate';
export { mnmObjective, vmbpoObjective, modelKL, type MnMVariant } from './objectives';

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

/**
 * What a backup needs besides V, precomputed once: the constant c(s,a) (`base`) and, for the soft backups,
 * exp(c(s,a) − max_a c(s,a)) (`expBase`) with that maximum (`baseMax`). Since log is increasing,
 * max_a [c + log Σ p e] = log max_a [exp(c − c_max) Σ p e] + c_max: one log per state per sweep, not one per
 * (s, a); the exponent is ≤ 0, so nothing overflows.
 */
export interface PreparedBackup {
  backup: Backup | 'custom';
  soft: boolean;
  base: Float64Array;
  expBase: Float64Array;
  baseMax: Float64Array;
  /** The kernel regrouped per state (see StateBlocks), or null when that would store many zeros. */
  blocks: StateBlocks | null;
}

/**
 * A kernel regrouped per state: the union U_s of the successors of all actions of s (`succ`, from
 * `start[s]`), then a |U_s|×A block of probabilities, successor-major (`prob[A·(start[s] + j) + a]` =
 * p(U_s[j] | s, a)). A sweep then reads each successor's value once per state and adds it into A
 * independent accumulators, instead of reading it once per (s, a). When the actions of a state share their
 * successors (gridworlds: all of them), this stores exactly the kernel's entries and nothing more.
 */
export interface StateBlocks {
  start: Int32Array;
  succ: Int32Array;
  prob: Float64Array;
  maxUnion: number;
  /** Scratch for one state's A accumulators (so the sweep allocates nothing). */
  acc: Float64Array;
}

/** Builds StateBlocks, or returns null if the blocks would hold more than `maxFill` × the kernel's entries. */
export function stateBlocks(k: Kernel, maxFill = 1.25): StateBlocks | null {
  const { S, A, rowStart, next } = k;
  const mark = new Int32Array(S).fill(-1);
  const start = new Int32Array(S + 1);
  let total = 0;
  let maxUnion = 0;
  for (let s = 0; s < S; s++) {
    start[s] = total;
    let n = 0;
    for (let k2 = rowStart[s * A]; k2 < rowStart[(s + 1) * A]; k2++) {
      if (mark[next[k2]] !== s) {
        mark[next[k2]] = s;
        n++;
      }
    }
    total += n;
    if (n > maxUnion) maxUnion = n;
  }
  start[S] = total;
  if (total * A > maxFill * next.length) return null;
  const succ = new Int32Array(total);
  const prob = new Float64Array(total * A);
  const slot = new Int32Array(S);
  mark.fill(-1);
  for (let s = 0; s < S; s++) {
    const u0 = start[s];
    let j = 0;
    for (let k2 = rowStart[s * A]; k2 < rowStart[(s + 1) * A]; k2++) {
      const t = next[k2];
      if (mark[t] !== s) {
        mark[t] = s;
        slot[t] = j;
        succ[u0 + j++] = t;
      }
    }
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      for (let k2 = rowStart[i]; k2 < rowStart[i + 1]; k2++) prob[A * (u0 + slot[next[k2]]) + a] += k.prob[k2];
    }
  }
  return { start, succ, prob, maxUnion, acc: new Float64Array(A) };
}

/** 'auto': StateBlocks when they store few zeros, else CSR rows; the answer is the same either way. */
export type SweepLayout = 'auto' | 'csr' | 'blocks';

export function prepareBackup(mdp: TabularMDP, backup: Backup, layout: SweepLayout = 'auto'): PreparedBackup {
  checkBackup(backup);
  return prepareCustomBackup(mdp, backupBase(mdp, backup), backup !== 'return', backup, layout);
}

/** A backup with any constant c(s,a): soft = c + log E_p exp(γV) (e.g. Eq. 5's log r), else c + γ E_p V. */
export function prepareCustomBackup(
  mdp: Kernel,
  base: Float64Array,
  soft: boolean,
  backup: Backup | 'custom' = 'custom',
  layout: SweepLayout = 'auto',
): PreparedBackup {
  if (layout !== 'auto' && layout !== 'csr' && layout !== 'blocks')
    throw new Error(`unknown sweep layout '${layout}' (expected auto, csr or blocks)`);
  const { S, A } = mdp;
  if (base.length !== S * A) throw new Error(`backup constant has ${base.length} entries, expected ${S}×${A} = ${S * A}`);
  const expBase = new Float64Array(soft ? S * A : 0);
  const baseMax = new Float64Array(soft ? S : 0);
  if (soft) {
    for (let s = 0; s < S; s++) {
      let mx = -Infinity;
      for (let a = 0; a < A; a++) if (base[s * A + a] > mx) mx = base[s * A + a];
      baseMax[s] = mx;
      for (let a = 0; a < A; a++) expBase[s * A + a] = Math.exp(base[s * A + a] - mx);
    }
  }
  const blocks = layout === 'csr' ? null : stateBlocks(mdp, layout === 'blocks' ? Infinity : 1.25);
  return { backup, soft, base, expBase, baseMax, blocks };
}

/**
 * One value-iteration sweep, V' = max_a Q(s, a) from V (into Vout); returns ‖V' − V‖∞. `e` is scratch of
 * length S. Allocation-free; exported so that the benchmark times exactly this loop.
 */
export function sweepValues(
  mdp: Kernel & { gamma: number },
  prep: PreparedBackup,
  V: Float64Array,
  Vout: Float64Array,
  e: Float64Array,
): number {
  const S = mdp.S;
  const A = mdp.A;
  const rowStart = mdp.rowStart;
  const next = mdp.next;
  const prob = mdp.prob;
  const gamma = mdp.gamma;
  const base = prep.base;
  if (prep.blocks) return sweepBlocks(S, A, gamma, prep, prep.blocks, mdp, V, Vout, e);
  let diff = 0;
  if (!prep.soft) {
    for (let s = 0; s < S; s++) {
      let best = -Infinity;
      for (let i = s * A, iEnd = i + A; i < iEnd; i++) {
        let acc = 0;
        for (let k = rowStart[i], end = rowStart[i + 1]; k < end; k++) acc += prob[k] * V[next[k]];
        const q = base[i] + gamma * acc;
        if (q > best) best = q;
      }
      Vout[s] = best;
      const d = best > V[s] ? best - V[s] : V[s] - best;
      if (d > diff) diff = d;
    }
    return diff;
  }
  const expBase = prep.expBase;
  const baseMax = prep.baseMax;
  let vmax = -Infinity;
  for (let s = 0; s < S; s++) if (V[s] > vmax) vmax = V[s];
  const m = gamma * vmax;
  for (let s = 0; s < S; s++) e[s] = Math.exp(gamma * V[s] - m);
  for (let s = 0; s < S; s++) {
    let best = 0;
    for (let i = s * A, iEnd = i + A; i < iEnd; i++) {
      let acc = 0;
      for (let k = rowStart[i], end = rowStart[i + 1]; k < end; k++) acc += prob[k] * e[next[k]];
      const t = expBase[i] * acc;
      if (t > best) best = t;
    }
    // best = 0 only if every successor underflowed under the global shift: redo this state per row.
    const v = best > 0 ? Math.log(best) + baseMax[s] + m : softStateValue(mdp, base, V, s);
    Vout[s] = v;
    const d = v > V[s] ? v - V[s] : V[s] - v;
    if (d > diff) diff = d;
  }
  return diff;
}

/**
 * sweepValues over StateBlocks: per state, one pass over its successors, each value read once and added
 * into A accumulators (four locals when A = 4, the gridworlds; a scratch array otherwise).
 */
function sweepBlocks(
  S: number,
  A: number,
  gamma: number,
  prep: PreparedBackup,
  blocks: StateBlocks,
  mdp: Kernel & { gamma: number },
  V: Float64Array,
  Vout: Float64Array,
  e: Float64Array,
): number {
  const soft = prep.soft;
  let m = 0;
  let src = V;
  if (soft) {
    let vmax = -Infinity;
    for (let s = 0; s < S; s++) if (V[s] > vmax) vmax = V[s];
    m = gamma * vmax;
    for (let s = 0; s < S; s++) e[s] = Math.exp(gamma * V[s] - m);
    src = e;
  }
  const start = blocks.start;
  const succ = blocks.succ;
  const bp = blocks.prob;
  const base = prep.base;
  const expBase = prep.expBase;
  const baseMax = prep.baseMax;
  const acc = blocks.acc;
  let diff = 0;
  for (let s = 0; s < S; s++) {
    const u0 = start[s];
    const u1 = start[s + 1];
    const i = s * A;
    let best: number;
    if (A === 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let j = u0, p = 4 * u0; j < u1; j++, p += 4) {
        const x = src[succ[j]];
        a0 += bp[p] * x;
        a1 += bp[p + 1] * x;
        a2 += bp[p + 2] * x;
        a3 += bp[p + 3] * x;
      }
      if (soft) {
        best = expBase[i] * a0;
        let t = expBase[i + 1] * a1;
        if (t > best) best = t;
        t = expBase[i + 2] * a2;
        if (t > best) best = t;
        t = expBase[i + 3] * a3;
        if (t > best) best = t;
      } else {
        best = base[i] + gamma * a0;
        let t = base[i + 1] + gamma * a1;
        if (t > best) best = t;
        t = base[i + 2] + gamma * a2;
        if (t > best) best = t;
        t = base[i + 3] + gamma * a3;
        if (t > best) best = t;
      }
    } else {
      acc.fill(0);
      for (let j = u0, p = A * u0; j < u1; j++, p += A) {
        const x = src[succ[j]];
        for (let a = 0; a < A; a++) acc[a] += bp[p + a] * x;
      }
      best = soft ? 0 : -Infinity;
      for (let a = 0; a < A; a++) {
        const t = soft ? expBase[i + a] * acc[a] : base[i + a] + gamma * acc[a];
        if (t > best) best = t;
      }
    }
    // Soft: best = 0 only if every successor underflowed under the global shift; redo this state per row.
    const v = !soft ? best : best > 0 ? Math.log(best) + baseMax[s] + m : softStateValue(mdp, base, V, s);
    Vout[s] = v;
    const d = v > V[s] ? v - V[s] : V[s] - v;
    if (d > diff) diff = d;
  }
  return diff;
}

function softStateValue(mdp: Kernel & { gamma: number }, base: Float64Array, V: Float64Array, s: number): number {
  let best = -Infinity;
  for (let i = s * mdp.A; i < (s + 1) * mdp.A; i++) {
    const q = base[i] + rowLogSumExp(mdp.rowStart[i], mdp.rowStart[i + 1], mdp.next, mdp.prob, V, mdp.gamma);
    if (q > best) best = q;
  }
  return best;
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
  e: Float64Array,
): number {
  void e; // kept for callers of the earlier signature
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

/** log Σ_k p_k exp(γ V[next_k]) with the row's own maximum (used when the global shift underflows). */
function rowLogSumExp(lo: number, hi: number, next: Int32Array, prob: Float64Array, V: Float64Array, gamma: number): number {
  let mx = -Infinity;
  for (let k = lo; k < hi; k++) if (prob[k] > 0 && gamma * V[next[k]] > mx) mx = gamma * V[next[k]];
  let acc = 0;
  for (let k = lo; k < hi; k++) if (prob[k] > 0) acc += prob[k] * Math.exp(gamma * V[next[k]] - mx);
  return Math.log(acc) + mx;
}

/** Value iteration from V0 (default 0) until the sup-norm change is below tol. */
export function valueIteration(mdp: TabularMDP, backup: Backup, opts: ValueIterationOptions = {}): ValueIterationResult {
  const prep = prepareBackup(mdp, backup, opts.layout);
  const { S, A } = mdp;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 1_000_000;
  if (!(tol > 0)) throw new Error(`valueIteration: tol must be > 0, got ${tol}`);
  let V = new Float64Array(S);
  if (opts.V0 !== undefined) {
    if (opts.V0.length !== S) throw new Error(`valueIteration: V0 has ${opts.V0.length} entries, expected ${S}`);
    for (let s = 0; s < S; s++) {
      if (!Number.isFinite(opts.V0[s])) throw new Error(`valueIteration: V0[${s}] is ${opts.V0[s]}; must be finite`);
      V[s] = opts.V0[s];
    }
  }
  let Vn = new Float64Array(S);
  const Q = new Float64Array(S * A);
  const e = new Float64Array(S);
  for (let it = 1; it <= maxIter; it++) {
    // Q is only materialised when someone looks at it (it costs a log per (s, a) in the soft backups).
    if (opts.onSweep) backupQ(mdp, prep, V, Q);
    const change = sweepValues(mdp, prep, V, Vn, e);
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
