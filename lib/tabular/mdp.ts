/**
 * Finite MDPs, stored sparsely: memory grows with the number of stored transitions, never with S×S.
 *
 * A `Kernel` is a transition function over S states and A actions in compressed rows: the successors of
 * (s, a) are `next[k]` with probability `prob[k]` for k in [rowStart[s*A+a], rowStart[s*A+a+1]).
 * The true dynamics p of an MDP are a Kernel; so is a model q (which may put mass where p has none).
 */

export interface Kernel {
  readonly S: number;
  readonly A: number;
  /** Length S*A + 1. */
  readonly rowStart: Int32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
}

export interface TabularMDP extends Kernel {
  /** r(s, a) at index s*A + a. */
  readonly reward: Float64Array;
  readonly gamma: number;
  /** Initial state distribution, length S. */
  readonly p0: Float64Array;
  readonly stateNames?: readonly string[];
  readonly actionNames?: readonly string[];
}

/** One (s, a) row: successor states and their probabilities. */
export interface Row {
  next: ArrayLike<number>;
  prob: ArrayLike<number>;
}

export interface MDPSpec {
  S: number;
  A: number;
  /** rows[s][a]: the successors of (s, a). */
  rows: Row[][];
  /** reward[s][a] or a flat array indexed s*A + a. */
  reward: number[][] | ArrayLike<number>;
  gamma: number;
  /** Initial distribution; a single state index means "start there". */
  p0: ArrayLike<number> | number;
  stateNames?: string[];
  actionNames?: string[];
  /** Require r > 0 (every objective that takes log r does). Default true. */
  positiveRewards?: boolean;
}

const TOL = 1e-9;

function stateLabel(names: readonly string[] | undefined, s: number): string {
  return names?.[s] !== undefined ? `state ${s} (${names[s]})` : `state ${s}`;
}

/** Builds a kernel from rows, checking each row: indices in range, probabilities ≥ 0 summing to 1. */
export function makeKernel(S: number, A: number, rows: Row[][], what = 'kernel', names?: readonly string[]): Kernel {
  checkSizes(S, A, what);
  if (rows.length !== S) throw new Error(`${what}: expected rows for ${S} states, got ${rows.length}`);
  let total = 0;
  for (let s = 0; s < S; s++) {
    if (rows[s].length !== A) throw new Error(`${what}: ${stateLabel(names, s)} has ${rows[s].length} actions, expected ${A}`);
    for (let a = 0; a < A; a++) {
      const row = rows[s][a];
      if (row.next.length !== row.prob.length)
        throw new Error(
          `${what}: ${stateLabel(names, s)}, action ${a}: ${row.next.length} successors but ${row.prob.length} probabilities`,
        );
      total += row.next.length;
    }
  }
  const rowStart = new Int32Array(S * A + 1);
  const next = new Int32Array(total);
  const prob = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < S * A; i++) {
    const row = rows[Math.floor(i / A)][i % A];
    rowStart[i] = k;
    for (let j = 0; j < row.next.length; j++, k++) {
      const sp = row.next[j];
      if (!(Number.isInteger(sp) && sp >= 0 && sp < S))
        throw new Error(`${what}: ${stateLabel(names, Math.floor(i / A))}, action ${i % A}: successor index ${sp} out of range [0, ${S})`);
      next[k] = sp;
      prob[k] = row.prob[j];
    }
  }
  rowStart[S * A] = k;
  return kernelFromArrays(S, A, rowStart, next, prob, what, names);
}

function checkSizes(S: number, A: number, what: string): void {
  if (!(Number.isInteger(S) && S > 0)) throw new Error(`${what}: number of states must be a positive integer, got ${S}`);
  if (!(Number.isInteger(A) && A > 0)) throw new Error(`${what}: number of actions must be a positive integer, got ${A}`);
}

/**
 * A kernel over compressed rows that a builder filled in directly (no per-row objects, so memory is the
 * stored transitions only). Checks every row as makeKernel does: indices in range, probabilities ≥ 0
 * summing to 1, at least one successor. `names(s)`, if given, labels states in errors.
 */
export function kernelFromArrays(
  S: number,
  A: number,
  rowStart: Int32Array,
  next: Int32Array,
  prob: Float64Array,
  what = 'kernel',
  names?: readonly string[],
): Kernel {
  checkSizes(S, A, what);
  if (rowStart.length !== S * A + 1) throw new Error(`${what}: rowStart has ${rowStart.length} entries, expected ${S}×${A} + 1`);
  if (rowStart[0] !== 0 || rowStart[S * A] !== next.length || next.length !== prob.length)
    throw new Error(`${what}: rowStart must run from 0 to the ${next.length} stored transitions (${prob.length} probabilities)`);
  for (let i = 0; i < S * A; i++) {
    const lo = rowStart[i];
    const hi = rowStart[i + 1];
    if (hi <= lo) {
      const where = `${what}: ${stateLabel(names, Math.floor(i / A))}, action ${i % A}`;
      throw new Error(hi === lo ? `${where}: no successors` : `${where}: rowStart decreases`);
    }
    let sum = 0;
    for (let k = lo; k < hi; k++) {
      const sp = next[k];
      const p = prob[k];
      if (!(sp >= 0 && sp < S) || !(p >= 0 && p < Infinity)) {
        const where = `${what}: ${stateLabel(names, Math.floor(i / A))}, action ${i % A}`;
        if (!(sp >= 0 && sp < S)) throw new Error(`${where}: successor index ${sp} out of range [0, ${S})`);
        throw new Error(`${where}: probability of successor ${sp} is ${p}; must be finite and ≥ 0`);
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > TOL)
      throw new Error(`${what}: ${stateLabel(names, Math.floor(i / A))}, action ${i % A}: probabilities sum to ${sum}, not 1`);
  }
  return { S, A, rowStart, next, prob };
}

/** makeMDP's fields besides the transitions. */
export type MDPExtras = Omit<MDPSpec, 'S' | 'A' | 'rows'>;

/** The one validating constructor for MDPs. Every violation names the state, action and value. */
export function makeMDP(spec: MDPSpec): TabularMDP {
  return mdpOfKernel(makeKernel(spec.S, spec.A, spec.rows, 'MDP', spec.stateNames), spec);
}

/** makeMDP for a kernel given as compressed rows (see kernelFromArrays), with the same checks and errors. */
export function makeMDPFromArrays(
  S: number,
  A: number,
  rowStart: Int32Array,
  next: Int32Array,
  prob: Float64Array,
  extras: MDPExtras,
): TabularMDP {
  return mdpOfKernel(kernelFromArrays(S, A, rowStart, next, prob, 'MDP', extras.stateNames), extras);
}

function mdpOfKernel(kernel: Kernel, spec: MDPExtras): TabularMDP {
  const { S, A } = kernel;
  const g = spec.gamma;
  if (!(g > 0 && g < 1)) throw new Error(`MDP: discount gamma must be in (0, 1), got ${g}`);
  const reward = new Float64Array(S * A);
  const flat = !Array.isArray(spec.reward) || !Array.isArray((spec.reward as number[][])[0]);
  if (flat && (spec.reward as ArrayLike<number>).length !== S * A) {
    throw new Error(`MDP: reward must have ${S}×${A} = ${S * A} entries, got ${(spec.reward as ArrayLike<number>).length}`);
  }
  const positive = spec.positiveRewards ?? true;
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const r = flat ? (spec.reward as ArrayLike<number>)[s * A + a] : (spec.reward as number[][])[s]?.[a];
      if (typeof r !== 'number' || !Number.isFinite(r) || (positive && !(r > 0))) {
        const where = `MDP: reward of ${stateLabel(spec.stateNames, s)}, action ${a}`;
        if (typeof r !== 'number' || !Number.isFinite(r)) throw new Error(`${where} is ${r}; must be a finite number`);
        throw new Error(`${where} is ${r}; must be > 0 (the MnM objective takes log r)`);
      }
      reward[s * A + a] = r;
    }
  }
  const p0 = new Float64Array(S);
  if (typeof spec.p0 === 'number') {
    if (!(Number.isInteger(spec.p0) && spec.p0 >= 0 && spec.p0 < S)) throw new Error(`MDP: start state ${spec.p0} out of range [0, ${S})`);
    p0[spec.p0] = 1;
  } else {
    if (spec.p0.length !== S) throw new Error(`MDP: initial distribution has ${spec.p0.length} entries, expected ${S}`);
    let sum = 0;
    for (let s = 0; s < S; s++) {
      const p = spec.p0[s];
      if (!(p >= 0 && p < Infinity))
        throw new Error(`MDP: initial probability of ${stateLabel(spec.stateNames, s)} is ${p}; must be finite and ≥ 0`);
      p0[s] = p;
      sum += p;
    }
    if (Math.abs(sum - 1) > TOL) throw new Error(`MDP: initial distribution sums to ${sum}, not 1`);
  }
  return { ...kernel, reward, gamma: g, p0, stateNames: spec.stateNames, actionNames: spec.actionNames };
}

/** The successors of (s, a) as [start, end) into `next`/`prob`. */
export function rowRange(k: Kernel, s: number, a: number): [number, number] {
  const i = s * k.A + a;
  return [k.rowStart[i], k.rowStart[i + 1]];
}

/** A policy π(a|s) as a flat array indexed s*A + a (rows sum to 1). */
export type Policy = Float64Array;

/** The deterministic policy that takes `actions[s]` in state s. */
export function deterministicPolicy(S: number, A: number, actions: ArrayLike<number>): Policy {
  const pi = new Float64Array(S * A);
  for (let s = 0; s < S; s++) pi[s * A + actions[s]] = 1;
  return pi;
}
