/**
 * PointMaze: a point mass in a small walled room, where a learned dynamics model is easy to exploit by
 * predicting a step THROUGH a wall.
 *
 *   arena [−1, 1]², one inner wall: the slab x ∈ [−1, 0], y ∈ [−0.05, 0.05] (closed on the left,
 *   open on the right). Start ≈ (−0.6, −0.6) (± 0.05 uniform), goal (−0.6, 0.6), directly above the
 *   start on the other side of the wall: the straight path is blocked, the real path goes round the
 *   wall's open end (about 2.6 units, ~26 steps).
 *   obs [x, y]; action (dx, dy) ∈ [−1, 1]² (clipped), the mass moves by 0.1·action, x first then y
 *   (axis by axis, so it slides along a wall it touches and stops just short of it: a contact).
 *   reward = −‖next − goal‖ per step; terminated when ‖next − goal‖ < 0.15; truncated after 100 steps.
 * Returns from the start (−0.6, −0.6): pushing straight up into the wall −66 (100 steps, stuck);
 * going round the open end −25 (27 steps); straight through the wall, as a model that ignores it would
 * predict, −6.6 (11 steps). `crossesWall` / `insideWall` count such impossible model steps.
 */
import { Rng } from '../rng';
import { checkAction, Env, StartStream, StepResult } from './types';

export interface Rect {
  xlo: number;
  xhi: number;
  ylo: number;
  yhi: number;
}

export const POINT_MAZE = {
  half: 1,
  walls: [{ xlo: -1, xhi: 0, ylo: -0.05, yhi: 0.05 }] as Rect[],
  start: [-0.6, -0.6] as const,
  startNoise: 0.05,
  goal: [-0.6, 0.6] as const,
  goalRadius: 0.15,
  stepSize: 0.1,
  maxSteps: 100,
} as const;

/** Keeps a point that moves along one axis out of the walls; it stops `gap` short of a wall face. */
const GAP = 1e-6;

/** Moves from (x, y) by (dx, dy), x first then y, stopping at walls and the arena edge. */
export function moveWithWalls(
  x: number,
  y: number,
  dx: number,
  dy: number,
  walls: readonly Rect[] = POINT_MAZE.walls,
  half = POINT_MAZE.half,
): [number, number] {
  let nx = Math.min(half, Math.max(-half, x + dx));
  for (const w of walls) {
    // Inclusive overlap: a wall that meets the arena edge must not leave a zero-width slot along the edge.
    if (y < w.ylo || y > w.yhi) continue;
    if (dx > 0 && x <= w.xlo && nx > w.xlo - GAP) nx = Math.min(nx, w.xlo - GAP);
    if (dx < 0 && x >= w.xhi && nx < w.xhi + GAP) nx = Math.max(nx, w.xhi + GAP);
  }
  let ny = Math.min(half, Math.max(-half, y + dy));
  for (const w of walls) {
    if (nx < w.xlo || nx > w.xhi) continue;
    if (dy > 0 && y <= w.ylo && ny > w.ylo - GAP) ny = Math.min(ny, w.ylo - GAP);
    if (dy < 0 && y >= w.yhi && ny < w.yhi + GAP) ny = Math.max(ny, w.yhi + GAP);
  }
  // Stopping short of a wall face that lies on the arena edge would leave the arena: clamp once more.
  return [Math.min(half, Math.max(-half, nx)), Math.min(half, Math.max(-half, ny))];
}

/** Whether a point lies strictly inside a wall (the real mass never does; a model's prediction may). */
export function insideWall(x: number, y: number, walls: readonly Rect[] = POINT_MAZE.walls): boolean {
  return walls.some((w) => x > w.xlo && x < w.xhi && y > w.ylo && y < w.yhi);
}

/**
 * Whether the axis-aligned leg (x0, y0)–(x1, y1) reaches a centre line of wall w: the line halfway through its
 * thickness, across its inside (a vertical leg against y = (ylo + yhi) / 2, a horizontal one against x = (xlo + xhi) / 2).
 */
function legReachesCentre(x0: number, y0: number, x1: number, y1: number, w: Rect): boolean {
  if (x0 === x1 && y0 === y1) return false;
  if (x0 === x1) {
    const ym = (w.ylo + w.yhi) / 2;
    return x0 > w.xlo && x0 < w.xhi && Math.min(y0, y1) <= ym && ym <= Math.max(y0, y1);
  }
  const xm = (w.xlo + w.xhi) / 2;
  return y0 > w.ylo && y0 < w.yhi && Math.min(x0, x1) <= xm && xm <= Math.max(x0, x1);
}

/**
 * Whether the step from s to s' (two points [x, y], e.g. observations) goes through a wall: the path the mass
 * would take, x first then y as `moveWithWalls` moves it (an L: (x0, y0) → (x1, y0) → (x1, y1)), reaches a
 * wall's centre line, halfway through it or beyond. A real transition never does (the mass stops just short
 * of a wall face); a model's predicted step may. Two choices, both measured (scripts/e7-crossing-check.ts):
 *   - the L, not the straight segment s–s', which cuts the wall's corner on real moves that go right past
 *     the wall's end and then up;
 *   - halfway, not any contact with the inside: the true next state of a point pushing up under the wall lies
 *     1e-6 below the face, so any model noise puts about half of such predictions inside the wall, however good
 *     the model (with any contact counted, the check's full-resolution model "crossed" on 85% of such probes);
 *     the error that can be exploited is a step that gets the agent to the wall's far half, where the model's
 *     next (quantised) input and the critic treat it as past the wall.
 * This counts the through-wall model transitions of issue 25's positive control.
 */
export function crossesWall(s: ArrayLike<number>, next: ArrayLike<number>, walls: readonly Rect[] = POINT_MAZE.walls): boolean {
  if (s.length < 2 || next.length < 2)
    throw new Error(`crossesWall: s and s' must be points [x, y], got lengths ${s.length} and ${next.length}`);
  const [x0, y0, x1, y1] = [s[0], s[1], next[0], next[1]];
  if (![x0, y0, x1, y1].every(Number.isFinite))
    throw new Error(`crossesWall: s and s' must be finite, got (${x0}, ${y0}) → (${x1}, ${y1})`);
  return walls.some((w) => legReachesCentre(x0, y0, x1, y0, w) || legReachesCentre(x1, y0, x1, y1, w));
}

/**
 * The fraction of a batch of transitions (rows of `obsDim` in `obs` and `next`, x and y first) that cross a
 * wall: issue 25's positive control, per model round of rollouts. 0 for an empty batch.
 */
export function crossingFraction(obs: ArrayLike<number>, next: ArrayLike<number>, obsDim = 2): number {
  if (!(Number.isInteger(obsDim) && obsDim >= 2)) throw new Error(`crossingFraction: obsDim must be an integer >= 2, got ${obsDim}`);
  if (obs.length !== next.length || obs.length % obsDim !== 0)
    throw new Error(`crossingFraction: obs (${obs.length}) and next (${next.length}) must hold the same rows of ${obsDim}`);
  const n = obs.length / obsDim;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = i * obsDim;
    if (crossesWall([obs[o], obs[o + 1]], [next[o], next[o + 1]])) k++;
  }
  return n === 0 ? 0 : k / n;
}

/**
 * A scripted policy that goes round the wall's open end, the maze's "good policy" for its value range D
 * (issue 25): below the wall and left of its end, head for (0.1, −0.1), just past the end; from there go up to
 * (0.1, 0.15), above the wall; then straight for the goal. Each move is as long as allowed (0.1 per axis) and
 * stops at its waypoint. Markov (a function of the position alone), deterministic; ~16 steps from the start.
 */
export function roundTheWallAction(x: number, y: number): [number, number] {
  const target: readonly [number, number] = y < 0 && x < 0.05 ? [0.1, -0.1] : y < 0.1 ? [0.1, 0.15] : POINT_MAZE.goal;
  const clip = (v: number) => Math.min(1, Math.max(-1, v));
  return [clip((target[0] - x) / POINT_MAZE.stepSize), clip((target[1] - y) / POINT_MAZE.stepSize)];
}

export class PointMaze implements Env {
  readonly name = 'point-maze';
  readonly obsDim = 2;
  readonly actDim = 2;
  readonly actLow = Float32Array.of(-1, -1);
  readonly actHigh = Float32Array.of(1, 1);
  readonly maxSteps = POINT_MAZE.maxSteps;
  private x = 0;
  private y = 0;
  private t = 0;
  private done = true;
  private readonly starts = new StartStream();

  reset(seed?: Rng | number): Float32Array {
    const r = this.starts.next(this.name, seed);
    const n = POINT_MAZE.startNoise;
    return this.resetTo(POINT_MAZE.start[0] + r.range(-n, n), POINT_MAZE.start[1] + r.range(-n, n));
  }

  resetTo(x: number, y: number): Float32Array {
    const h = POINT_MAZE.half;
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x) > h || Math.abs(y) > h || insideWall(x, y)) {
      throw new Error(`point-maze.resetTo: (${x}, ${y}) must be a finite point in the arena outside the walls`);
    }
    this.x = x;
    this.y = y;
    this.t = 0;
    this.done = false;
    return this.obs();
  }

  /** Episode from an observation [x, y] (throws if it lies inside a wall or outside the arena). */
  resetToObs(obs: ArrayLike<number>): Float32Array {
    if (obs.length !== 2) throw new Error(`point-maze.resetToObs: obs must have length 2, got ${obs.length}`);
    return this.resetTo(obs[0], obs[1]);
  }

  get state(): [number, number] {
    return [this.x, this.y];
  }

  step(action: ArrayLike<number>): StepResult {
    if (this.done) throw new Error('point-maze.step: episode is over; call reset() first');
    const a = checkAction(this, action);
    const s = POINT_MAZE.stepSize;
    [this.x, this.y] = moveWithWalls(this.x, this.y, s * a[0], s * a[1]);
    this.t++;
    const obs = this.obs();
    const terminated = this.terminal(obs, a, obs);
    const truncated = !terminated && this.t >= this.maxSteps;
    this.done = terminated || truncated;
    return { obs, reward: this.reward(obs, a, obs), terminated, truncated };
  }

  reward(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): number {
    return -Math.hypot(nextObs[0] - POINT_MAZE.goal[0], nextObs[1] - POINT_MAZE.goal[1]);
  }

  impossibleFraction(obs: Float32Array, next: Float32Array): number {
    return crossingFraction(obs, next, this.obsDim);
  }

  terminal(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean {
    return Math.hypot(nextObs[0] - POINT_MAZE.goal[0], nextObs[1] - POINT_MAZE.goal[1]) < POINT_MAZE.goalRadius;
  }

  private obs(): Float32Array {
    return Float32Array.of(this.x, this.y);
  }
}
