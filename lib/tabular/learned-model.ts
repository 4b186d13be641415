/**
 * A learned tabular dynamics model q(s'|s,a) with logits over candidate successors, trained by the
 * paper's Eq. 9: maximise E_{s'~q(·|s,a)}[f(s')] at real (s, a), with f(s') = γ V(s') + logit C(s,a,s').
 * (Eq. 9 as printed has V without γ; the per-transition form of Eq. 2 weights the next value by γ, so
 * that the maximiser is q* ∝ p·exp(γV) as in docs/MATH.md; we use γV.)
 *
 * The structure says which successors a row can predict and which logit each candidate uses:
 *   - `fullStructure(kernel)`: one logit per (s, a, s') on the support of the true row (the model knows
 *     which states are one step away, not their probabilities). Full capacity, for any tabular MDP.
 *   - `gridMoveStructure(grid)`: full capacity on a gridworld: one logit per (s, a, s') for every cell one
 *     move away (a blocked move stays), whatever the goal is — so a model learned for one goal can be
 *     reused on another goal of the same grid (E6). Where the goal is absorbing, p has only the goal itself.
 *   - `blockStructure(grid)`: a capacity-limited gridworld model (Fig. 2b). All states of a 3×3 block share
 *     one distribution over the 5 relative moves {up, down, left, right, stay} per action, and the model
 *     does not know the obstacles: a move is applied as if the cell were free, so a move into an obstacle
 *     passes through it to the next free cell in that direction (p of that transition is 0). Only the
 *     outline of the grid is known: a move off the grid stays put.
 * Candidates of one row may share a target (e.g. `stay` and a move off the grid); their masses add up.
 */
import type { Kernel } from './mdp';
import type { Rng } from '../rng';

export interface ModelStructure {
  readonly S: number;
  readonly A: number;
  /** Candidates of (s, a) are k in [rowStart[s*A+a], rowStart[s*A+a+1]). */
  readonly rowStart: Int32Array;
  /** The successor state each candidate predicts. */
  readonly target: Int32Array;
  /** The logit each candidate uses (shared between rows in capacity-limited structures). */
  readonly param: Int32Array;
  readonly nParams: number;
  /** What it is, for tables and messages. */
  readonly label: string;
}

/** The geometry a gridworld offers (structurally the same as lib/tabular/gridworld.ts `Gridworld`). */
export interface GridGeometry {
  rows: number;
  cols: number;
  mdp: { S: number; A: number };
  cellOf(s: number): [number, number];
  stateAt(row: number, col: number): number;
}

/** Relative moves of the block model: the 4 actions' moves, then `stay`. */
export const RELATIVE_MOVES = ['up', 'down', 'left', 'right', 'stay'] as const;
export const MOVE_DR = [-1, 1, 0, 0, 0];
export const MOVE_DC = [0, 0, -1, 1, 0];

/** One logit per successor on the support of each row of `kernel` (duplicates merged). */
export function fullStructure(kernel: Kernel): ModelStructure {
  const { S, A } = kernel;
  const rowStart = new Int32Array(S * A + 1);
  const target: number[] = [];
  for (let i = 0; i < S * A; i++) {
    rowStart[i] = target.length;
    const seen = new Set<number>();
    for (let k = kernel.rowStart[i]; k < kernel.rowStart[i + 1]; k++) {
      if (kernel.prob[k] > 0 && !seen.has(kernel.next[k])) {
        seen.add(kernel.next[k]);
        target.push(kernel.next[k]);
      }
    }
  }
  rowStart[S * A] = target.length;
  const param = new Int32Array(target.length);
  for (let k = 0; k < param.length; k++) param[k] = k;
  return { S, A, rowStart, target: Int32Array.from(target), param, nParams: target.length, label: 'full' };
}

/** Full capacity on a grid: the distinct results of the 5 relative moves (blocked → stay), one logit each. */
export function gridMoveStructure(grid: GridGeometry): ModelStructure {
  const { S, A } = grid.mdp;
  const rowStart = new Int32Array(S * A + 1);
  const target: number[] = [];
  for (let s = 0; s < S; s++) {
    const [r, c] = grid.cellOf(s);
    const row: number[] = [];
    for (let m = 0; m < RELATIVE_MOVES.length; m++) {
      const t = grid.stateAt(r + MOVE_DR[m], c + MOVE_DC[m]);
      const tt = t < 0 ? s : t;
      if (!row.includes(tt)) row.push(tt);
    }
    for (let a = 0; a < A; a++) {
      rowStart[s * A + a] = target.length;
      target.push(...row);
    }
  }
  rowStart[S * A] = target.length;
  const param = new Int32Array(target.length);
  for (let k = 0; k < param.length; k++) param[k] = k;
  return { S, A, rowStart, target: Int32Array.from(target), param, nParams: target.length, label: 'full (grid moves)' };
}

/** Index of the `block`×`block` square of s (row-major over blocks). */
export function blockOf(grid: GridGeometry, s: number, block = 3): number {
  const [r, c] = grid.cellOf(s);
  return Math.floor(r / block) * Math.ceil(grid.cols / block) + Math.floor(c / block);
}

export function blockCount(grid: GridGeometry, block = 3): number {
  return Math.ceil(grid.rows / block) * Math.ceil(grid.cols / block);
}

/** Where the obstacle-blind model puts a relative move: through obstacles to the next free cell; off the grid stays. */
export function obstacleBlindTarget(grid: GridGeometry, s: number, move: number): number {
  if (move === 4) return s;
  const [r0, c0] = grid.cellOf(s);
  let r = r0 + MOVE_DR[move];
  let c = c0 + MOVE_DC[move];
  while (r >= 0 && r < grid.rows && c >= 0 && c < grid.cols) {
    const t = grid.stateAt(r, c);
    if (t >= 0) return t;
    r += MOVE_DR[move];
    c += MOVE_DC[move];
  }
  return s;
}

/** The capacity-limited model of Fig. 2b: one move distribution per (block, action), blind to obstacles. */
export function blockStructure(grid: GridGeometry, block = 3): ModelStructure {
  if (!(Number.isInteger(block) && block >= 1)) throw new Error(`blockStructure: block size must be a positive integer, got ${block}`);
  const { S, A } = grid.mdp;
  const M = RELATIVE_MOVES.length;
  const rowStart = new Int32Array(S * A + 1);
  const target = new Int32Array(S * A * M);
  const param = new Int32Array(S * A * M);
  for (let s = 0; s < S; s++) {
    const b = blockOf(grid, s, block);
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      rowStart[i] = i * M;
      for (let m = 0; m < M; m++) {
        target[i * M + m] = obstacleBlindTarget(grid, s, m);
        param[i * M + m] = (b * A + a) * M + m;
      }
    }
  }
  rowStart[S * A] = S * A * M;
  return { S, A, rowStart, target, param, nParams: blockCount(grid, block) * A * M, label: `block ${block}×${block}` };
}

/** Index drawn from probabilities q[0..n) with one uniform draw. */
export function drawIndex(q: ArrayLike<number>, n: number, rng: Rng): number {
  let u = rng.uniform();
  for (let j = 0; j < n - 1; j++) {
    u -= q[j];
    if (u < 0) return j;
  }
  return n - 1;
}

/**
 * A model with logits θ over a structure's candidates. `f` values passed to the updates are per
 * candidate of the row, in row order (length = row size).
 */
export class LearnedModel {
  readonly theta: Float64Array;
  private readonly scratch: Float64Array;
  private readonly maxRow: number;

  constructor(
    readonly structure: ModelStructure,
    theta?: Float64Array,
  ) {
    if (theta !== undefined && theta.length !== structure.nParams) {
      throw new Error(`LearnedModel: theta has ${theta.length} entries, the ${structure.label} structure has ${structure.nParams}`);
    }
    this.theta = theta ? Float64Array.from(theta) : new Float64Array(structure.nParams);
    let mx = 0;
    for (let i = 0; i < structure.S * structure.A; i++) mx = Math.max(mx, structure.rowStart[i + 1] - structure.rowStart[i]);
    this.maxRow = mx;
    this.scratch = new Float64Array(mx);
  }

  /** A copy with its own logits. */
  clone(): LearnedModel {
    return new LearnedModel(this.structure, this.theta);
  }

  /** Largest number of candidates in one row (size of buffers passed to rowProbs). */
  get maxRowSize(): number {
    return this.maxRow;
  }

  /** Softmax of row (s, a) into out[0..n); returns n. */
  rowProbs(s: number, a: number, out: Float64Array): number {
    const { rowStart, param } = this.structure;
    const i = s * this.structure.A + a;
    const lo = rowStart[i];
    const n = rowStart[i + 1] - lo;
    let mx = -Infinity;
    for (let j = 0; j < n; j++) {
      const t = this.theta[param[lo + j]];
      if (t > mx) mx = t;
    }
    let z = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(this.theta[param[lo + j]] - mx);
      out[j] = e;
      z += e;
    }
    for (let j = 0; j < n; j++) out[j] /= z;
    return n;
  }

  /** Draws a candidate of (s, a); returns its position j in the row (target: `targetOf(s, a, j)`). */
  sampleCandidate(s: number, a: number, rng: Rng): number {
    return drawIndex(this.scratch, this.rowProbs(s, a, this.scratch), rng);
  }

  targetOf(s: number, a: number, j: number): number {
    return this.structure.target[this.structure.rowStart[s * this.structure.A + a] + j];
  }

  /** Draws s' ~ q(·|s, a). */
  sample(s: number, a: number, rng: Rng): number {
    return this.targetOf(s, a, this.sampleCandidate(s, a, rng));
  }

  /**
   * Exact gradient ascent on E_q[f] for row (s, a): ∂/∂θ_j = q_j (f_j − E_q f), added to each
   * candidate's logit (shared logits accumulate the contributions of all rows that use them).
   */
  exactStep(s: number, a: number, f: ArrayLike<number>, lr: number): void {
    this.exactStepWithProbs(s, a, this.scratch, this.rowProbs(s, a, this.scratch), f, lr);
  }

  /** exactStep with the row's current probabilities q[0..n) already computed (by rowProbs). */
  exactStepWithProbs(s: number, a: number, q: ArrayLike<number>, n: number, f: ArrayLike<number>, lr: number): void {
    let mean = 0;
    for (let j = 0; j < n; j++) mean += q[j] * f[j];
    const lo = this.structure.rowStart[s * this.structure.A + a];
    for (let j = 0; j < n; j++) this.theta[this.structure.param[lo + j]] += lr * q[j] * (f[j] - mean);
  }

  /**
   * Sampled (score-function) gradient of E_q[f]: two draws j1, j2 ~ q, each the other's baseline,
   * g = ½[(f_j1 − f_j2) ∇log q_j1 + (f_j2 − f_j1) ∇log q_j2], with ∇_θk log q_j = 1[k=j] − q_k.
   * Unbiased; it is the estimator that carries over to networks. Reads f only at the drawn candidates.
   */
  sampledStep(s: number, a: number, f: ArrayLike<number>, lr: number, rng: Rng): void {
    const j1 = this.sampleCandidate(s, a, rng);
    const j2 = this.sampleCandidate(s, a, rng);
    const d = 0.5 * (f[j1] - f[j2]);
    if (d === 0) return;
    // d·(e_j1 − q) − d·(e_j2 − q) = d·(e_j1 − e_j2): the q terms cancel for this 2-sample estimator.
    const lo = this.structure.rowStart[s * this.structure.A + a];
    this.theta[this.structure.param[lo + j1]] += lr * d;
    this.theta[this.structure.param[lo + j2]] -= lr * d;
  }

  /** q as a Kernel over the true states (duplicate targets merged), for exact evaluation and plots. */
  toKernel(): Kernel {
    const { S, A, rowStart, target } = this.structure;
    const q = new Float64Array(this.maxRow);
    const nextOut: number[] = [];
    const probOut: number[] = [];
    const rs = new Int32Array(S * A + 1);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        const i = s * A + a;
        rs[i] = nextOut.length;
        const n = this.rowProbs(s, a, q);
        const lo = rowStart[i];
        const start = nextOut.length;
        for (let j = 0; j < n; j++) {
          const t = target[lo + j];
          let at = -1;
          for (let k = start; k < nextOut.length; k++) if (nextOut[k] === t) at = k;
          if (at >= 0) probOut[at] += q[j];
          else {
            nextOut.push(t);
            probOut.push(q[j]);
          }
        }
      }
    }
    rs[S * A] = nextOut.length;
    return { S, A, rowStart: rs, next: Int32Array.from(nextOut), prob: Float64Array.from(probOut) };
  }
}
