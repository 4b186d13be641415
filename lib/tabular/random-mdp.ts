/**
 * Seeded random finite MDPs, policies and models, for property tests (Theorem 3.1) and E5.
 * Every draw comes from the Rng passed in, so a seed names one (MDP, π, q) exactly.
 */
import type { Rng } from '../rng';
import { makeKernel, makeMDP, type Kernel, type Policy, type Row, type TabularMDP } from './mdp';

export interface RandomMDPOptions {
  S: number;
  A: number;
  gamma: number;
  /** Successors per (s, a), at most S (default: all S states, i.e. dense rows). */
  successors?: number;
  /** Rewards are log-uniform in [min, max] (default [0.05, 5]; both > 0 since MnM takes log r). */
  rewardRange?: [number, number];
  /** 'random' (default): p0 from the simplex; 'single': all mass on state 0. */
  start?: 'random' | 'single';
}

function checkSize(what: string, n: number): void {
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`randomMDP: ${what} must be a positive integer, got ${n}`);
}

export function randomMDP(rng: Rng, opts: RandomMDPOptions): TabularMDP {
  const { S, A, gamma } = opts;
  checkSize('S', S);
  checkSize('A', A);
  const K = opts.successors ?? S;
  if (!(Number.isInteger(K) && K >= 1 && K <= S)) throw new Error(`randomMDP: successors must be an integer in [1, ${S}], got ${K}`);
  const [lo, hi] = opts.rewardRange ?? [0.05, 5];
  if (!(lo > 0 && hi >= lo && Number.isFinite(hi)))
    throw new Error(`randomMDP: rewardRange must satisfy 0 < min ≤ max < ∞, got [${lo}, ${hi}]`);
  const states = Array.from({ length: S }, (_, i) => i);
  const rows: Row[][] = [];
  const reward = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    const actions: Row[] = [];
    for (let a = 0; a < A; a++) {
      const next =
        K === S
          ? states.slice()
          : rng
              .shuffle(states.slice())
              .slice(0, K)
              .sort((x, y) => x - y);
      actions.push({ next, prob: rng.simplex(next.length) });
      reward[s * A + a] = Math.exp(rng.range(Math.log(lo), Math.log(hi)));
    }
    rows.push(actions);
  }
  const p0 = opts.start === 'single' ? 0 : rng.simplex(S);
  return makeMDP({ S, A, rows, reward, gamma, p0 });
}

/** A random policy: with probability `deterministic` (default 0.3) a deterministic one, else rows from the simplex. */
export function randomPolicy(rng: Rng, S: number, A: number, deterministic = 0.3): Policy {
  const pi = new Float64Array(S * A);
  const det = rng.uniform() < deterministic;
  for (let s = 0; s < S; s++) {
    if (det) pi[s * A + rng.int(A)] = 1;
    else pi.set(rng.simplex(A), s * A);
  }
  return pi;
}

export type ModelKind = 'true' | 'mixture' | 'random';

/**
 * A random model q on p's support (so every objective is finite):
 * 'true' q = p; 'mixture' q = λp + (1−λ)d with λ ~ U(0,1) and d from the simplex; 'random' q = d.
 */
export function randomModel(rng: Rng, mdp: Kernel, kind: ModelKind = 'mixture'): Kernel {
  const { S, A, rowStart, next, prob } = mdp;
  const rows: Row[][] = [];
  for (let s = 0; s < S; s++) {
    const actions: Row[] = [];
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      const lo = rowStart[i];
      const n = rowStart[i + 1] - lo;
      const p = prob.subarray(lo, lo + n);
      const d = rng.simplex(n);
      const lam = kind === 'true' ? 1 : kind === 'random' ? 0 : rng.uniform();
      const q = new Float64Array(n);
      for (let j = 0; j < n; j++) q[j] = lam * p[j] + (1 - lam) * d[j];
      actions.push({ next: next.subarray(lo, lo + n), prob: q });
    }
    rows.push(actions);
  }
  return makeKernel(S, A, rows, 'random model');
}

export interface RandomTriple {
  mdp: TabularMDP;
  pi: Policy;
  q: Kernel;
  modelKind: ModelKind;
}

export interface TripleRanges {
  states: [number, number];
  actions: [number, number];
  gamma: [number, number];
}

export const DEFAULT_TRIPLE_RANGES: TripleRanges = { states: [2, 8], actions: [1, 3], gamma: [0.5, 0.99] };

/** One random (MDP, π, q) with varied sizes, discount, sparsity, reward scale and model kind. */
export function randomTriple(rng: Rng, ranges: TripleRanges = DEFAULT_TRIPLE_RANGES): RandomTriple {
  const S = ranges.states[0] + rng.int(ranges.states[1] - ranges.states[0] + 1);
  const A = ranges.actions[0] + rng.int(ranges.actions[1] - ranges.actions[0] + 1);
  const gamma = rng.range(ranges.gamma[0], ranges.gamma[1]);
  const successors = 1 + rng.int(S);
  const scale = Math.exp(rng.range(-2, 2)); // rewards from ~0.007 to ~37
  const mdp = randomMDP(rng, {
    S,
    A,
    gamma,
    successors,
    rewardRange: [0.05 * scale, 5 * scale],
    start: rng.uniform() < 0.5 ? 'single' : 'random',
  });
  const pi = randomPolicy(rng, S, A);
  const u = rng.uniform();
  const modelKind: ModelKind = u < 0.1 ? 'true' : u < 0.7 ? 'mixture' : 'random';
  return { mdp, pi, q: randomModel(rng, mdp, modelKind), modelKind };
}
