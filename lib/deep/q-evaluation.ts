/**
 * Evaluation of a SAC agent for the deep experiments:
 *   - the return of deterministic episodes (tanh μ(s)): the number benchmarks report;
 *   - on episodes of the STOCHASTIC policy (the one the critics evaluate), the agent's Q estimate
 *     min(Q1, Q2)(s_t, a_t) against the Monte Carlo return it stands for (paper Fig. 7a).
 *
 * SAC's critic is a soft Q: its target r + γ(Q(s', a') − α log π(a'|s')) adds an entropy bonus at every
 * later step, so the matching Monte Carlo quantity is G_t = r_t + γ(G_{t+1} − α log π(a_{t+1}|s_{t+1}))
 * with the current α ("soft" MC; log π from Sac.logProb). The task-reward-only MC return is reported too.
 * Q estimates a return with no time limit (SAC bootstraps through truncation), so the rollout is continued
 * past the limit from its last state (`Env.resetToObs`) until γ^k < MC_TAIL.
 */
import type { Env } from '../envs/index';
import type { Rng } from '../rng';
import type { Sac } from './sac';

/** The continuation stops once the remaining discount γ^k falls below this. */
export const MC_TAIL = 1e-2;

export interface QEvaluation {
  /** Mean undiscounted return of the deterministic episodes (within the time limit). */
  meanReturn: number;
  returns: number[];
  /** Mean min(Q1, Q2)(s_t, a_t) over every step of the stochastic episodes. */
  qEstimate: number;
  /** Mean soft Monte Carlo return (task reward + the same entropy bonus the critic includes) from those steps. */
  mcReturn: number;
  /** Mean Monte Carlo return of the task reward alone from those steps. */
  mcTaskReturn: number;
  /** The transitions (s_t, a_t, s_{t+1}) of those steps: the current policy's own states, where a model's error matters. */
  policyTransitions: { n: number; obs: Float32Array; act: Float32Array; nextObs: Float32Array };
}

/**
 * One episode of the stochastic policy plus its continuation past the time limit (from the last state, via
 * `resetToObs`, until γ^k < MC_TAIL or the task terminates): (s_t, a_t) of the episode, and the reward and
 * log π of every step (log π from Sac.logProb, in one batched call).
 */
function stochasticEpisode(
  env: Env,
  sac: Sac,
  rng: Rng,
  tailSteps: number,
): { obs: number[]; act: number[]; next: number[]; rewards: number[]; logp: Float32Array; T: number } {
  const noise = rng.fork('policy');
  const obsRows: number[] = [];
  const actRows: number[] = [];
  const nextRows: number[] = [];
  const rewards: number[] = [];
  let o = env.reset(rng.fork('reset'));
  let T = -1;
  for (;;) {
    const act = sac.act(o, { deterministic: false }, noise);
    obsRows.push(...o);
    actRows.push(...act);
    const res = env.step(act);
    nextRows.push(...res.obs);
    rewards.push(res.reward);
    if (res.terminated) break;
    if (res.truncated && T < 0) T = rewards.length;
    if (T >= 0 && rewards.length - T >= tailSteps) break;
    o = res.truncated ? env.resetToObs(res.obs) : res.obs;
  }
  if (T < 0) T = rewards.length;
  return { obs: obsRows, act: actRows, next: nextRows, rewards, logp: sac.logProb(obsRows, actRows), T };
}

export function evaluateQ(env: Env, sac: Sac, episodes: number, gamma: number, rng: Rng): QEvaluation {
  const returns: number[] = [];
  for (let ep = 0; ep < episodes; ep++) {
    let obs = env.reset(rng.fork(`det-${ep}`));
    let ret = 0;
    for (;;) {
      const res = env.step(sac.act(obs, { deterministic: true }));
      ret += res.reward;
      obs = res.obs;
      if (res.terminated || res.truncated) break;
    }
    returns.push(ret);
  }
  const alpha = sac.alpha;
  const tailSteps = Math.ceil(Math.log(MC_TAIL) / Math.log(gamma));
  let qSum = 0;
  let softSum = 0;
  let taskSum = 0;
  let count = 0;
  const seen: { obs: number[]; act: number[]; next: number[] } = { obs: [], act: [], next: [] };
  for (let ep = 0; ep < episodes; ep++) {
    const e = stochasticEpisode(env, sac, rng.fork(`stoch-${ep}`), tailSteps);
    // Backward: G_t = r_t + γ(G_{t+1} − α log π_{t+1});  H_t = r_t + γ H_{t+1}.
    const L = e.rewards.length;
    const soft = new Float64Array(L);
    const task = new Float64Array(L);
    for (let t = L - 1; t >= 0; t--) {
      soft[t] = e.rewards[t] + (t + 1 < L ? gamma * (soft[t + 1] - alpha * e.logp[t + 1]) : 0);
      task[t] = e.rewards[t] + (t + 1 < L ? gamma * task[t + 1] : 0);
    }
    const q = sac.qValues(e.obs.slice(0, e.T * sac.obsDim), e.act.slice(0, e.T * sac.actDim));
    for (let t = 0; t < e.T; t++) {
      qSum += q[t];
      softSum += soft[t];
      taskSum += task[t];
    }
    count += e.T;
    seen.obs.push(...e.obs.slice(0, e.T * sac.obsDim));
    seen.act.push(...e.act.slice(0, e.T * sac.actDim));
    seen.next.push(...e.next.slice(0, e.T * sac.obsDim));
  }
  return {
    meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length,
    returns,
    qEstimate: qSum / count,
    mcReturn: softSum / count,
    mcTaskReturn: taskSum / count,
    policyTransitions: {
      n: count,
      obs: Float32Array.from(seen.obs),
      act: Float32Array.from(seen.act),
      nextObs: Float32Array.from(seen.next),
    },
  };
}
