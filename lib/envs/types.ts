/**
 * Continuous-control environments with the shape of the Gymnasium API.
 *
 *   const env = makeEnv('pendulum');          // or new Pendulum(), new PointMaze()
 *   let obs = env.reset(seed);                // seed: an integer or an Rng; draws the start state
 *   obs = env.reset();                        // the next start from the same stream (Gymnasium's reset())
 *   const { obs, reward, terminated, truncated } = env.step(action);
 *
 * - `obsDim`, `actDim`, `actLow`/`actHigh` (per-dimension action bounds), `maxSteps` (time limit:
 *   `truncated` becomes true on the maxSteps-th step, as Gymnasium's TimeLimit wrapper does).
 * - Seeds: reset(seed) draws the start from `new Rng(seed)` (seed an integer) or from the Rng given; reset()
 *   with no seed draws the next start from the stream of the last seeded reset (the first reset needs a seed).
 *   Anything else ({}, [1, 2], true, 1.5, '3') is refused: it would name no stream of its own.
 * - Actions: an array of length actDim. A NaN/±Infinity entry, an entry that is not a number ('1', [1]) or
 *   a wrong length throws an Error naming the env, the entry and what it got (lib/show). Finite out-of-range entries are CLIPPED to [actLow, actHigh] (Gymnasium's
 *   Pendulum clips too); the clip is documented, never silent NaN.
 * - Stepping after `terminated` or `truncated` without a reset throws.
 * - `reward(obs, act, nextObs)` and `terminal(obs, act, nextObs)` are the task's reward and termination
 *   as functions of observations, so model-based agents can score imagined transitions with the true
 *   reward (MBPO-style) instead of learning it.
 * - Observations are fresh Float32Array copies (safe to keep).
 * - `resetToObs(obs)` starts an episode from the state an observation describes.
 * - MuJoCo tasks (./mujoco) need `await prepareEnv(name)` before makeEnv, and `close()` when done.
 */
import { Rng } from '../rng';
import { checkFinite, mustBe, showValue } from '../show';

export interface StepResult {
  obs: Float32Array;
  reward: number;
  /** The task ended (goal reached / failure); bootstrap with 0 after it. */
  terminated: boolean;
  /** The time limit cut the episode; bootstrap normally. */
  truncated: boolean;
}

export interface Env {
  readonly name: string;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actLow: Float32Array;
  readonly actHigh: Float32Array;
  readonly maxSteps: number;
  /** Starts an episode; the start state is drawn from `new Rng(seed)`, the Rng given, or (no seed) the last reset's stream. */
  reset(seed?: Rng | number): Float32Array;
  step(action: ArrayLike<number>): StepResult;
  /** The task reward of a transition, from observations only (used to score model rollouts). */
  reward(obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): number;
  /** Whether a transition ends the task, from observations only. */
  terminal(obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean;
  /**
   * Starts an episode (step counter 0) from the state an observation describes, e.g. to continue an
   * evaluation rollout past the time limit. Throws if the observation is not a valid state.
   */
  resetToObs(obs: ArrayLike<number>): Float32Array;
  /**
   * The fraction of a batch of model transitions (rows of obsDim) that the task's physics forbids, e.g. the point
   * maze's steps through its wall (`crossesWall`); absent where no such check exists. Model rounds report it.
   */
  impossibleFraction?(obs: Float32Array, next: Float32Array): number;
  /** Frees native resources (MuJoCo tasks); the env cannot be used after it. Pure-JS envs have none. */
  close?(): void;
}

/**
 * The stream an env's resets draw their start states from: the Rng given, a new one for an integer seed, or (no
 * seed) the stream of the last seeded reset. The one check of a seed at an env's edge.
 */
export class StartStream {
  private rng: Rng | null = null;

  next(env: string, seed: unknown): Rng {
    if (seed instanceof Rng) return (this.rng = seed);
    if (typeof seed === 'number' && Number.isSafeInteger(seed)) return (this.rng = new Rng(seed));
    if (seed === undefined && this.rng) return this.rng;
    if (seed === undefined) throw new TypeError(`${env}.reset: the first reset needs a seed (an integer or an Rng)`);
    throw mustBe(`${env}.reset: seed`, "an integer or an Rng (or nothing, to continue the last seed's stream)", seed);
  }
}

/**
 * Validates an action and returns it clipped to the bounds: throws on a wrong length or a non-finite entry.
 * The one place every env checks its actions.
 */
export function checkAction(env: Pick<Env, 'name' | 'actDim' | 'actLow' | 'actHigh'>, action: ArrayLike<number>): Float64Array {
  if (action == null || typeof action.length !== 'number') {
    throw mustBe(`${env.name}.step: action`, `an array of ${env.actDim} number(s)`, action);
  }
  if (action.length !== env.actDim) {
    throw new TypeError(`${env.name}.step: action must have length ${env.actDim}, got length ${action.length}: ${showValue(action)}`);
  }
  const out = new Float64Array(env.actDim);
  for (let i = 0; i < env.actDim; i++) {
    const a = checkFinite(`${env.name}.step: action[${i}]`, action[i]);
    out[i] = Math.min(env.actHigh[i], Math.max(env.actLow[i], a));
  }
  return out;
}
