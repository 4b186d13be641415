/**
 * Policy evaluation for the deep agents: the mean return of deterministic episodes, and, on the same
 * episodes, the agent's Q estimate against the Monte Carlo discounted return it stands for (paper Fig. 7a).
 *
 * Q(s_t, a_t) estimates the discounted return from t onward with no time limit (SAC bootstraps through
 * time-limit truncation), so the Monte Carlo return is continued past the limit where the env can restart
 * from an observation (`resetToObs`), until γ^k < MC_TAIL; a terminated episode needs no continuation.
 * Where an env cannot restart from an observation the return is cut at the limit (`mcTruncated` says so).
 */
import type { Env } from '../envs';
import type { Rng } from '../rng';

/** The continuation stops once the remaining discount γ^k falls below this. */
export const MC_TAIL = 1e-2;

export interface PolicyLike {
  obsDim: number;
  act(obs: ArrayLike<number>, opts: { deterministic?: boolean }, rng?: Rng): Float32Array;
  qValues(obs: ArrayLike<number>, act: ArrayLike<number>): Float32Array;
}

export interface QEvaluation {
  /** Mean undiscounted return per episode (within the time limit): the number benchmarks report. */
  meanReturn: number;
  returns: number[];
  /** Mean min(Q1, Q2)(s_t, a_t) over every step of the episodes. */
  qEstimate: number;
  /** Mean Monte Carlo discounted return from each of those steps. */
  mcReturn: number;
  mcTruncated: boolean;
}

type Restartable = Env & { resetToObs?: (obs: ArrayLike<number>) => Float32Array };

export function evaluateQ(env: Restartable, policy: PolicyLike, episodes: number, gamma: number, rng: Rng): QEvaluation {
  const returns: number[] = [];
  let qSum = 0;
  let mcSum = 0;
  let count = 0;
  let mcTruncated = false;
  const tailSteps = Math.ceil(Math.log(MC_TAIL) / Math.log(gamma));
  for (let ep = 0; ep < episodes; ep++) {
    let obs = env.reset(rng.fork(`episode-${ep}`));
    const obsRows: number[] = [];
    const actRows: number[] = [];
    const rewards: number[] = [];
    let ret = 0;
    let ended: 'terminated' | 'truncated' = 'truncated';
    for (;;) {
      const act = policy.act(obs, { deterministic: true });
      obsRows.push(...obs);
      actRows.push(...act);
      const res = env.step(act);
      rewards.push(res.reward);
      ret += res.reward;
      obs = res.obs;
      if (res.terminated || res.truncated) {
        ended = res.terminated ? 'terminated' : 'truncated';
        break;
      }
    }
    returns.push(ret);
    const T = rewards.length;
    // Continue past the time limit so the discounted return from late steps is not cut short.
    const tail: number[] = [];
    if (ended === 'truncated') {
      if (typeof env.resetToObs === 'function') {
        let o = env.resetToObs(obs);
        for (let k = 0; k < tailSteps; k++) {
          const res = env.step(policy.act(o, { deterministic: true }));
          tail.push(res.reward);
          if (res.terminated) break;
          o = res.truncated ? env.resetToObs(res.obs) : res.obs;
        }
      } else mcTruncated = true;
    }
    let g = 0;
    for (let k = tail.length - 1; k >= 0; k--) g = tail[k] + gamma * g;
    const mc = new Float64Array(T);
    for (let t = T - 1; t >= 0; t--) {
      g = rewards[t] + gamma * g;
      mc[t] = g;
    }
    const q = policy.qValues(obsRows, actRows);
    for (let t = 0; t < T; t++) {
      qSum += q[t];
      mcSum += mc[t];
    }
    count += T;
  }
  return { meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length, returns, qEstimate: qSum / count, mcReturn: mcSum / count, mcTruncated };
}
