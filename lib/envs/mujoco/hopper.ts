/**
 * Hopper-v5 (Gymnasium 1.0, hopper_v5.py with hopper_v5.xml): a planar one-legged robot (torso, thigh,
 * leg, foot) hopping forward.
 *   qpos = (rootx, rootz, rooty, thigh, leg, foot), qvel the same 6 velocities
 *   obs = (qpos[1:], clip(qvel, −10, 10)): 11 values (the x position is left out)
 *   action = torques on thigh, leg, foot in [−1, 1] (motor gear 200)
 *   reward = healthy·1 + (x_after − x_before)/dt − 0.001‖a‖²
 *   healthy = z ∈ (0.7, ∞), torso angle ∈ (−0.2, 0.2), every entry of (qpos[2:], qvel) ∈ (−100, 100);
 *   terminated when not healthy; reset noise 0.005 on qpos and qvel; frame skip 4 (dt = 0.008 s);
 *   1,000-step time limit.
 * Known differences from Gymnasium: see docs/mujoco.md.
 */
import { MujocoEnv, type State } from './env';

/**
 * The model: the bodies, joints, sizes, ranges, frictions and gears of Gymnasium's hopper_v5.xml (local
 * coordinates, as v5 has them). Masses follow from the capsules (inertiafromgeom, density 1000).
 */
export const HOPPER_XML = `
<mujoco model="hopper">
  <compiler angle="degree" inertiafromgeom="true"/>
  <default>
    <joint armature="1" damping="1" limited="true"/>
    <geom conaffinity="1" condim="1" contype="1" margin="0.001" rgba="0.8 0.6 .4 1" solimp=".8 .8 .01" solref=".02 1"/>
    <motor ctrllimited="true" ctrlrange="-.4 .4"/>
  </default>
  <option integrator="RK4" timestep="0.002"/>
  <worldbody>
    <geom name="floor" type="plane" conaffinity="1" condim="3" pos="0 0 0" size="20 20 .125" rgba="0.8 0.9 0.8 1"/>
    <body name="torso" pos="0 0 1.25">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 -1.25" armature="0" damping="0" limited="false" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 -1.25" ref="1.25" armature="0" damping="0" limited="false" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" armature="0" damping="0" limited="false" stiffness="0"/>
      <geom name="torso_geom" type="capsule" size="0.05 0.2" friction="0.9"/>
      <body name="thigh" pos="0 0 -0.2">
        <joint name="thigh_joint" type="hinge" axis="0 -1 0" pos="0 0 0" range="-150 0"/>
        <geom name="thigh_geom" type="capsule" pos="0 0 -0.225" size="0.05 0.225" friction="0.9"/>
        <body name="leg" pos="0 0 -0.7">
          <joint name="leg_joint" type="hinge" axis="0 -1 0" pos="0 0 0.25" range="-150 0"/>
          <geom name="leg_geom" type="capsule" size="0.04 0.25" friction="0.9"/>
          <body name="foot" pos="0.13 0 -0.35">
            <joint name="foot_joint" type="hinge" axis="0 -1 0" pos="-0.13 0 0.1" range="-45 45"/>
            <geom name="foot_geom" type="capsule" pos="-0.065 0 0.1" quat="0.70710678118654757 0 -0.70710678118654746 0" size="0.06 0.195" friction="2.0"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor joint="thigh_joint" gear="200.0" ctrllimited="true" ctrlrange="-1.0 1.0"/>
    <motor joint="leg_joint" gear="200.0" ctrllimited="true" ctrlrange="-1.0 1.0"/>
    <motor joint="foot_joint" gear="200.0" ctrllimited="true" ctrlrange="-1.0 1.0"/>
  </actuator>
</mujoco>`;

export const HOPPER = {
  frameSkip: 4,
  resetNoise: 5e-3,
  maxSteps: 1000,
  forwardWeight: 1,
  ctrlCostWeight: 1e-3,
  healthyReward: 1,
  healthyState: [-100, 100],
  healthyZ: [0.7, Infinity],
  healthyAngle: [-0.2, 0.2],
  maxObsVelocity: 10,
} as const;

/** Healthy from (z, torso angle, and the entries that must stay in healthyState). */
function healthy(z: number, angle: number, rest: ArrayLike<number>, from: number): boolean {
  const [sLo, sHi] = HOPPER.healthyState;
  for (let i = from; i < rest.length; i++) if (!(rest[i] > sLo && rest[i] < sHi)) return false;
  return z > HOPPER.healthyZ[0] && z < HOPPER.healthyZ[1] && angle > HOPPER.healthyAngle[0] && angle < HOPPER.healthyAngle[1];
}

export class Hopper extends MujocoEnv {
  constructor() {
    super({
      name: 'hopper',
      xml: HOPPER_XML,
      obsDim: 11,
      frameSkip: HOPPER.frameSkip,
      resetNoise: HOPPER.resetNoise,
      maxSteps: HOPPER.maxSteps,
    });
  }

  protected observe(s: State): Float32Array {
    const o = new Float32Array(11);
    for (let i = 1; i < 6; i++) o[i - 1] = s.qpos[i];
    const v = HOPPER.maxObsVelocity;
    for (let i = 0; i < 6; i++) o[5 + i] = Math.min(v, Math.max(-v, s.qvel[i]));
    return o;
  }

  /** Whether the current state is healthy (Gymnasium's is_healthy: on qpos[1:3] and state_vector()[2:]). */
  isHealthy(): boolean {
    const { qpos, qvel } = this.state();
    return healthy(qpos[1], qpos[2], qpos, 2) && healthy(qpos[1], qpos[2], qvel, 0);
  }

  protected override beforeStep(s: State): number {
    return s.qpos[0];
  }

  protected outcome(s: State, a: Float64Array, xBefore: number): { reward: number; terminated: boolean } {
    const ok = this.isHealthy();
    const forward = (HOPPER.forwardWeight * (s.qpos[0] - xBefore)) / this.dt;
    let ctrl = 0;
    for (let i = 0; i < a.length; i++) ctrl += a[i] * a[i];
    return { reward: (ok ? HOPPER.healthyReward : 0) + forward - HOPPER.ctrlCostWeight * ctrl, terminated: !ok };
  }

  /**
   * Reward from observations. The observation has no x position, so the forward term uses the x velocity at
   * the end of the step (nextObs[5], clipped at ±10) instead of the displacement over the step.
   */
  reward(_obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): number {
    let ctrl = 0;
    for (let i = 0; i < act.length; i++) {
      const a = Math.min(1, Math.max(-1, act[i]));
      ctrl += a * a;
    }
    const ok = !this.terminal(_obs, act, nextObs);
    return (ok ? HOPPER.healthyReward : 0) + HOPPER.forwardWeight * nextObs[5] - HOPPER.ctrlCostWeight * ctrl;
  }

  /** Termination from the observation: z = obs[0], angle = obs[1], and obs[1:] in the healthy state range. */
  terminal(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean {
    return !healthy(nextObs[0], nextObs[1], nextObs, 1);
  }

  /** An episode from an observation: x = 0 (the reward only sees x differences); velocities as observed (clipped). */
  resetToObs(obs: ArrayLike<number>): Float32Array {
    if (obs.length !== 11) throw new Error(`hopper.resetToObs: obs must have length 11, got ${obs.length}`);
    return this.setState(
      [0, obs[0], obs[1], obs[2], obs[3], obs[4]],
      Array.from({ length: 6 }, (_, i) => obs[5 + i]),
    );
  }
}
