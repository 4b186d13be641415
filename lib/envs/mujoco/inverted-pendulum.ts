/**
 * InvertedPendulum-v5 (Gymnasium 1.0, inverted_pendulum_v5.py with inverted_pendulum.xml): a cart on a
 * rail pushed by a motor, a pole hinged on it.
 *   obs = (cart x, pole angle, cart ẋ, pole angular velocity) = (qpos, qvel), 4 values
 *   action = force on the cart in [−3, 3] (motor gear 100)
 *   reward = 1 on every step that does not terminate (v5: 0 on the terminating step)
 *   terminated when |pole angle| > 0.2 rad or the state is not finite
 *   reset: qpos, qvel ~ U(−0.01, 0.01) each; frame skip 2 (dt = 0.04 s); 1,000-step time limit.
 * Known differences from Gymnasium: see docs/mujoco.md.
 */
import { MujocoEnv, type State } from './env';

/** The model: the bodies, joints, sizes, ranges and gear of Gymnasium's inverted_pendulum.xml. */
export const INVERTED_PENDULUM_XML = `
<mujoco model="inverted pendulum">
  <compiler inertiafromgeom="true"/>
  <default>
    <joint armature="0" damping="1" limited="true"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
    <motor ctrlrange="-3 3"/>
  </default>
  <option gravity="0 0 -9.81" integrator="RK4" timestep="0.02"/>
  <worldbody>
    <geom name="rail" pos="0 0 0" quat="0.707 0 0.707 0" rgba="0.3 0.3 0.7 1" size="0.02 1" type="capsule"/>
    <body name="cart" pos="0 0 0">
      <joint name="slider" type="slide" axis="1 0 0" pos="0 0 0" range="-1 1" limited="true"/>
      <geom name="cart" type="capsule" pos="0 0 0" quat="0.707 0 0.707 0" size="0.1 0.1"/>
      <body name="pole" pos="0 0 0">
        <joint name="hinge" type="hinge" axis="0 1 0" pos="0 0 0" range="-90 90"/>
        <geom name="cpole" type="capsule" fromto="0 0 0 0.001 0 0.6" size="0.049 0.3" rgba="0 0.7 0.7 1"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="slide" joint="slider" gear="100" ctrllimited="true" ctrlrange="-3 3"/>
  </actuator>
</mujoco>`;

export const INVERTED_PENDULUM = { frameSkip: 2, resetNoise: 0.01, maxSteps: 1000, maxAngle: 0.2 } as const;

export class InvertedPendulum extends MujocoEnv {
  constructor() {
    super({ name: 'inverted-pendulum', xml: INVERTED_PENDULUM_XML, obsDim: 4, ...INVERTED_PENDULUM });
  }

  protected observe(s: State): Float32Array {
    return Float32Array.of(s.qpos[0], s.qpos[1], s.qvel[0], s.qvel[1]);
  }

  protected outcome(s: State): { reward: number; terminated: boolean } {
    const terminated = unhealthy([s.qpos[0], s.qpos[1], s.qvel[0], s.qvel[1]]);
    return { reward: terminated ? 0 : 1, terminated };
  }

  reward(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): number {
    return unhealthy(nextObs) ? 0 : 1;
  }

  terminal(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean {
    return unhealthy(nextObs);
  }

  /** The observation is the full state (qpos, qvel). */
  resetToObs(obs: ArrayLike<number>): Float32Array {
    if (obs.length !== 4) throw new Error(`inverted-pendulum.resetToObs: obs must have length 4, got ${obs.length}`);
    return this.setState([obs[0], obs[1]], [obs[2], obs[3]]);
  }
}

function unhealthy(obs: ArrayLike<number>): boolean {
  for (let i = 0; i < obs.length; i++) if (!Number.isFinite(obs[i])) return true;
  return Math.abs(obs[1]) > INVERTED_PENDULUM.maxAngle;
}
