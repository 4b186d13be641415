/**
 * Evaluation of a SAC agent for the deep experiments:
 *   - the return of deterministic episodes (tanh μ(s)): the number benchmarks report;
 *   - on episodes of the STOCHASTIC policy (the one the critics evaluate), the agent's Q estimate
 *     min(Q1, Q2)(s_t, a_t) against the Monte Carlo return it stands for (paper Fig. 7a).
 *
 * SAC's critic is a soft Q: its target r + γ(Q(s', a') − α log π(a'|s')) adds an entropy bonus at every
 * later step, so the matching Monte Carlo quantity is G_t = r_t + γ(G_{t+1} − α log π(a_{t+1}|s_{t+1}))
 * with the current α ("soft" MC). The task-reward-only MC return is reported too. Q estimates a return with
 * no time limit (SAC bootstraps through truncation), so the rollout is continued past the limit where the
 * env can restart from an observation (`resetToObs`) until γ^k < MC_TAIL; otherwise it is cut at the limit
 * (`mcTruncated`).
 */
import * as tf from '@tensorflow/tfjs';
import { type Env, Pendulum, PointMaze } from '../envs/index';
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
  mcTruncated: boolean;
}

type Restartable = Env & { resetToObs?: (obs: ArrayLike<number>) => Float32Array };

/**
 * Starts a new episode at the state an observation describes, or returns null where that is not known.
 * Uses the env's own `resetToObs` when it has one; both envs here have full-state observations.
 */
export function restartFromObs(env: Restartable, obs: ArrayLike<number>): Float32Array | null {
  if (typeof env.resetToObs === 'function') return env.resetToObs(obs);
  if (env instanceof Pendulum) return env.resetTo(Math.atan2(obs[1], obs[0]), obs[2]);
  if (env instanceof PointMaze) return env.resetTo(obs[0], obs[1]);
  return null;
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A stochastic action (env units) and its log-probability under the tanh-squashed Gaussian policy.
 * Same density as Sac's private sampler (kept here until Sac exposes log π; see notes/requests.md).
 */
export function sampleWithLogProb(sac: Sac, obs: ArrayLike<number>, rng: Rng): { act: Float32Array; logp: number } {
  const d = sac.actDim;
  const eps = new Float32Array(d);
  for (let i = 0; i < d; i++) eps[i] = rng.normal();
  const out = tf.tidy(() => sac.actor.apply(tf.tensor2d(Float32Array.from(obs), [1, sac.obsDim])));
  const o = out.dataSync();
  out.dispose();
  const act = new Float32Array(d);
  let logp = 0;
  for (let j = 0; j < d; j++) {
    const logStd = Math.min(sac.config.logStdMax, Math.max(sac.config.logStdMin, o[d + j]));
    const u = o[j] + Math.exp(logStd) * eps[j];
    const a = Math.tanh(u);
    // log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)), stable for large |u|.
    const softplus = Math.max(-2 * u, 0) + Math.log1p(Math.exp(-Math.abs(2 * u)));
    logp += -0.5 * eps[j] * eps[j] - logStd - 0.5 * LOG_2PI - 2 * (Math.log(2) - u - softplus);
    act[j] = sac.actLow[j] + ((a + 1) / 2) * (sac.actHigh[j] - sac.actLow[j]);
  }
  return { act, logp };
}

interface Step { reward: number; logp: number }

/** One stochastic episode plus its continuation past the time limit: (s_t, a_t) of the episode and every step's reward and log π. */
function stochasticEpisode(env: Restartable, sac: Sac, rng: Rng, tailSteps: number): { obs: number[]; act: number[]; steps: Step[]; T: number; cut: boolean } {
  let obs = env.reset(rng.fork('reset'));
  const noise = rng.fork('policy');
  const obsRows: number[] = [];
  const actRows: number[] = [];
  const steps: Step[] = [];
  let truncated = false;
  for (;;) {
    const { act, logp } = sampleWithLogProb(sac, obs, noise);
    obsRows.push(...obs);
    actRows.push(...act);
    const res = env.step(act);
    steps.push({ reward: res.reward, logp });
    obs = res.obs;
    if (res.terminated) break;
    if (res.truncated) {
      truncated = true;
      break;
    }
  }
  const T = steps.length;
  let cut = false;
  if (truncated) {
    let o = restartFromObs(env, obs);
    if (o === null) cut = true;
    for (let k = 0; o !== null && k < tailSteps; k++) {
      const { act, logp } = sampleWithLogProb(sac, o, noise);
      const res = env.step(act);
      steps.push({ reward: res.reward, logp });
      if (res.terminated) break;
      o = res.truncated ? restartFromObs(env, res.obs) : res.obs;
    }
  }
  return { obs: obsRows, act: actRows, steps, T, cut };
}

export function evaluateQ(env: Restartable, sac: Sac, episodes: number, gamma: number, rng: Rng): QEvaluation {
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
  let mcTruncated = false;
  for (let ep = 0; ep < episodes; ep++) {
    const e = stochasticEpisode(env, sac, rng.fork(`stoch-${ep}`), tailSteps);
    mcTruncated ||= e.cut;
    // Backward: G_t = r_t + γ(G_{t+1} − α log π_{t+1});  H_t = r_t + γ H_{t+1}.
    const soft = new Float64Array(e.steps.length);
    const task = new Float64Array(e.steps.length);
    for (let t = e.steps.length - 1; t >= 0; t--) {
      const next = t + 1 < e.steps.length ? soft[t + 1] - alpha * e.steps[t + 1].logp : 0;
      soft[t] = e.steps[t].reward + gamma * next;
      task[t] = e.steps[t].reward + gamma * (t + 1 < e.steps.length ? task[t + 1] : 0);
    }
    const q = sac.qValues(e.obs, e.act);
    for (let t = 0; t < e.T; t++) {
      qSum += q[t];
      softSum += soft[t];
      taskSum += task[t];
    }
    count += e.T;
  }
  return {
    meanReturn: returns.reduce((a, b) => a + b, 0) / returns.length,
    returns,
    qEstimate: qSum / count,
    mcReturn: softSum / count,
    mcTaskReturn: taskSum / count,
    mcTruncated,
  };
}
