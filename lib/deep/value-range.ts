/**
 * A task's value range D under the evaluation estimator (issue 25's normaliser for Q − G_soft, issue 23's for
 * the critic bar): the value of a good policy minus that of the uniform random policy.
 *
 * The estimator is evaluateQ's (lib/deep/q-evaluation.ts) for the task reward: episodes from env.reset, each
 * continued past the time limit from its last state (resetToObs) until γ^k < MC_TAIL; at every step t before
 * the time limit the discounted return G_t = r_t + γ G_{t+1}; the value is the mean of G_t over all those
 * steps of all episodes (the policy's own states, as E7 averages Q and G_soft). A scripted or random policy
 * has no entropy bonus to add, so G_soft = G here.
 */
import type { Env } from '../envs/types';
import { PointMaze, roundTheWallAction } from '../envs/point-maze';
import type { Rng } from '../rng';
import { MC_TAIL } from './q-evaluation';

/** A policy as the estimator runs it: an action for an observation, with its own noise stream. */
export type ScriptedPolicy = (obs: Float32Array, rng: Rng) => ArrayLike<number>;

export interface PolicyValue {
  /** Mean of G_t over the steps before the time limit of every episode: the estimator's number. */
  value: number;
  /** Mean G_0: the value from the start states alone. */
  startValue: number;
  /** Mean undiscounted return within the time limit. */
  meanReturn: number;
  /** Steps averaged, episodes run. */
  steps: number;
  episodes: number;
}

/** The evaluation estimator's value of `policy` on `env` (episodes from rng.fork(`episode-k`)). */
export function policyValue(env: Env, policy: ScriptedPolicy, episodes: number, gamma: number, rng: Rng): PolicyValue {
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new Error(`policyValue: episodes must be a positive integer, got ${episodes}`);
  if (!(gamma > 0 && gamma < 1)) throw new Error(`policyValue: gamma must be in (0, 1), got ${gamma}`);
  const tailSteps = Math.ceil(Math.log(MC_TAIL) / Math.log(gamma));
  let sum = 0;
  let count = 0;
  let startSum = 0;
  let returnSum = 0;
  for (let ep = 0; ep < episodes; ep++) {
    const r = rng.fork(`episode-${ep}`);
    const noise = r.fork('policy');
    let obs = env.reset(r.fork('reset'));
    const rewards: number[] = [];
    let T = -1;
    for (;;) {
      const res = env.step(policy(obs, noise));
      rewards.push(res.reward);
      if (res.terminated) break;
      if (res.truncated && T < 0) T = rewards.length;
      if (T >= 0 && rewards.length - T >= tailSteps) break;
      obs = res.truncated ? env.resetToObs(res.obs) : res.obs;
    }
    if (T < 0) T = rewards.length;
    let g = 0;
    const G = new Float64Array(rewards.length);
    for (let t = rewards.length - 1; t >= 0; t--) G[t] = g = rewards[t] + gamma * g;
    for (let t = 0; t < T; t++) sum += G[t];
    count += T;
    startSum += G[0];
    for (let t = 0; t < T; t++) returnSum += rewards[t];
  }
  return { value: sum / count, startValue: startSum / episodes, meanReturn: returnSum / episodes, steps: count, episodes };
}

/** The uniform random policy on the env's action box. */
export function uniformPolicy(env: Env): ScriptedPolicy {
  return (_obs, rng) => Array.from(env.actLow, (lo, i) => rng.range(lo, env.actHigh[i]));
}

export interface ValueRange {
  good: PolicyValue;
  random: PolicyValue;
  /** D = good.value − random.value. */
  D: number;
}

/** The point maze's value range: the scripted round-the-wall policy minus the uniform random policy. */
export function mazeValueRange(episodes: { good: number; random: number }, gamma: number, rng: Rng): ValueRange {
  const env = new PointMaze();
  const good = policyValue(env, (o) => roundTheWallAction(o[0], o[1]), episodes.good, gamma, rng.fork('good'));
  const random = policyValue(env, uniformPolicy(env), episodes.random, gamma, rng.fork('random'));
  return { good, random, D: good.value - random.value };
}

/**
 * The committed constant (issue 25), computed once by `npx tsx scripts/maze-value-range.ts` (γ 0.99, the deep
 * runs' discount; 200 scripted and 10,000 random episodes from seed key 'maze-value-range'). Other seed keys
 * move D by about ±0.2 (0.2%).
 */
export const MAZE_VALUE_RANGE = {
  gamma: 0.99,
  episodes: { good: 200, random: 10000 },
  seedKey: 'maze-value-range',
  good: -4.4871,
  random: -121.8594,
  D: 117.3723,
} as const;
