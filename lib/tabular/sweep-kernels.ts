/**
 * The allocation-free loops behind value iteration (solve.ts states the mathematics). One sweep computes,
 * for every state, V'(s) = max_a Q(s, a) from V, with Q of one backup:
 *
 *   hard (return):      Q = c(s,a) + γ Σ p V(s')
 *   soft (MnM, VMBPO):  Q = c(s,a) + log Σ p exp(γ V(s'))
 *
 * Soft backups are computed stably and with one exp and one log per state: with m = γ max V, e(s) =
 * exp(γ V(s) − m) once per state, then V'(s) = log max_a [exp(c − c_max) Σ p e] + c_max + m (log is
 * increasing; the exponent c − c_max is ≤ 0, so nothing overflows). A state whose terms all underflow is
 * redone with each row's own maximum.
 *
 * Layout. The kernel is regrouped per state (StateBlocks): the union U_s of the successors of all actions
 * of s, then a |U_s|×A block of probabilities. A sweep reads each successor's value once per state and adds
 * it into A accumulators. Identical blocks are stored once (a gridworld has about ten distinct ones: the
 * interior, the edges, the corners, the goal), so the probabilities stay in the cache whatever the size.
 * When the blocks would store many zeros (actions with disjoint successors), the sweep runs over the
 * kernel's compressed rows instead. The answer is the same, bit for bit, either way.
 *
 * Every loop here works on a range of states [s0, s1), so that sweep-pool.ts can split a sweep over threads
 * and get the same numbers as one thread.
 */
import type { Kernel } from './mdp';

/** 'auto': StateBlocks when they store few zeros, else compressed rows; the answer is the same either way. */
export type SweepLayout = 'auto' | 'csr' | 'blocks';

/**
 * A kernel regrouped per state: the successors U_s of state s are `succ[start[s] .. start[s+1])`, and
 * p(U_s[j] | s, a) = `table[pattern[s] + A·j + a]`. States with identical blocks share one pattern.
 */
export interface StateBlocks {
  start: Int32Array;
  succ: Int32Array;
  pattern: Int32Array;
  table: Float64Array;
  /** Number of distinct blocks stored. */
  patterns: number;
}

/**
 * What a sweep needs besides V, precomputed once: the constant c(s,a) (`base`), its maximum over actions
 * (`baseMax`) and, for the soft backups, exp(c(s,a) − max_a c(s,a)) (`expBase`), and the layout. When c does
 * not depend on the action (`uniform`: the reward is a function of the state, as in every gridworld), a
 * sweep takes max_a of the sums alone and adds c(s) once: the same numbers, since rounding is monotone,
 * with less to read; then `expBase` is empty.
 */
export interface PreparedBackup {
  backup: string;
  soft: boolean;
  uniform: boolean;
  base: Float64Array;
  expBase: Float64Array;
  baseMax: Float64Array;
  /** The kernel regrouped per state, or null when that would store many zeros (then: compressed rows). */
  blocks: StateBlocks | null;
  /** Scratch for one state's A accumulators (so that a sweep allocates nothing). */
  acc: Float64Array;
}

/** Who runs a whole sweep: this thread (sweepValues) or a pool of threads (sweep-pool.ts); same answer. */
export interface SweepRunner {
  sweep(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): number;
  /** Called when a solve ends (a pool releases its threads for the next one). */
  finish?(): void;
}

/** Shared memory where the platform has it (so sweep-pool.ts threads can read it without a copy). */
export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(8 * n) : new ArrayBuffer(8 * n));
}
function sharedInt32(n: number): Int32Array {
  return new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
}

/** Builds StateBlocks, or returns null if the blocks would hold more than `maxFill` × the kernel's entries. */
export function stateBlocks(k: Kernel, maxFill = 1.25): StateBlocks | null {
  const { S, A, rowStart, next, prob } = k;
  const mark = new Int32Array(S).fill(-1);
  const start = sharedInt32(S + 1);
  let maxUnion = 0;
  for (let s = 0; s < S; s++) {
    let n = 0;
    for (let k2 = rowStart[s * A]; k2 < rowStart[(s + 1) * A]; k2++) {
      if (mark[next[k2]] !== s) {
        mark[next[k2]] = s;
        n++;
      }
    }
    start[s + 1] = start[s] + n;
    if (n > maxUnion) maxUnion = n;
  }
  if (start[S] * A > maxFill * next.length) return null;
  const succ = sharedInt32(start[S]);
  const pattern = sharedInt32(S);
  const slot = new Int32Array(S);
  const block = new Float64Array(maxUnion * A);
  const bits = new Uint32Array(block.buffer);
  // Distinct blocks, found through a hash of their bits; `table` grows as new ones appear.
  let table = new Float64Array(Math.min(1 << 12, start[S] * A));
  let used = 0;
  const firstWithHash = new Map<number, number>();
  const sameHashNext: number[] = [];
  const offsets: number[] = [];
  const sizes: number[] = [];
  mark.fill(-1);
  for (let s = 0; s < S; s++) {
    const u0 = start[s];
    const n = start[s + 1] - u0;
    for (let k2 = rowStart[s * A], j = 0; k2 < rowStart[(s + 1) * A]; k2++) {
      const t = next[k2];
      if (mark[t] !== s) {
        mark[t] = s;
        slot[t] = j;
        succ[u0 + j++] = t;
      }
    }
    const size = n * A;
    block.fill(0, 0, size);
    for (let i = s * A; i < (s + 1) * A; i++) {
      for (let k2 = rowStart[i]; k2 < rowStart[i + 1]; k2++) block[A * slot[next[k2]] + (i - s * A)] += prob[k2];
    }
    let h = n;
    for (let j = 0; j < 2 * size; j++) h = Math.imul(h ^ bits[j], 0x9e3779b1);
    let id = firstWithHash.get(h) ?? -1;
    while (id >= 0 && !(sizes[id] === size && sameBlock(table, offsets[id], block, size))) id = sameHashNext[id];
    if (id < 0) {
      if (used + size > table.length) {
        const grown = new Float64Array(Math.max(2 * table.length, used + size));
        grown.set(table);
        table = grown;
      }
      table.set(block.subarray(0, size), used);
      id = offsets.length;
      offsets.push(used);
      sizes.push(size);
      sameHashNext.push(firstWithHash.get(h) ?? -1);
      firstWithHash.set(h, id);
      used += size;
    }
    pattern[s] = offsets[id];
  }
  const shared = sharedFloat64(used);
  shared.set(table.subarray(0, used));
  return { start, succ, pattern, table: shared, patterns: offsets.length };
}

function sameBlock(table: Float64Array, offset: number, block: Float64Array, size: number): boolean {
  for (let j = 0; j < size; j++) if (!Object.is(table[offset + j], block[j])) return false;
  return true;
}

/** Precomputes a backup with constant c(s,a) = `base`: soft = c + log E_p exp(γV), else c + γ E_p V. */
export function prepareSweep(kernel: Kernel, base: Float64Array, soft: boolean, backup: string, layout: SweepLayout): PreparedBackup {
  if (layout !== 'auto' && layout !== 'csr' && layout !== 'blocks')
    throw new Error(`unknown sweep layout '${layout}' (expected auto, csr or blocks)`);
  const { S, A } = kernel;
  if (base.length !== S * A) throw new Error(`backup constant has ${base.length} entries, expected ${S}×${A} = ${S * A}`);
  const baseMax = sharedFloat64(S);
  let uniform = true;
  for (let s = 0; s < S; s++) {
    let mx = -Infinity;
    for (let a = 0; a < A; a++) if (base[s * A + a] > mx) mx = base[s * A + a];
    baseMax[s] = mx;
    for (let a = 0; a < A; a++) if (base[s * A + a] !== mx) uniform = false;
  }
  // The threads of sweep-pool.ts read `base` only when it varies with the action: share it only then.
  const sharedBase = uniform ? base : sharedFloat64(S * A);
  if (!uniform) sharedBase.set(base);
  const expBase = sharedFloat64(soft && !uniform ? S * A : 0);
  if (expBase.length) for (let i = 0; i < S * A; i++) expBase[i] = Math.exp(base[i] - baseMax[Math.floor(i / A)]);
  const blocks = layout === 'csr' ? null : stateBlocks(kernel, layout === 'blocks' ? Infinity : 1.25);
  return { backup, soft, uniform, base: sharedBase, expBase, baseMax, blocks, acc: new Float64Array(A) };
}

/** The shift m = γ max V and e(s) = exp(γ V(s) − m) for s in [s0, s1) (soft backups). */
export function expShifted(V: Float64Array, gamma: number, m: number, e: Float64Array, s0: number, s1: number): void {
  for (let s = s0; s < s1; s++) e[s] = Math.exp(gamma * V[s] - m);
}

export function maxOf(V: Float64Array, s0: number, s1: number): number {
  let mx = -Infinity;
  for (let s = s0; s < s1; s++) if (V[s] > mx) mx = V[s];
  return mx;
}

/**
 * One sweep over the states [s0, s1): V'(s) into Vout; returns ‖V' − V‖∞ over the range. `src` is V for the
 * hard backup, e (see expShifted, with shift m) for the soft ones. `acc` is scratch of length A.
 */
export function sweepStates(
  kernel: Kernel,
  gamma: number,
  prep: PreparedBackup,
  V: Float64Array,
  src: Float64Array,
  m: number,
  Vout: Float64Array,
  s0: number,
  s1: number,
  acc: Float64Array,
): number {
  const blocks = prep.blocks;
  if (!blocks) return sweepRows(kernel, gamma, prep, V, src, m, Vout, s0, s1);
  const A = kernel.A;
  const { start, succ, pattern, table } = blocks;
  const soft = prep.soft;
  const uniform = prep.uniform;
  const base = prep.base;
  const expBase = prep.expBase;
  const baseMax = prep.baseMax;
  let diff = 0;
  for (let s = s0; s < s1; s++) {
    const u1 = start[s + 1];
    const i = s * A;
    let best: number;
    if (A === 4) {
      // Gridworlds: four accumulators in locals.
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      for (let j = start[s], p = pattern[s]; j < u1; j++, p += 4) {
        const x = src[succ[j]];
        a0 += table[p] * x;
        a1 += table[p + 1] * x;
        a2 += table[p + 2] * x;
        a3 += table[p + 3] * x;
      }
      if (uniform) {
        best = a0 > a1 ? a0 : a1;
        const b23 = a2 > a3 ? a2 : a3;
        if (b23 > best) best = b23;
        if (!soft) best = baseMax[s] + gamma * best;
      } else if (soft) {
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
      for (let j = start[s], p = pattern[s]; j < u1; j++, p += A) {
        const x = src[succ[j]];
        for (let a = 0; a < A; a++) acc[a] += table[p + a] * x;
      }
      best = soft ? 0 : -Infinity;
      for (let a = 0; a < A; a++) {
        const t = uniform ? (soft ? acc[a] : baseMax[s] + gamma * acc[a]) : soft ? expBase[i + a] * acc[a] : base[i + a] + gamma * acc[a];
        if (t > best) best = t;
      }
    }
    // Soft: best = 0 only if every successor underflowed under the global shift; redo this state per action.
    const v = !soft ? best : best > 0 ? Math.log(best) + baseMax[s] + m : softStateFromBlocks(blocks, A, gamma, prep, V, s);
    Vout[s] = v;
    const d = v > V[s] ? v - V[s] : V[s] - v;
    if (d > diff) diff = d;
  }
  return diff;
}

/** sweepStates over the kernel's compressed rows (when StateBlocks would store many zeros). */
function sweepRows(
  kernel: Kernel,
  gamma: number,
  prep: PreparedBackup,
  V: Float64Array,
  src: Float64Array,
  m: number,
  Vout: Float64Array,
  s0: number,
  s1: number,
): number {
  const A = kernel.A;
  const { rowStart, next, prob } = kernel;
  const soft = prep.soft;
  const base = prep.base;
  const expBase = prep.expBase;
  let diff = 0;
  for (let s = s0; s < s1; s++) {
    let best = soft ? 0 : -Infinity;
    for (let i = s * A, iEnd = i + A; i < iEnd; i++) {
      let acc = 0;
      for (let k = rowStart[i], end = rowStart[i + 1]; k < end; k++) acc += prob[k] * src[next[k]];
      const t = soft ? (prep.uniform ? acc : expBase[i] * acc) : base[i] + gamma * acc;
      if (t > best) best = t;
    }
    const v = !soft ? best : best > 0 ? Math.log(best) + prep.baseMax[s] + m : softStateFromRows(kernel, gamma, base, V, s);
    Vout[s] = v;
    const d = v > V[s] ? v - V[s] : V[s] - v;
    if (d > diff) diff = d;
  }
  return diff;
}

/** max_a c(s,a) + log Σ p exp(γ V(s')) with each action's own maximum (the underflow fallback). */
function softStateFromBlocks(blocks: StateBlocks, A: number, gamma: number, prep: PreparedBackup, V: Float64Array, s: number): number {
  const { start, succ, pattern, table } = blocks;
  let best = -Infinity;
  for (let a = 0; a < A; a++) {
    let mx = -Infinity;
    for (let j = start[s], p = pattern[s] + a; j < start[s + 1]; j++, p += A)
      if (table[p] > 0 && gamma * V[succ[j]] > mx) mx = gamma * V[succ[j]];
    let acc = 0;
    for (let j = start[s], p = pattern[s] + a; j < start[s + 1]; j++, p += A)
      if (table[p] > 0) acc += table[p] * Math.exp(gamma * V[succ[j]] - mx);
    const q = (prep.uniform ? prep.baseMax[s] : prep.base[s * A + a]) + Math.log(acc) + mx;
    if (q > best) best = q;
  }
  return best;
}

function softStateFromRows(kernel: Kernel, gamma: number, base: Float64Array, V: Float64Array, s: number): number {
  let best = -Infinity;
  for (let i = s * kernel.A; i < (s + 1) * kernel.A; i++) {
    const q = base[i] + rowLogSumExp(kernel.rowStart[i], kernel.rowStart[i + 1], kernel.next, kernel.prob, V, gamma);
    if (q > best) best = q;
  }
  return best;
}

/** log Σ_k p_k exp(γ V[next_k]) over one compressed row, with the row's own maximum. */
export function rowLogSumExp(lo: number, hi: number, next: Int32Array, prob: Float64Array, V: ArrayLike<number>, gamma: number): number {
  let mx = -Infinity;
  for (let k = lo; k < hi; k++) if (prob[k] > 0 && gamma * V[next[k]] > mx) mx = gamma * V[next[k]];
  let acc = 0;
  for (let k = lo; k < hi; k++) if (prob[k] > 0) acc += prob[k] * Math.exp(gamma * V[next[k]] - mx);
  return Math.log(acc) + mx;
}

/**
 * One whole sweep in this thread, V' = max_a Q(s, a) from V (into Vout); returns ‖V' − V‖∞. `e` is scratch
 * of length S. Exported so that the benchmark can time exactly this loop.
 */
export function sweepValues(
  kernel: Kernel & { gamma: number },
  prep: PreparedBackup,
  V: Float64Array,
  Vout: Float64Array,
  e: Float64Array,
): number {
  const S = kernel.S;
  let m = 0;
  if (prep.soft) {
    m = kernel.gamma * maxOf(V, 0, S);
    expShifted(V, kernel.gamma, m, e, 0, S);
  }
  return sweepStates(kernel, kernel.gamma, prep, V, prep.soft ? e : V, m, Vout, 0, S, prep.acc);
}

export const serialSweeps: SweepRunner = { sweep: sweepValues };
