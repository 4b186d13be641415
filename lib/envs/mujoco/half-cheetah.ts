/**
 * HalfCheetah-v5 (Gymnasium 1.0, half_cheetah_v5.py with half_cheetah.xml): a planar two-legged runner.
 *   qpos = (rootx, rootz, rooty, bthigh, bshin, bfoot, fthigh, fshin, ffoot), qvel the same 9 velocities
 *   obs = (qpos[1:], qvel): 17 values (the x position is left out)
 *   action = torques on the six leg joints in [−1, 1] (gears 120, 90, 60, 120, 60, 30)
 *   reward = (x_after − x_before)/dt − 0.1‖a‖²; never terminates; 1,000-step time limit
 *   reset: qpos = qpos0 + U(−0.1, 0.1), qvel = 0.1·N(0, 1); frame skip 5 (dt = 0.05 s).
 * Known differences from Gymnasium: see docs/mujoco.md.
 */
import type { Rng } from '../../rng';
import { MujocoEnv, type State } from './env';

/** The model: the bodies, joints (stiffness, damping, ranges), geoms and gears of Gymnasium's half_cheetah.xml. */
export const HALF_CHEETAH_XML = `
<mujoco model="cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <default>
    <joint armature=".1" damping=".01" limited="true" solimplimit="0 .8 .03" solreflimit=".02 1" stiffness="8"/>
    <geom conaffinity="0" condim="3" contype="1" friction=".4 .1 .1" rgba="0.8 0.6 .4 1" solimp="0.0 0.8 0.01" solref="0.02 1"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>
  <option gravity="0 0 -9.81" timestep="0.01"/>
  <worldbody>
    <geom name="floor" type="plane" conaffinity="1" condim="3" pos="0 0 0" rgba="0.8 0.9 0.8 1" size="40 40 40"/>
    <body name="torso" pos="0 0 .7">
      <joint name="rootx" type="slide" axis="1 0 0" pos="0 0 0" armature="0" damping="0" limited="false" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" pos="0 0 0" armature="0" damping="0" limited="false" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" pos="0 0 0" armature="0" damping="0" limited="false" stiffness="0"/>
      <geom name="torso" type="capsule" fromto="-.5 0 0 .5 0 0" size="0.046"/>
      <geom name="head" type="capsule" axisangle="0 1 0 .87" pos=".6 0 .1" size="0.046 .15"/>
      <body name="bthigh" pos="-.5 0 0">
        <joint name="bthigh" type="hinge" axis="0 1 0" pos="0 0 0" damping="6" range="-.52 1.05" stiffness="240"/>
        <geom name="bthigh" type="capsule" axisangle="0 1 0 -3.8" pos=".1 0 -.13" size="0.046 .145"/>
        <body name="bshin" pos=".16 0 -.25">
          <joint name="bshin" type="hinge" axis="0 1 0" pos="0 0 0" damping="4.5" range="-.785 .785" stiffness="180"/>
          <geom name="bshin" type="capsule" axisangle="0 1 0 -2.03" pos="-.14 0 -.07" rgba="0.9 0.6 0.6 1" size="0.046 .15"/>
          <body name="bfoot" pos="-.28 0 -.14">
            <joint name="bfoot" type="hinge" axis="0 1 0" pos="0 0 0" damping="3" range="-.4 .785" stiffness="120"/>
            <geom name="bfoot" type="capsule" axisangle="0 1 0 -.27" pos=".03 0 -.097" rgba="0.9 0.6 0.6 1" size="0.046 .094"/>
          </body>
        </body>
      </body>
      <body name="fthigh" pos=".5 0 0">
        <joint name="fthigh" type="hinge" axis="0 1 0" pos="0 0 0" damping="4.5" range="-1 .7" stiffness="180"/>
        <geom name="fthigh" type="capsule" axisangle="0 1 0 .52" pos="-.07 0 -.12" size="0.046 .133"/>
        <body name="fshin" pos="-.14 0 -.24">
          <joint name="fshin" type="hinge" axis="0 1 0" pos="0 0 0" damping="3" range="-1.2 .87" stiffness="120"/>
          <geom name="fshin" type="capsule" axisangle="0 1 0 -.6" pos=".065 0 -.09" rgba="0.9 0.6 0.6 1" size="0.046 .106"/>
          <body name="ffoot" pos=".13 0 -.18">
            <joint name="ffoot" type="hinge" axis="0 1 0" pos="0 0 0" damping="1.5" range="-.5 .5" stiffness="60"/>
            <geom name="ffoot" type="capsule" axisangle="0 1 0 -.6" pos=".045 0 -.07" rgba="0.9 0.6 0.6 1" size="0.046 .07"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="120"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
</mujoco>`;

export const HALF_CHEETAH = { frameSkip: 5, resetNoise: 0.1, maxSteps: 1000, forwardWeight: 1, ctrlCostWeight: 0.1 } as const;

export class HalfCheetah extends MujocoEnv {
  constructor() {
    super({ name: 'half-cheetah', xml: HALF_CHEETAH_XML, obsDim: 17, ...pick(HALF_CHEETAH) });
  }

  /** Gymnasium's HalfCheetah draws qvel from a normal: qvel = 0.1·N(0, 1) (qpos noise is uniform). */
  override reset(seed?: Rng | number): Float32Array {
    const r = this.startStream(seed);
    const s = this.resetNoise;
    const qpos = Float64Array.from(this.qpos0, (q) => q + r.range(-s, s));
    const qvel = Float64Array.from({ length: this.nv }, () => s * r.normal());
    return this.setState(qpos, qvel);
  }

  protected observe(s: State): Float32Array {
    const o = new Float32Array(17);
    for (let i = 1; i < 9; i++) o[i - 1] = s.qpos[i];
    for (let i = 0; i < 9; i++) o[8 + i] = s.qvel[i];
    return o;
  }

  protected override beforeStep(s: State): number {
    return s.qpos[0];
  }

  protected outcome(s: State, a: Float64Array, xBefore: number): { reward: number; terminated: boolean } {
    let ctrl = 0;
    for (let i = 0; i < a.length; i++) ctrl += a[i] * a[i];
    return {
      reward: (HALF_CHEETAH.forwardWeight * (s.qpos[0] - xBefore)) / this.dt - HALF_CHEETAH.ctrlCostWeight * ctrl,
      terminated: false,
    };
  }

  /** Reward from observations: the forward term uses the x velocity at the end of the step (nextObs[8]). */
  reward(_obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): number {
    let ctrl = 0;
    for (let i = 0; i < act.length; i++) {
      const a = Math.min(1, Math.max(-1, act[i]));
      ctrl += a * a;
    }
    return HALF_CHEETAH.forwardWeight * nextObs[8] - HALF_CHEETAH.ctrlCostWeight * ctrl;
  }

  terminal(): boolean {
    return false;
  }

  /** An episode from an observation: x = 0 (the reward only sees x differences), the rest as observed. */
  resetToObs(obs: ArrayLike<number>): Float32Array {
    if (obs.length !== 17) throw new Error(`half-cheetah.resetToObs: obs must have length 17, got ${obs.length}`);
    return this.setState(
      [0, ...Array.from({ length: 8 }, (_, i) => obs[i])],
      Array.from({ length: 9 }, (_, i) => obs[8 + i]),
    );
  }
}

function pick(c: typeof HALF_CHEETAH) {
  return { frameSkip: c.frameSkip, resetNoise: c.resetNoise, maxSteps: c.maxSteps };
}
