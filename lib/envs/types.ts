/**
 * Continuous-control environments with the shape of the Gymnasium API.
 *
 *   const env = makeEnv('pendulum');          // or new Pendulum(), new PointMaze()
 *   let obs = env.reset(rng);                 // rng: Rng or a seed (number/string); draws the start state
 *   const { obs, reward, terminated, truncated } = env.step(action);
 *
 * - `obsDim`, `actDim`, `actLow`/`actHigh` (per-dimension action bounds), `maxSteps` (time limit:
 *   `truncated` becomes true on the maxSteps-th step, as Gymnasium's TimeLimit wrapper does).
 * - Actions: an array of length actDim. A NaN/±Infinity entry or a wrong length throws an Error naming
 *   the env and the entry. Finite out-of-range entries are CLIPPED to [actLow, actHigh] (Gymnasium's
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
  /** Starts an episode; the start state is drawn from `rng` (or `new Rng(seed)`). */
  reset(rng: Rng | number | string): Float32Array;
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
  /** Frees native resources (MuJoCo tasks); the env cannot be used after it. Pure-JS envs have none. */
  close?(): void;
}

export function asRng(r: Rng | number | string): Rng {
  return r instanceof Rng ? r : new Rng(r);
}

/**
 * Validates an action and returns it clipped to the bounds: throws on a wrong length or a non-finite entry.
 * The one place every env checks its actions.
 */
export function checkAction(env: Pick<Env, 'name' | 'actDim' | 'actLow' | 'actHigh'>, action: ArrayLike<number>): Float64Array {
  if (action == null || typeof action.length !== 'number') {
    throw new Error(`${env.name}.step: action must be an array of length ${env.actDim}, got ${String(action)}`);
  }
  if (action.length !== env.actDim) {
    throw new Error(`${env.name}.step: action must have length ${env.actDim}, got length ${action.length}`);
  }
  const out = new Float64Array(env.actDim);
  for (let i = 0; i < env.actDim; i++) {
    const a = action[i];
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      throw new Error(`${env.name}.step: action[${i}] must be a finite number, got ${a}`);
    }
    out[i] = Math.min(env.actHigh[i], Math.max(env.actLow[i], a));
  }
  return out;
}
