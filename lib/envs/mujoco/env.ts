/**
 * The base of the MuJoCo tasks, with the semantics of Gymnasium's MujocoEnv (v5):
 * - one env step = `frameSkip` physics steps with ctrl held at the action (dt = frameSkip · timestep);
 * - reset: mj_resetData, then qpos = qpos0 + U(−s, s)^nq and qvel = 0 + U(−s, s)^nv (s = reset noise scale,
 *   drawn in that order from the Rng passed in), then mj_forward;
 * - action bounds = the actuators' ctrlrange in the model; `truncated` on the maxSteps-th step (TimeLimit).
 * Subclasses give the observation, reward and termination.
 *
 * qpos/qvel/ctrl are Float64Array views on the module's heap (no copies); a view goes stale when the heap
 * grows (another model is compiled), so `state()` re-takes it then. `close()` frees the native model and
 * data; the env cannot be used after it.
 */
import type { Rng } from '../../rng';
import { checkAction, type Env, StartStream, type StepResult } from '../types';
import { compileModel, mujoco, type Simulation } from './module';
import { mustBe } from '../../show';

/** MuJoCo's mjMAXVAL: a position, velocity or acceleration beyond it makes mj_step reset the simulation. */
const MJ_MAXVAL = 1e10;
const MAXVAL_TEXT = '1e10';

export interface MujocoTask {
  name: string;
  /** MJCF text of the model. */
  xml: string;
  frameSkip: number;
  resetNoise: number;
  maxSteps: number;
  obsDim: number;
}

/** Live views of the simulation state (valid until the next model compile). */
export interface State {
  qpos: Float64Array;
  qvel: Float64Array;
  ctrl: Float64Array;
}

export abstract class MujocoEnv implements Env {
  readonly name: string;
  readonly obsDim: number;
  readonly actDim: number;
  readonly actLow: Float32Array;
  readonly actHigh: Float32Array;
  readonly maxSteps: number;
  readonly frameSkip: number;
  readonly resetNoise: number;
  /** Seconds of simulated time per env step. */
  readonly dt: number;
  private readonly timestep: number;
  readonly nq: number;
  readonly nv: number;
  protected readonly sim: Simulation;
  protected readonly qpos0: Float64Array;
  private views: State | null = null;
  private t = 0;
  private done = true;
  private closed = false;
  private readonly starts = new StartStream();

  constructor(task: MujocoTask) {
    this.name = task.name;
    this.sim = compileModel(task.name, task.xml);
    const m = this.sim.model;
    this.obsDim = task.obsDim;
    this.actDim = m.nu;
    const range = m.actuator_ctrlrange as Float64Array;
    this.actLow = Float32Array.from({ length: m.nu }, (_, i) => range[2 * i]);
    this.actHigh = Float32Array.from({ length: m.nu }, (_, i) => range[2 * i + 1]);
    this.maxSteps = task.maxSteps;
    this.frameSkip = task.frameSkip;
    this.resetNoise = task.resetNoise;
    this.timestep = m.opt.timestep;
    this.dt = this.timestep * task.frameSkip;
    this.nq = m.nq;
    this.nv = m.nv;
    this.qpos0 = Float64Array.from(m.qpos0 as Float64Array);
  }

  /** qpos, qvel and ctrl as views on the native data (re-taken if the heap grew since). */
  state(): State {
    this.open('state');
    if (!this.views || this.views.qpos.length === 0) {
      const d = this.sim.data;
      this.views = { qpos: d.qpos as Float64Array, qvel: d.qvel as Float64Array, ctrl: d.ctrl as Float64Array };
    }
    return this.views;
  }

  reset(seed?: Rng | number): Float32Array {
    const r = this.startStream(seed);
    const qpos = Float64Array.from(this.qpos0, (q) => q + r.range(-this.resetNoise, this.resetNoise));
    const qvel = Float64Array.from({ length: this.nv }, () => r.range(-this.resetNoise, this.resetNoise));
    return this.setState(qpos, qvel);
  }

  /** The Rng a reset draws its start from (lib/envs/types: StartStream). */
  protected startStream(seed: unknown): Rng {
    return this.starts.next(this.name, seed);
  }

  /** Starts an episode (step counter 0) from a given qpos and qvel (Gymnasium's set_state). */
  setState(qpos: ArrayLike<number>, qvel: ArrayLike<number>): Float32Array {
    this.open('setState');
    if (qpos.length !== this.nq || qvel.length !== this.nv)
      throw new Error(`${this.name}.setState: qpos must have length ${this.nq} and qvel ${this.nv}, got ${qpos.length} and ${qvel.length}`);
    const check = (xs: ArrayLike<number>, what: string) => {
      for (let i = 0; i < xs.length; i++)
        if (!(Math.abs(xs[i]) <= MJ_MAXVAL))
          throw mustBe(
            `${this.name}.setState: ${what}[${i}]`,
            `a finite number within ±${MAXVAL_TEXT} (MuJoCo resets a state beyond it)`,
            xs[i],
          );
    };
    check(qpos, 'qpos');
    check(qvel, 'qvel');
    const mj = mujoco();
    mj.mj_resetData(this.sim.model, this.sim.data);
    const s = this.state();
    s.qpos.set(qpos);
    s.qvel.set(qvel);
    mj.mj_forward(this.sim.model, this.sim.data);
    this.t = 0;
    this.done = false;
    return this.observe(s);
  }

  step(action: ArrayLike<number>): StepResult {
    this.open('step');
    if (this.done) throw new Error(`${this.name}.step: episode is over; call reset() first`);
    const a = checkAction(this, action);
    const s = this.state();
    const before = this.beforeStep(s);
    s.ctrl.set(a);
    this.physics(this.frameSkip);
    const after = this.state();
    const obs = this.observe(after);
    const { reward, terminated } = this.outcome(after, a, before);
    this.t++;
    const truncated = this.t >= this.maxSteps;
    this.done = terminated || truncated;
    return { obs, reward, terminated, truncated };
  }

  /** `n` physics steps with the current ctrl (the bench times this alone). */
  physics(n: number): void {
    const mj = mujoco();
    const { model, data } = this.sim;
    const t0 = data.time;
    for (let k = 0; k < n; k++) mj.mj_step(model, data);
    // A state gone unstable (beyond mjMAXVAL) makes mj_step reset the data, time included: never report that as a
    // step. The reset shows as time going back, except from time 0 (the first step of an episode), where MuJoCo's
    // warning counters (mjWARN_BADQPOS, BADQVEL, BADQACC, cleared by setState's mj_resetData) are read instead.
    if (t0 === 0 ? this.physicsWarned() : data.time < t0 + (n - 0.5) * this.timestep) {
      this.done = true;
      throw new Error(
        `${this.name}.step: the simulation became unstable (a position, velocity or acceleration beyond ${MAXVAL_TEXT}) and MuJoCo reset it; reset the env`,
      );
    }
  }

  private physicsWarned(): boolean {
    // The binding hands out copies (of the vector and of each entry): each is freed here, or the heap would grow.
    const warnings = this.sim.data.warning;
    let count = 0;
    try {
      for (const w of [4, 5, 6]) {
        const stat = warnings.get(w);
        count += stat?.number ?? 0;
        stat?.delete();
      }
    } finally {
      warnings.delete();
    }
    return count > 0;
  }

  /** Frees the native model and data (idempotent); the env cannot be used afterwards. */
  close(): void {
    this.closed = true;
    this.views = null;
    this.sim.close();
  }

  /**
   * The capsules of the model after the last step, as segments in the x–z plane (end points and radius):
   * the poses the notebook draws. Other geom types (the floor plane) are left out.
   */
  capsules(): { geom: string; x1: number; z1: number; x2: number; z2: number; radius: number }[] {
    this.open('capsules');
    const mj = mujoco();
    const m = this.sim.model;
    const type = m.geom_type as Int32Array;
    const size = m.geom_size as Float64Array;
    const pos = this.sim.data.geom_xpos as Float64Array;
    const mat = this.sim.data.geom_xmat as Float64Array;
    const out = [];
    for (let g = 0; g < m.ngeom; g++) {
      if (type[g] !== 3) continue; // 3 = mjGEOM_CAPSULE
      const h = size[3 * g + 1];
      // The capsule's axis is the geom frame's z axis: the third column of its row-major rotation matrix.
      const ax = mat[9 * g + 2];
      const az = mat[9 * g + 8];
      const [cx, cz] = [pos[3 * g], pos[3 * g + 2]];
      out.push({ geom: mj.mj_id2name(m, 5, g), x1: cx - h * ax, z1: cz - h * az, x2: cx + h * ax, z2: cz + h * az, radius: size[3 * g] }); // 5 = mjOBJ_GEOM
    }
    return out;
  }

  private open(what: string): void {
    if (this.closed) throw new Error(`${this.name}.${what}: the env is closed`);
  }

  /** What the reward needs from the state before the physics steps (e.g. the x position). */
  protected beforeStep(_s: State): number {
    return 0;
  }
  protected abstract observe(s: State): Float32Array;
  protected abstract outcome(s: State, action: Float64Array, before: number): { reward: number; terminated: boolean };
  abstract reward(obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): number;
  abstract terminal(obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean;
  abstract resetToObs(obs: ArrayLike<number>): Float32Array;
}
