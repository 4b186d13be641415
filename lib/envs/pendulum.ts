/**
 * Pendulum with Gymnasium's Pendulum-v1 dynamics, reward, limits and 200-step episodes.
 *   state (θ, θ̇), obs [cos θ, sin θ, θ̇], action torque u ∈ [−2, 2] (clipped, as Gymnasium does)
 *   reward = −(normalize(θ)² + 0.1 θ̇² + 0.001 u²)
 *   θ̇' = clip(θ̇ + (3g/(2l) sin θ + 3/(m l²) u) dt, −8, 8),  θ' = θ + θ̇' dt   (g = 10, m = l = 1, dt = 0.05)
 *   reset: θ ~ U(−π, π), θ̇ ~ U(−1, 1); never terminates; truncated after 200 steps.
 */
import { Rng } from '../rng';
import { checkAction, Env, StartStream, StepResult } from './types';

export const PENDULUM = { maxSpeed: 8, maxTorque: 2, dt: 0.05, g: 10, m: 1, l: 1, maxSteps: 200 } as const;

/** Angle wrapped into [−π, π) (Python's ((x + π) % 2π) − π, with a non-negative modulo). */
export function angleNormalize(x: number): number {
  const twoPi = 2 * Math.PI;
  return ((((x + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
}

export class Pendulum implements Env {
  readonly name = 'pendulum';
  readonly obsDim = 3;
  readonly actDim = 1;
  readonly actLow = Float32Array.of(-PENDULUM.maxTorque);
  readonly actHigh = Float32Array.of(PENDULUM.maxTorque);
  readonly maxSteps = PENDULUM.maxSteps;
  private th = 0;
  private thdot = 0;
  private t = 0;
  private done = true;
  private readonly starts = new StartStream();

  reset(seed?: Rng | number): Float32Array {
    const r = this.starts.next(this.name, seed);
    return this.resetTo(r.range(-Math.PI, Math.PI), r.range(-1, 1));
  }

  /** Starts an episode from a given state (tests, and Gymnasium's reset(options=...)). */
  resetTo(th: number, thdot: number): Float32Array {
    if (!Number.isFinite(th) || !Number.isFinite(thdot)) throw new Error(`pendulum.resetTo: state must be finite, got (${th}, ${thdot})`);
    this.th = th;
    this.thdot = thdot;
    this.t = 0;
    this.done = false;
    return this.obs();
  }

  /** Episode from an observation [cos θ, sin θ, θ̇]: θ = atan2(sin θ, cos θ). */
  resetToObs(obs: ArrayLike<number>): Float32Array {
    if (obs.length !== 3) throw new Error(`pendulum.resetToObs: obs must have length 3, got ${obs.length}`);
    return this.resetTo(Math.atan2(obs[1], obs[0]), obs[2]);
  }

  /** The internal state (θ, θ̇). */
  get state(): [number, number] {
    return [this.th, this.thdot];
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.done) throw new Error('pendulum.step: episode is over; call reset() first');
    const u = checkAction(this, action)[0];
    const { g, m, l, dt, maxSpeed } = PENDULUM;
    const cost = angleNormalize(this.th) ** 2 + 0.1 * this.thdot ** 2 + 0.001 * u * u;
    let newThdot = this.thdot + (((3 * g) / (2 * l)) * Math.sin(this.th) + (3 / (m * l * l)) * u) * dt;
    newThdot = Math.min(maxSpeed, Math.max(-maxSpeed, newThdot));
    this.th = this.th + newThdot * dt;
    this.thdot = newThdot;
    this.t++;
    const truncated = this.t >= this.maxSteps;
    this.done = truncated;
    return { obs: this.obs(), reward: -cost, terminated: false, truncated };
  }

  /** Reward from observations: the cost uses θ = atan2(sin, cos) and θ̇ of `obs` (the state before the step). */
  reward(obs: ArrayLike<number>, act: ArrayLike<number>): number {
    const th = Math.atan2(obs[1], obs[0]);
    const u = Math.min(PENDULUM.maxTorque, Math.max(-PENDULUM.maxTorque, act[0]));
    return -(th * th + 0.1 * obs[2] * obs[2] + 0.001 * u * u);
  }

  terminal(): boolean {
    return false;
  }

  private obs(): Float32Array {
    return Float32Array.of(Math.cos(this.th), Math.sin(this.th), this.thdot);
  }
}
