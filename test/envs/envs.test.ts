import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { ENV_NAMES, makeEnv, prepareEnv } from '../../lib/envs';
import { angleNormalize, Pendulum } from '../../lib/envs/pendulum';
import { crossesWall, insideWall, POINT_MAZE, PointMaze } from '../../lib/envs/point-maze';
import { Rng } from '../../lib/rng';

// The torque sequence: out-of-range torques (clipped to ±2), then energy pumping (±2.5 in the direction
// of motion, chosen from a first pass) that drives |θ̇| into the 8 rad/s limit, then a varying pattern.
// 200 steps = one full episode. Once fixed, the same list goes to our env and to the reference.
const START = { th: 2.5, thdot: -0.7 };
function actionSequence(): number[] {
  const env = new Pendulum();
  let obs = env.resetTo(START.th, START.thdot);
  const out: number[] = [];
  for (let t = 0; t < 200; t++) {
    const u = t < 5 ? [3.5, -9, 0, 2, -2][t] : t < 140 ? (obs[2] >= 0 ? 2.5 : -2.5) : 1.7 * Math.sin(0.3 * t) - 0.4;
    out.push(u);
    obs = env.step([u]).obs;
  }
  return out;
}
const ACTIONS = actionSequence();

/** Gymnasium Pendulum-v1's step, written from its published source, run by python3 with numpy. */
const PYTHON_REFERENCE = `
import json, sys
import numpy as np
max_speed, max_torque, dt, g, m, l = 8, 2.0, 0.05, 10.0, 1.0, 1.0
def angle_normalize(x):
    return ((x + np.pi) % (2 * np.pi)) - np.pi
spec = json.load(sys.stdin)
th, thdot = spec["th"], spec["thdot"]
out = []
for u in spec["actions"]:
    u = np.clip(u, -max_torque, max_torque)
    costs = angle_normalize(th) ** 2 + 0.1 * thdot ** 2 + 0.001 * (u ** 2)
    newthdot = thdot + (3 * g / (2 * l) * np.sin(th) + 3.0 / (m * l ** 2) * u) * dt
    newthdot = np.clip(newthdot, -max_speed, max_speed)
    newth = th + newthdot * dt
    th, thdot = newth, newthdot
    out.append([float(np.cos(th)), float(np.sin(th)), float(thdot), float(-costs)])
print(json.dumps(out))
`;

/** The same equations in plain TypeScript, for machines without python3/numpy. */
function referenceInTs(th: number, thdot: number, actions: number[]): number[][] {
  const out: number[][] = [];
  for (const a of actions) {
    const u = Math.max(-2, Math.min(2, a));
    const wrapped = th + Math.PI - 2 * Math.PI * Math.floor((th + Math.PI) / (2 * Math.PI)) - Math.PI;
    const cost = wrapped ** 2 + 0.1 * thdot ** 2 + 0.001 * u ** 2;
    const nd = Math.max(-8, Math.min(8, thdot + (((3 * 10) / 2) * Math.sin(th) + 3 * u) * 0.05));
    th += nd * 0.05;
    thdot = nd;
    out.push([Math.cos(th), Math.sin(th), thdot, -cost]);
  }
  return out;
}

function reference(): { rows: number[][]; source: string } {
  const r = spawnSync('python3', ['-c', PYTHON_REFERENCE], { input: JSON.stringify({ ...START, actions: ACTIONS }), encoding: 'utf8' });
  if (r.status === 0) return { rows: JSON.parse(r.stdout), source: 'python3+numpy' };
  return { rows: referenceInTs(START.th, START.thdot, ACTIONS), source: 'equations in the test' };
}

test('Pendulum follows Gymnasium Pendulum-v1 on a fixed action sequence (independent reference)', () => {
  const { rows, source } = reference();
  const env = new Pendulum();
  env.resetTo(START.th, START.thdot);
  let hitSpeedLimit = false;
  ACTIONS.forEach((a, t) => {
    const s = env.step([a]);
    const [c, sn, td, r] = rows[t];
    const tol = 1e-5 * (1 + t / 10); // obs are float32; the state itself is float64 like numpy's
    assert.ok(
      Math.abs(s.obs[0] - c) < tol && Math.abs(s.obs[1] - sn) < tol && Math.abs(s.obs[2] - td) < tol * 8,
      `${source}: obs differs at step ${t}: ${Array.from(s.obs)} vs ${rows[t]}`,
    );
    assert.ok(Math.abs(s.reward - r) < 1e-9 * (1 + Math.abs(r)) + 1e-9, `${source}: reward differs at step ${t}: ${s.reward} vs ${r}`);
    assert.equal(s.terminated, false);
    assert.equal(s.truncated, t === 199, `truncated only on step 200 (step ${t + 1})`);
    if (Math.abs(td) === 8) hitSpeedLimit = true;
  });
  assert.ok(hitSpeedLimit, 'the sequence must exercise the 8 rad/s speed clip');
  assert.throws(() => env.step([0]), /episode is over/);
});

test('Pendulum: clipped torques, NaN and wrong-length actions, seeded resets, reward from observations', () => {
  const a = new Pendulum();
  const b = new Pendulum();
  a.resetTo(1, 0.5);
  b.resetTo(1, 0.5);
  assert.deepEqual(a.step([7]), b.step([2]), 'torque 7 is clipped to the bound 2');
  assert.throws(() => a.step([NaN]), /pendulum\.step: action\[0\] must be a finite number, got NaN/);
  assert.throws(() => a.step([Infinity]), /action\[0\]/);
  assert.throws(() => a.step([1, 2]), /action must have length 1, got length 2/);
  assert.deepEqual(new Pendulum().reset(new Rng(4)), new Pendulum().reset(4));
  assert.notDeepEqual(new Pendulum().reset(4), new Pendulum().reset(5));
  const rng = new Rng('starts');
  for (let i = 0; i < 200; i++) {
    const p = new Pendulum();
    p.reset(rng);
    const [th, thdot] = p.state;
    assert.ok(th >= -Math.PI && th < Math.PI && thdot >= -1 && thdot < 1);
  }
  const p = new Pendulum();
  let obs = p.reset(8);
  for (let t = 0; t < 20; t++) {
    const act = [Math.sin(t)];
    const s = p.step(act);
    assert.ok(Math.abs(p.reward(obs, act) - s.reward) < 1e-5, 'reward(obs, act) equals the step reward');
    obs = s.obs;
  }
  assert.ok(Math.abs(angleNormalize(3 * Math.PI) - -Math.PI) < 1e-12 && Math.abs(angleNormalize(-0.5) - -0.5) < 1e-15);
});

test('PointMaze: the wall stops the mass (contact), it slides along it, and the way round reaches the goal', () => {
  const env = new PointMaze();
  env.resetTo(-0.6, -0.3);
  for (let t = 0; t < 20; t++) env.step([0, 1]); // push straight up into the wall
  const [x, y] = env.state;
  assert.ok(
    y < POINT_MAZE.walls[0].ylo && y > POINT_MAZE.walls[0].ylo - 0.01 && Math.abs(x + 0.6) < 1e-12,
    `stopped under the wall, got (${x}, ${y})`,
  );
  env.step([1, 1]); // diagonal push: slides right along the wall, stays below it
  assert.ok(env.state[0] > x + 0.09 && env.state[1] < POINT_MAZE.walls[0].ylo, `slid along the wall: ${env.state}`);
  // A scripted path round the open end reaches the goal and terminates.
  env.reset(new Rng(1));
  const waypoints = [
    [0.2, -0.6],
    [0.2, 0.6],
    [-0.6, 0.6],
  ];
  let w = 0;
  let ret = 0;
  let done = false;
  for (let t = 0; t < 100 && !done; t++) {
    const [px, py] = env.state;
    if (Math.hypot(waypoints[w][0] - px, waypoints[w][1] - py) < 0.05 && w < 2) w++;
    const dx = waypoints[w][0] - px;
    const dy = waypoints[w][1] - py;
    const k = Math.max(Math.abs(dx), Math.abs(dy), 1e-9) / 0.1;
    const s = env.step([dx / Math.max(k, 1) / 0.1, dy / Math.max(k, 1) / 0.1]);
    ret += s.reward;
    done = s.terminated;
    assert.ok(!insideWall(env.state[0], env.state[1]));
  }
  assert.ok(done, 'the path round the wall reaches the goal');
  assert.ok(ret > -40 && ret < -10, `return of the path round the wall: ${ret}`);
  assert.equal(crossesWall([-0.6, -0.5], [-0.6, 0.5]), true);
  assert.equal(crossesWall([0.2, -0.5], [0.2, 0.5]), false);
  assert.equal(insideWall(-0.5, 0), true);
  env.reset(0);
  assert.throws(() => env.step([0, NaN]), /point-maze\.step: action\[1\] must be a finite number/);
  assert.throws(() => new PointMaze().resetTo(-0.5, 0), /outside the walls/);
  const c1 = new PointMaze();
  const c2 = new PointMaze();
  c1.resetTo(0.5, 0.5);
  c2.resetTo(0.5, 0.5);
  assert.deepEqual(c1.step([5, -3]), c2.step([1, -1]), 'actions are clipped to [-1, 1]');
});

test('registry: every env has consistent dimensions and a clear error for unknown names', async () => {
  for (const name of ENV_NAMES) {
    await prepareEnv(name);
    const env = makeEnv(name);
    const obs = env.reset(0);
    assert.equal(obs.length, env.obsDim);
    assert.equal(env.actLow.length, env.actDim);
    const s = env.step(Array.from(env.actHigh));
    assert.equal(s.obs.length, env.obsDim);
    assert.ok(Number.isFinite(s.reward));
    env.close?.();
  }
  assert.throws(
    () => makeEnv('cartpole'),
    /unknown env 'cartpole' \(known: pendulum, point-maze, inverted-pendulum, hopper, half-cheetah\)/,
  );
  await assert.rejects(prepareEnv('cartpole'), /unknown env 'cartpole'/);
});

test('resetToObs starts an episode from the state an observation describes', () => {
  const p = new Pendulum();
  p.reset(3);
  const s = p.step([0.5]);
  const q = new Pendulum();
  const obs = q.resetToObs(s.obs);
  assert.ok(obs.every((x, i) => Math.abs(x - s.obs[i]) < 1e-6));
  assert.ok(Math.abs(q.step([1]).reward - p.step([1]).reward) < 1e-5);
  const m = new PointMaze();
  assert.deepEqual(Array.from(m.resetToObs([0.5, 0.25])), [0.5, 0.25]);
  assert.throws(() => m.resetToObs([-0.5, 0]), /outside the walls/);
  assert.throws(() => q.resetToObs([1, 0]), /length 3/);
});

test('PointMaze: no move leaves the arena or enters the wall, also along the edge the wall meets', () => {
  const rng = new Rng('maze-moves');
  const env = new PointMaze();
  const h = POINT_MAZE.half;
  // Points on the arena edge next to the wall's closed end, and random valid points.
  const starts: [number, number][] = [
    [-h, 0.06],
    [-h, -0.06],
    [-h, 0.3],
    [h, 0],
    [-0.5, h],
    [-0.5, -h],
  ];
  while (starts.length < 300) {
    const p: [number, number] = [rng.range(-h, h), rng.range(-h, h)];
    if (!insideWall(p[0], p[1])) starts.push(p);
  }
  let moves = 0;
  for (const [x0, y0] of starts) {
    env.resetTo(x0, y0);
    for (let t = 0; t < 40; t++) {
      const a = rng.uniform() < 0.3 ? [-1, rng.range(-1, 1)] : [rng.range(-1, 1), rng.range(-1, 1)];
      const res = env.step(a);
      const [x, y] = env.state;
      assert.ok(Math.abs(x) <= h && Math.abs(y) <= h && !insideWall(x, y), `(${x}, ${y}) after a move from (${x0}, ${y0})`);
      // What evaluation does after a time limit: restart from the float32 observation.
      env.resetToObs(res.obs);
      moves++;
    }
  }
  assert.equal(moves, starts.length * 40);
});
