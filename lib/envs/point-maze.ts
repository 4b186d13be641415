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

/** Whether the straight segment between two points crosses a wall (used to count "through-wall" model steps). */
export function crossesWall(x0: number, y0: number, x1: number, y1: number, walls: readonly Rect[] = POINT_MAZE.walls): boolean {
  for (const w of walls) {
    // Liang–Barsky clip of the segment against the rectangle.
    let t0 = 0;
    let t1 = 1;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const p = [-dx, dx, -dy, dy];
    const q = [x0 - w.xlo, w.xhi - x0, y0 - w.ylo, w.yhi - y0];
    let hit = true;
    for (let i = 0; i < 4 && hit; i++) {
      if (p[i] === 0) {
        if (q[i] <= 0) hit = false;
      } else {
        const t = q[i] / p[i];
        if (p[i] < 0) t0 = Math.max(t0, t);
        else t1 = Math.min(t1, t);
      }
    }
    if (hit && t0 < t1) return true;
  }
  return false;
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

  terminal(_obs: ArrayLike<number>, _act: ArrayLike<number>, nextObs: ArrayLike<number>): boolean {
    return Math.hypot(nextObs[0] - POINT_MAZE.goal[0], nextObs[1] - POINT_MAZE.goal[1]) < POINT_MAZE.goalRadius;
  }

  private obs(): Float32Array {
    return Float32Array.of(this.x, this.y);
  }
}
