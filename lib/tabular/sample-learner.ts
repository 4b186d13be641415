/**
 * The authors' sample-based learner of Fig. 2a left (docs/PAPER-SETTINGS.md): Q-learning on a growing buffer,
 * with the exact model and the exact KL (no classifier, no learned model). Each iteration:
 *
 *   V = max_a Q;  q ∝ p·exp(V)  (q = p for Q-learning)
 *   r̃ = (1−γ) log r − KL (MnM), r − KL (VMBPO), r (Q-learning)   (w·log r with w = 1 under Eq. 5's weight)
 *   and a control the paper does not run: Q-learning with MnM's (1−γ) log r and q = p ('q-learning-log'). Its
 *   rewards are negative where MnM's are, so Q0 = 0 is as optimistic for it as for MnM: what MnM gains over it
 *   comes from the optimistic model, not from the initialisation (the control of notebook 01, here on the authors' learner).
 *   one episode of `episodeLength` steps from the start in q (Q-learning: in p) with the ε-greedy policy of
 *   the previous iteration (uniform at first); its transitions join the buffer with r̃ as it is now
 *   one batch TD update over the whole buffer, duplicates accumulating:
 *     Q[s,a] += (lr / episodeLength) · Σ_{buffer entries at (s,a)} (r̃_i + γ V[s'_i] − Q[s,a])
 *   the ε-greedy policy of the new Q; every `evalEvery` iterations, the exact true return of its greedy policy.
 *
 * The buffer is kept as sufficient statistics per (s, a): the count, the sum of stored rewards and the count
 * of each successor. The update above is a sum over entries, so this gives the same Q as the full buffer
 * (up to the order of floating-point sums) at a cost that does not grow with the buffer.
 */
import { policyReturn } from './evaluate';
import type { TabularMDP } from './mdp';
import type { Rng } from '../rng';

export type SampleMethod = 'mnm' | 'vmbpo' | 'q-learning' | 'q-learning-log';
/** The paper's three methods. */
export const SAMPLE_METHODS: readonly SampleMethod[] = ['mnm', 'q-learning', 'vmbpo'];
/** The paper's three and the control (Q-learning with MnM's log r: the same optimistic start, no model). */
export const SAMPLE_METHODS_WITH_CONTROL: readonly SampleMethod[] = [...SAMPLE_METHODS, 'q-learning-log'];
export const SAMPLE_METHOD_LABELS: Record<SampleMethod, string> = {
  mnm: 'MnM (authors’ learner)',
  'q-learning': 'Q-learning (authors’ learner)',
  vmbpo: 'VMBPO (authors’ learner)',
  'q-learning-log': 'control: Q-learning with log r (authors’ learner)',
};

export interface SampleLearnerConfig {
  iterations: number;
  episodeLength: number;
  lr: number;
  epsilon: number;
  evalEvery: number;
  /** Weight of log r in MnM's reward: 'eq3' = (1−γ) (the authors'), 'eq5' = 1. */
  logRewardWeight: 'eq3' | 'eq5';
  /** Clip the KL to [0, klClip]; null: no clip (the authors'). */
  klClip: number | null;
}

/** The authors' numbers: 1,501 iterations, 200-step episodes, lr 0.01, ε 0.5, evaluation every 20. */
export const AUTHORS_SAMPLE_LEARNER: SampleLearnerConfig = {
  iterations: 1501,
  episodeLength: 200,
  lr: 0.01,
  epsilon: 0.5,
  evalEvery: 20,
  logRewardWeight: 'eq3',
  klClip: null,
};

export interface SamplePoint {
  iteration: number;
  /** Exact true return of the greedy policy from the start distribution. */
  ret: number;
}

/** Runs one learner; returns its evaluation curve (iterations 0, evalEvery, 2·evalEvery, …). */
export function runSampleLearner(mdp: TabularMDP, method: SampleMethod, cfg: SampleLearnerConfig, rng: Rng): SamplePoint[] {
  const { S, A, rowStart, next, prob, reward, gamma, p0 } = mdp;
  if (!(SAMPLE_METHODS_WITH_CONTROL as readonly string[]).includes(method))
    throw new Error(`sample learner: unknown method '${method as string}' (expected ${SAMPLE_METHODS_WITH_CONTROL.join(', ')})`);
  for (const k of ['iterations', 'episodeLength', 'evalEvery'] as const)
    if (!(Number.isInteger(cfg[k]) && cfg[k] > 0)) throw new Error(`sample learner: ${k} must be a positive integer, got ${cfg[k]}`);
  if (!(cfg.lr > 0)) throw new Error(`sample learner: lr must be > 0, got ${cfg.lr}`);
  if (!(cfg.epsilon >= 0 && cfg.epsilon <= 1)) throw new Error(`sample learner: epsilon must be in [0, 1], got ${cfg.epsilon}`);
  const nnz = next.length;
  const Q = new Float64Array(S * A);
  const V = new Float64Array(S);
  const q = new Float64Array(nnz);
  const kl = new Float64Array(S * A);
  const rTilde = new Float64Array(S * A);
  const count = new Float64Array(S * A);
  const rewardSum = new Float64Array(S * A);
  const succCount = new Float64Array(nnz);
  const behaviour = new Float64Array(S * A).fill(1 / A);
  const greedy = new Float64Array(S * A);
  const w = cfg.logRewardWeight === 'eq5' ? 1 : 1 - gamma;
  const step = cfg.lr / cfg.episodeLength;
  const curve: SamplePoint[] = [];
  const drawStart = (): number => {
    let u = rng.uniform();
    for (let s = 0; s < S; s++) if ((u -= p0[s]) < 0) return s;
    return S - 1;
  };
  for (let it = 0; it < cfg.iterations; it++) {
    for (let s = 0; s < S; s++) {
      let m = -Infinity;
      for (let a = 0; a < A; a++) if (Q[s * A + a] > m) m = Q[s * A + a];
      V[s] = m;
    }
    if (method === 'q-learning' || method === 'q-learning-log') {
      q.set(prob);
      for (let i = 0; i < S * A; i++) rTilde[i] = method === 'q-learning' ? reward[i] : w * Math.log(reward[i]);
    } else {
      for (let i = 0; i < S * A; i++) {
        let mx = -Infinity;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (V[next[k]] > mx) mx = V[next[k]];
        let z = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) z += q[k] = prob[k] * Math.exp(V[next[k]] - mx);
        let d = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
          q[k] /= z;
          if (q[k] > 0) d += q[k] * Math.log(q[k] / prob[k]);
        }
        d = Math.max(0, d);
        kl[i] = cfg.klClip === null ? d : Math.min(d, cfg.klClip);
        rTilde[i] = (method === 'mnm' ? w * Math.log(reward[i]) : reward[i]) - kl[i];
      }
    }
    // One episode in q with the behaviour policy of the previous iteration.
    let s = drawStart();
    for (let t = 0; t < cfg.episodeLength; t++) {
      let u = rng.uniform();
      let a = A - 1;
      for (let b = 0; b < A; b++)
        if ((u -= behaviour[s * A + b]) < 0) {
          a = b;
          break;
        }
      const i = s * A + a;
      let v = rng.uniform();
      let k = rowStart[i + 1] - 1;
      for (let j = rowStart[i]; j < rowStart[i + 1]; j++)
        if ((v -= q[j]) < 0) {
          k = j;
          break;
        }
      count[i]++;
      rewardSum[i] += rTilde[i];
      succCount[k]++;
      s = next[k];
    }
    // One batch TD update over the whole buffer (V from the start of the iteration).
    for (let i = 0; i < S * A; i++) {
      if (count[i] === 0) continue;
      let target = rewardSum[i];
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) if (succCount[k] > 0) target += gamma * succCount[k] * V[next[k]];
      Q[i] += step * (target - count[i] * Q[i]);
    }
    greedy.fill(0);
    for (let s2 = 0; s2 < S; s2++) {
      let best = 0;
      for (let a = 1; a < A; a++) if (Q[s2 * A + a] > Q[s2 * A + best]) best = a;
      greedy[s2 * A + best] = 1;
      for (let a = 0; a < A; a++) behaviour[s2 * A + a] = cfg.epsilon / A + (a === best ? 1 - cfg.epsilon : 0);
    }
    if (it % cfg.evalEvery === 0) curve.push({ iteration: it, ret: policyReturn(mdp, greedy) });
  }
  return curve;
}
