/**
 * The authors' alternating procedure (docs/PAPER-SETTINGS.md, "The exact alternating procedure"): a two-player
 * game between the policy π and the model q, each answering the other with a best response, both smoothed.
 *
 *   start: π uniform, q = p
 *   repeat:
 *     KL(s, a) = KL(q(·|s,a) ‖ p(·|s,a))           (optionally clipped to [0, klClip])
 *     Q = evaluation of the CURRENT (mixed) π under q with the method's per-(s, a) reward r̃:
 *         MnM     w·log r − KL [− (1−γ) log(1−γ)]   w = 1−γ (Eq. 3) or 1 (Eq. 5's weight)
 *         VMBPO   r − KL
 *         return  r, with q fixed to p
 *       (value iteration on Q from 0 until the sup change < evalTol, at most evalMaxSweeps sweeps)
 *     π_new = greedy in Q (first action on ties);   V(s) = Q(s, π_new(s))
 *     q_new ∝ p_c · exp(V)         (exp(V), not exp(γV): the authors' choice; p_c = p, or p block-averaged)
 *     stop when max |q − q_new| < tol   (for 'return', whose q never moves: when max |π − π_new| < tol)
 *     q ← τ q_new + (1 − τ) q;  π ← τ π_new + (1 − τ) π;  q ← capacity(q) if a capacity limit is set
 *
 * τ is the step toward the best response: τ = 1 is plain best response, the authors used τ = 0.5 (where
 * both conventions agree). Unlike valueIteration (lib/tabular/solve.ts), which finds the joint optimum of
 * the MnM bound directly (q* ∝ p·exp(γV*)), this is the procedure behind the paper's figures; where the two
 * differ (exp(V) against exp(γV), the mixed π it evaluates, its stopping rule) the experiments report both.
 *
 * q lives on a fixed support per (s, a): p's successors, plus what the capacity limit may reach.
 */
import { ACTION_DELTAS, type Gridworld } from './gridworld';
import type { Kernel, Policy, TabularMDP } from './mdp';

export type AlternatingObjective = 'mnm' | 'vmbpo' | 'return';
export const ALTERNATING_OBJECTIVES: readonly AlternatingObjective[] = ['mnm', 'vmbpo', 'return'];

/** A capacity limit on the model: a projection applied in place to probabilities on `support`. */
export interface CapacityLimit {
  label: string;
  /** Extra successors per (s, a) the limited model may use (beyond p's), as CSR rows over S*A. */
  targets(s: number, a: number): readonly number[];
  /** Projects probabilities laid out on `support` (in place). */
  apply(support: Kernel, prob: Float64Array): void;
}

export interface AlternatingOptions {
  objective: AlternatingObjective;
  /** Step toward the best responses, in (0, 1] (default 0.5, the authors'). */
  tau?: number;
  /** Stop when max |q − q_new| < tol (default 1e-6). */
  tol?: number;
  /** At most this many iterations (default 1000); the result says whether it converged. */
  maxIterations?: number;
  /** false: run exactly maxIterations, ignoring the stopping test (Fig. 2b's "20 iterations"; default true). */
  stop?: boolean;
  /** Policy evaluation: stop when the sup change of Q is below evalTol (1e-6), at most evalMaxSweeps (1000). */
  evalTol?: number;
  evalMaxSweeps?: number;
  /** MnM only: subtract the constant (1−γ) log(1−γ) (Fig. 2a right and 3b do; default true). */
  mnmConstant?: boolean;
  /** MnM only: the weight of log r, 'eq3' = (1−γ) (default) or 'eq5' = 1 (Eq. 5's augmented reward). */
  logRewardWeight?: 'eq3' | 'eq5';
  /** MnM and VMBPO: include the −KL term (default true; false is the ablation "without the classifier"). */
  includeKL?: boolean;
  /** Clip KL to [0, klClip] (the classifier's limit); undefined or null: no clip. */
  klClip?: number | null;
  /** A capacity limit on the model (e.g. blockAveraging); applied to p before q_new and to q after smoothing. */
  capacity?: CapacityLimit | null;
  /** Called at every iteration with the current (π, q) before the update; arrays are views: copy to keep. */
  onIteration?: (it: AlternatingIterate) => void;
}

export interface AlternatingIterate {
  /** 1-based iteration number. */
  iteration: number;
  /** The current (mixed) policy and model that this iteration evaluates. */
  pi: Policy;
  q: Kernel;
  /** The KL term per (s, a) as used in the reward (after the clip). */
  kl: Float64Array;
  /** The evaluation of π under q, and the greedy policy it gives. */
  Q: Float64Array;
  greedy: Policy;
  /** max |q − q_new| (or max |π − π_new| for 'return'). */
  change: number;
}

export interface AlternatingResult {
  /** The final (mixed) policy and model: at convergence, those that passed the stopping test. */
  pi: Policy;
  q: Kernel;
  /** The greedy policy of the last evaluation (the "final policy" the figures roll out). */
  greedy: Policy;
  /** The last evaluation of pi under q. */
  Q: Float64Array;
  iterations: number;
  converged: boolean;
  change: number;
}

function fail(what: string): never {
  throw new Error(`alternating procedure: ${what}`);
}

/** Checks the options; one clear error naming the option. */
export function checkAlternatingOptions(opts: AlternatingOptions): void {
  if (!(ALTERNATING_OBJECTIVES as readonly string[]).includes(opts.objective))
    fail(`objective must be one of ${ALTERNATING_OBJECTIVES.join(', ')}, got '${opts.objective as string}'`);
  const tau = opts.tau ?? 0.5;
  if (!(typeof tau === 'number' && tau > 0 && tau <= 1)) fail(`tau must be in (0, 1], got ${tau}`);
  const pos = (k: 'tol' | 'evalTol', v: number | undefined) => {
    if (v !== undefined && !(v > 0 && Number.isFinite(v))) fail(`${k} must be a finite number > 0, got ${v}`);
  };
  pos('tol', opts.tol);
  pos('evalTol', opts.evalTol);
  for (const k of ['maxIterations', 'evalMaxSweeps'] as const) {
    const v = opts[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) fail(`${k} must be a positive integer, got ${v}`);
  }
  if (opts.klClip !== undefined && opts.klClip !== null && !(opts.klClip > 0)) fail(`klClip must be > 0 or null, got ${opts.klClip}`);
  if (opts.logRewardWeight !== undefined && opts.logRewardWeight !== 'eq3' && opts.logRewardWeight !== 'eq5')
    fail(`logRewardWeight must be 'eq3' or 'eq5', got '${opts.logRewardWeight as string}'`);
  if (opts.objective === 'return' && opts.capacity) fail(`a capacity limit needs a model objective (mnm or vmbpo), not 'return'`);
}

/** p's rows laid out on a support that also holds the capacity limit's successors. */
function buildSupport(mdp: TabularMDP, capacity: CapacityLimit | null): { support: Kernel; p: Float64Array } {
  const { S, A } = mdp;
  const rowStart = new Int32Array(S * A + 1);
  const next: number[] = [];
  const prob: number[] = [];
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      rowStart[i] = next.length;
      const at = new Map<number, number>();
      for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) {
        const t = mdp.next[k];
        if (!at.has(t)) {
          at.set(t, next.length);
          next.push(t);
          prob.push(0);
        }
        prob[at.get(t) as number] += mdp.prob[k];
      }
      if (capacity) {
        for (const t of capacity.targets(s, a)) {
          if (!at.has(t)) {
            at.set(t, next.length);
            next.push(t);
            prob.push(0);
          }
        }
      }
    }
  }
  rowStart[S * A] = next.length;
  const p = Float64Array.from(prob);
  return { support: { S, A, rowStart, next: Int32Array.from(next), prob: p }, p };
}

/** The per-(s, a) reward of the objective, given KL (already clipped). */
function objectiveReward(mdp: TabularMDP, opts: AlternatingOptions, kl: Float64Array, out: Float64Array): void {
  const { reward, gamma } = mdp;
  const includeKL = opts.includeKL ?? true;
  const w = (opts.logRewardWeight ?? 'eq3') === 'eq3' ? 1 - gamma : 1;
  const c = (opts.mnmConstant ?? true) ? (1 - gamma) * Math.log(1 - gamma) : 0;
  for (let i = 0; i < reward.length; i++) {
    if (opts.objective === 'return') out[i] = reward[i];
    else if (opts.objective === 'mnm') out[i] = w * Math.log(reward[i]) - c - (includeKL ? kl[i] : 0);
    else out[i] = reward[i] - (includeKL ? kl[i] : 0);
  }
}

/**
 * Q of a (mixed) policy in the kernel (support, q) with reward r̃: value iteration on Q from 0, the
 * authors' evaluation. Stops when the sup change is below tol (returning the Q that passed, as they did)
 * or after maxSweeps. A reward of −∞ stays −∞ (an action whose KL is infinite).
 */
export function evaluateQ(
  support: Kernel,
  q: Float64Array,
  pi: Policy,
  rTilde: Float64Array,
  gamma: number,
  tol = 1e-6,
  maxSweeps = 1000,
): Float64Array {
  const { S, A, rowStart, next } = support;
  let Q = new Float64Array(S * A);
  let Qn = new Float64Array(S * A);
  const V = new Float64Array(S);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    for (let s = 0; s < S; s++) {
      let v = 0;
      for (let a = 0, i = s * A; a < A; a++, i++) if (pi[i] > 0) v += pi[i] * Q[i];
      V[s] = v;
    }
    let diff = 0;
    for (let i = 0; i < S * A; i++) {
      let e = 0;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (q[k] > 0) e += q[k] * V[next[k]];
      const x = rTilde[i] + gamma * e;
      Qn[i] = x;
      const d = x === Q[i] ? 0 : Math.abs(x - Q[i]);
      if (!(d <= diff)) diff = d; // NaN propagates into diff
    }
    if (Number.isNaN(diff)) fail(`policy evaluation produced NaN (an infinite KL on an action the policy takes; set klClip)`);
    if (diff < tol) return Q;
    const t = Q;
    Q = Qn;
    Qn = t;
  }
  return Q;
}

/** KL(q ‖ p) per (s, a) on the shared support; +∞ where q has mass that p has not. */
export function supportKL(support: Kernel, q: Float64Array, p: Float64Array, clip: number | null | undefined, out: Float64Array): void {
  const { S, A, rowStart } = support;
  for (let i = 0; i < S * A; i++) {
    let acc = 0;
    for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
      if (!(q[k] > 0)) continue;
      acc += p[k] > 0 ? q[k] * Math.log(q[k] / p[k]) : Infinity;
    }
    acc = Math.max(0, acc);
    out[i] = clip === undefined || clip === null ? acc : Math.min(acc, clip);
  }
}

/** Runs the alternating procedure on `mdp`. */
export function alternatingProcedure(mdp: TabularMDP, opts: AlternatingOptions): AlternatingResult {
  checkAlternatingOptions(opts);
  const { S, A, gamma } = mdp;
  if (opts.objective === 'mnm') {
    for (let i = 0; i < mdp.reward.length; i++)
      if (!(mdp.reward[i] > 0)) fail(`the MnM reward takes log r; r(${Math.floor(i / A)}, ${i % A}) = ${mdp.reward[i]}`);
  }
  const tau = opts.tau ?? 0.5;
  const tol = opts.tol ?? 1e-6;
  const maxIterations = opts.maxIterations ?? 1000;
  const capacity = opts.capacity ?? null;
  const { support, p } = buildSupport(mdp, capacity);
  const { rowStart, next } = support;
  // p as the model sees it: block-averaged under a capacity limit.
  const pc = Float64Array.from(p);
  if (capacity) capacity.apply(support, pc);
  let q = Float64Array.from(p);
  let pi = new Float64Array(S * A).fill(1 / A);
  const kl = new Float64Array(S * A);
  const rTilde = new Float64Array(S * A);
  const qNew = new Float64Array(q.length);
  const V = new Float64Array(S);
  let Q = new Float64Array(S * A);
  let greedy = new Float64Array(S * A);
  let change = Infinity;
  for (let it = 1; it <= maxIterations; it++) {
    supportKL(support, q, p, opts.klClip, kl);
    objectiveReward(mdp, opts, kl, rTilde);
    Q = evaluateQ(support, q, pi, rTilde, gamma, opts.evalTol ?? 1e-6, opts.evalMaxSweeps ?? 1000);
    greedy = new Float64Array(S * A);
    for (let s = 0; s < S; s++) {
      let best = 0;
      for (let a = 1; a < A; a++) if (Q[s * A + a] > Q[s * A + best]) best = a;
      greedy[s * A + best] = 1;
      V[s] = Q[s * A + best];
    }
    if (opts.objective === 'return') {
      qNew.set(q);
      change = 0;
      for (let i = 0; i < S * A; i++) change = Math.max(change, Math.abs(pi[i] - greedy[i]));
    } else {
      for (let i = 0; i < S * A; i++) {
        let mx = -Infinity;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (pc[k] > 0 && V[next[k]] > mx) mx = V[next[k]];
        if (!Number.isFinite(mx))
          fail(
            `iteration ${it}: every successor of (${Math.floor(i / A)}, ${i % A}) has value −∞ (an infinite KL: the model puts mass where p has none and klClip is not set)`,
          );
        let z = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
          qNew[k] = pc[k] > 0 ? pc[k] * Math.exp(V[next[k]] - mx) : 0;
          z += qNew[k];
        }
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) qNew[k] /= z;
      }
      change = 0;
      for (let k = 0; k < q.length; k++) change = Math.max(change, Math.abs(q[k] - qNew[k]));
    }
    opts.onIteration?.({ iteration: it, pi, q: { ...support, prob: q }, kl, Q, greedy, change });
    if ((opts.stop ?? true) && change < tol) return { pi, q: { ...support, prob: q }, greedy, Q, iterations: it, converged: true, change };
    const q2 = new Float64Array(q.length);
    for (let k = 0; k < q.length; k++) q2[k] = tau * qNew[k] + (1 - tau) * q[k];
    if (capacity) capacity.apply(support, q2);
    q = q2;
    const pi2 = new Float64Array(S * A);
    for (let i = 0; i < S * A; i++) pi2[i] = tau * greedy[i] + (1 - tau) * pi[i];
    pi = pi2;
  }
  return { pi, q: { ...support, prob: q }, greedy, Q, iterations: maxIterations, converged: change < tol, change };
}

/**
 * The capacity limit of Fig. 2b: per `block`×`block` macro-block and action, the distribution of relative
 * moves (di, dj) averaged over the block's cells (equal weights), then applied to every cell of the block
 * (targets clipped at the border; walls ignored, so the gridworld must keep its walls as states).
 */
export function blockAveraging(g: Gridworld, block = 3): CapacityLimit {
  if (!(Number.isInteger(block) && block >= 1)) throw new Error(`blockAveraging: block must be a positive integer, got ${block}`);
  if (!g.wallStates && g.map.cells.some((row) => row.includes('#'))) {
    throw new Error(
      `blockAveraging: ${g.map.source} has walls that are not states; declare 'walls: states' so the block model can ignore walls`,
    );
  }
  const { S, A } = g.mdp;
  const moves = Object.values(ACTION_DELTAS).filter(([dr, dc]) => Math.abs(dr) + Math.abs(dc) <= 1);
  const M = moves.length; // up, down, left, right, stay
  const moveIndex = (dr: number, dc: number) => moves.findIndex(([r, c]) => r === dr && c === dc);
  const clip = (x: number, n: number) => Math.min(n - 1, Math.max(0, x));
  const target = new Int32Array(S * M);
  const cellR = new Int32Array(S);
  const cellC = new Int32Array(S);
  const blockId = new Int32Array(S);
  const blocksPerRow = Math.ceil(g.cols / block);
  const nBlocks = Math.ceil(g.rows / block) * blocksPerRow;
  const count = new Float64Array(nBlocks);
  for (let s = 0; s < S; s++) {
    const [r, c] = g.cellOf(s);
    cellR[s] = r;
    cellC[s] = c;
    blockId[s] = Math.floor(r / block) * blocksPerRow + Math.floor(c / block);
    count[blockId[s]]++;
    for (let m = 0; m < M; m++) target[s * M + m] = g.stateAt(clip(r + moves[m][0], g.rows), clip(c + moves[m][1], g.cols));
  }
  const avg = new Float64Array(nBlocks * A * M);
  return {
    label: `${block}×${block} block averaging`,
    targets: (s, _a) => Array.from(target.subarray(s * M, s * M + M)),
    apply(support, prob) {
      avg.fill(0);
      for (let s = 0; s < S; s++) {
        for (let a = 0; a < A; a++) {
          const i = s * A + a;
          for (let k = support.rowStart[i]; k < support.rowStart[i + 1]; k++) {
            if (prob[k] === 0) continue;
            const t = support.next[k];
            const m = moveIndex(cellR[t] - cellR[s], cellC[t] - cellC[s]);
            if (m < 0) throw new Error(`blockAveraging: (${s}, ${a}) → ${t} is not a single move`);
            avg[(blockId[s] * A + a) * M + m] += prob[k] / count[blockId[s]];
          }
        }
      }
      for (let s = 0; s < S; s++) {
        for (let a = 0; a < A; a++) {
          const i = s * A + a;
          const lo = support.rowStart[i];
          const hi = support.rowStart[i + 1];
          for (let k = lo; k < hi; k++) prob[k] = 0;
          for (let m = 0; m < M; m++) {
            const w = avg[(blockId[s] * A + a) * M + m];
            if (w === 0) continue;
            const t = target[s * M + m];
            let k = lo;
            while (k < hi && support.next[k] !== t) k++;
            if (k === hi) throw new Error(`blockAveraging: target ${t} of (${s}, ${a}) is not on the support`);
            prob[k] += w;
          }
        }
      }
    },
  };
}
