/**
 * Progress of a learner measured in the TRUE environment, exactly: the discounted return of the greedy
 * policy of its Q table (policy evaluation on the true p), and whether that policy reaches the goal.
 * Learners never see these numbers; they are the y axis of the learning curves.
 */
import { evaluatePolicy } from './evaluate';
import type { TabularMDP } from './mdp';
import { greedyPolicy } from './solve';

export interface GreedyProgress {
  /** J(π_greedy) = p0·V under the true dynamics. */
  ret: number;
  /** The most likely path of π_greedy from the start (each step its most probable successor) reaches the goal. */
  reaches: boolean;
  /** Exact probability that π_greedy has visited the goal within `horizon` steps of the true dynamics. */
  reachProb: number;
}

/** Follows the most probable successor of the greedy action from the start for up to S steps. */
export function likelyPath(mdp: TabularMDP, pi: Float64Array, start: number, goal: number, maxSteps = mdp.S): number[] {
  const { A, rowStart, next, prob } = mdp;
  const path = [start];
  let s = start;
  for (let t = 0; t < maxSteps && s !== goal; t++) {
    let a = 0;
    for (let b = 1; b < A; b++) if (pi[s * A + b] > pi[s * A + a]) a = b;
    const i = s * A + a;
    let best = rowStart[i];
    for (let k = rowStart[i] + 1; k < rowStart[i + 1]; k++) if (prob[k] > prob[best]) best = k;
    s = next[best];
    path.push(s);
  }
  return path;
}

/** P(goal visited within `horizon` steps) under (p, π), the goal made absorbing for the count. */
export function reachProbability(mdp: TabularMDP, pi: Float64Array, goal: number, horizon: number): number {
  const { S, A, rowStart, next, prob, p0 } = mdp;
  let d = Float64Array.from(p0);
  let nd = new Float64Array(S);
  let hit = d[goal];
  d[goal] = 0;
  for (let t = 0; t < horizon; t++) {
    nd.fill(0);
    for (let s = 0; s < S; s++) {
      const w = d[s];
      if (w === 0) continue;
      for (let a = 0; a < A; a++) {
        const pa = pi[s * A + a];
        if (pa === 0) continue;
        const i = s * A + a;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) nd[next[k]] += w * pa * prob[k];
      }
    }
    hit += nd[goal];
    nd[goal] = 0;
    const tmp = d;
    d = nd;
    nd = tmp;
  }
  return hit;
}

/** Start state of an MDP whose p0 is a single state (errors otherwise). */
export function singleStart(mdp: TabularMDP): number {
  let start = -1;
  for (let s = 0; s < mdp.S; s++) {
    if (mdp.p0[s] === 1) start = s;
    else if (mdp.p0[s] !== 0) throw new Error('progress: p0 must put all mass on one start state to follow a path');
  }
  if (start < 0) throw new Error('progress: p0 has no start state');
  return start;
}

/** The greedy policy of Q (first action on ties) and its exact progress in the true MDP. */
export function greedyProgress(mdp: TabularMDP, Q: Float64Array, goal: number, horizon: number): GreedyProgress & { policy: Float64Array } {
  const policy = greedyPolicy(Q, mdp.S, mdp.A);
  const V = evaluatePolicy(mdp, policy);
  let ret = 0;
  for (let s = 0; s < mdp.S; s++) if (mdp.p0[s] !== 0) ret += mdp.p0[s] * V[s];
  const path = likelyPath(mdp, policy, singleStart(mdp), goal);
  return { policy, ret, reaches: path[path.length - 1] === goal, reachProb: reachProbability(mdp, policy, goal, horizon) };
}
